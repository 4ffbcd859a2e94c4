// Splitter sizes (#13.4): the Scripts editor's default share gives way in a short window so the
// results keep room for a few rows (at 900×600 40% left one row of a result in view), and a size
// the user chose is kept as chosen; sizes kept by the older store at its defaults count as not chosen.
import { describe, expect, it } from 'vitest'
import { SPLIT_DEFAULTS, SPLIT_MIN, SPLIT_SECOND_KEEPS, defaultShare, useSplitSizes } from '../../renderer/src/stores/split-sizes'

describe('split sizes', () => {
  it('gives the Scripts editor its 40% in a tall container, less in a short one, never under the minimum', () => {
    expect(defaultShare('scripts.editor', 680)).toBe(40) // 1280×800
    const short = defaultShare('scripts.editor', 460) // 900×600
    expect(short).toBeLessThan(40)
    expect((460 * (100 - short)) / 100).toBeCloseTo(SPLIT_SECOND_KEEPS['scripts.editor'], 0)
    expect(defaultShare('scripts.editor', 200)).toBe(SPLIT_MIN)
    expect(defaultShare('scripts.editor', 0)).toBe(SPLIT_DEFAULTS['scripts.editor']) // not measured yet
    expect(defaultShare('workflows.editor', 300)).toBe(SPLIT_DEFAULTS['workflows.editor'])
  })

  it('keeps a chosen size, and forgets it on reset', () => {
    const { setSize, reset } = useSplitSizes.getState()
    setSize('scripts.editor', 63.27)
    expect(useSplitSizes.getState().sizes['scripts.editor']).toBe(63.3)
    setSize('scripts.editor', 99)
    expect(useSplitSizes.getState().sizes['scripts.editor']).toBe(88)
    reset('scripts.editor')
    expect(useSplitSizes.getState().sizes).toEqual({})
  })

  it('reads sizes kept by version 1 (every size, defaults too) as chosen only where they differ from its defaults', async () => {
    const migrate = useSplitSizes.persist.getOptions().migrate!
    expect(await migrate({ sizes: { 'scripts.editor': 40, 'workflows.editor': 60 } }, 1)).toEqual({ sizes: { 'workflows.editor': 60 } })
    expect(await migrate({ sizes: { 'scripts.editor': 40 } }, 2)).toEqual({ sizes: { 'scripts.editor': 40 } })
  })
})
