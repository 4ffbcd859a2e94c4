// The open saved script is kept over a reload with the version the page read, so that a Save after
// the reload still replaces only that version (#13.5); what older pages kept still reads.
import { describe, expect, it } from 'vitest'
import { readKeptOpen } from '../../renderer/src/stores/saved-scripts'

describe('readKeptOpen', () => {
  it('reads the path, the code last opened or saved and its version', () => {
    const kept = { path: 'reports/daily', opened: { code: 'select 1;', language: 'sql' }, version: { id: 4, updatedAt: 1767225600123 } }
    expect(readKeptOpen(JSON.stringify(kept))).toEqual(kept)
  })

  it('reads what older pages kept, without a version (their Save saves as before)', () => {
    expect(readKeptOpen('reports/daily')).toEqual({ path: 'reports/daily', opened: null, version: null })
    expect(readKeptOpen(JSON.stringify({ path: 'a', opened: { code: 'x', language: 'python' } }))).toEqual({ path: 'a', opened: { code: 'x', language: 'python' }, version: null })
  })

  it('drops a version of another shape rather than sending it', () => {
    for (const version of [{ id: '4', updatedAt: 1 }, { id: 4 }, 7, null]) {
      expect(readKeptOpen(JSON.stringify({ path: 'a', opened: null, version }))?.version, JSON.stringify(version)).toBeNull()
    }
  })
})
