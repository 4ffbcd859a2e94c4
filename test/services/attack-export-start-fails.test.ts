// An export whose worker cannot be started (here: the sort folder cannot be made, as on a full or
// read-only data dir) must give back its slot and its count against EXPORTS_PER_USER: exporter.ts
// claims both, then calls childRunner/threadRunner outside any try, so a throw there kept them for
// ever (one leak took the only running slot on a 2-core machine; two took a user's exports for good).
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createExporter, EXPORT_SORT_DIR } from '../../electron/services/export/exporter'
import { createResultQueries } from '../../electron/store/result-query'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 600
const key = (i: number) => `${String((i * 7919) % ROWS).padStart(4, '0')}${'x'.repeat(8000)}`

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
beforeEach(() => {
  t = tempStore()
  set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'k', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, key(i)]))
})
afterEach(() => t.cleanup())

describe('an export whose worker cannot start', () => {
  it('gives back its slot and its user count', async () => {
    const exporter = createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    const sortRoot = join(dirname(t.file), EXPORT_SORT_DIR)
    const view = { query: { sort: 1, order: 'desc' as const }, matched: ROWS }
    writeFileSync(sortRoot, 'not a folder') // the sort folder cannot be made
    await expect(exporter.export(set, csvOptions([0, 1]), [], view, false, 'alice')).rejects.toThrow()
    await expect(exporter.export(set, csvOptions([0, 1]), [], view, false, 'alice')).rejects.toThrow(/ENOTDIR|EEXIST/)
    rmSync(sortRoot)
    expect(existsSync(sortRoot)).toBe(false)
    const { stream, done } = await exporter.export(set, csvOptions([0, 1]), [], view, false, 'alice')
    stream.resume()
    expect(await done).toMatchObject({ rows: ROWS })
  }, 20_000)
})
