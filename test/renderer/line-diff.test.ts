// The version diff's line diff (#13.3): shortest edits, in order, with both texts' line numbers.
import { describe, expect, it } from 'vitest'
import { diffLines, type DiffLine } from '../../renderer/src/features/workflows/line-diff'

const show = (lines: DiffLine[]) => lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'add' ? '+' : '-'}${l.text}`)
/** Applies a diff to get both texts back: it must describe them exactly. */
const sides = (lines: DiffLine[]) => ({
  before: lines.filter((l) => l.kind !== 'add').map((l) => l.text),
  after: lines.filter((l) => l.kind !== 'del').map((l) => l.text),
})

describe('diffLines', () => {
  it('finds a changed line between kept ones', () => {
    expect(show(diffLines('a\nb\nc\n', 'a\nB\nc\n'))).toEqual([' a', '-b', '+B', ' c'])
  })

  it('numbers lines of both texts', () => {
    const d = diffLines('x\ny\n', 'new\nx\ny\nend\n')
    expect(d).toEqual([
      { kind: 'add', text: 'new', newLine: 1 },
      { kind: 'same', text: 'x', oldLine: 1, newLine: 2 },
      { kind: 'same', text: 'y', oldLine: 2, newLine: 3 },
      { kind: 'add', text: 'end', newLine: 4 },
    ])
  })

  it('handles empty texts and identical ones', () => {
    expect(show(diffLines('', 'a'))).toEqual(['-', '+a'])
    expect(show(diffLines('a\nb', 'a\nb'))).toEqual([' a', ' b'])
  })

  it('describes both texts exactly, with few edits, for shuffled input', () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 30; round++) {
      const before = Array.from({ length: 40 }, () => String.fromCharCode(97 + Math.floor(rnd() * 5)))
      const after = before.flatMap((l) => (rnd() < 0.15 ? [] : rnd() < 0.15 ? [l, 'z'] : [l]))
      const d = diffLines(before.join('\n'), after.join('\n'))
      expect(sides(d)).toEqual({ before, after })
      expect(d.filter((l) => l.kind !== 'same').length).toBeLessThanOrEqual(before.length - after.filter((l) => l !== 'z').length + after.filter((l) => l === 'z').length)
    }
  })
})
