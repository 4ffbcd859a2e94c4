// A sorted export of a big result set is written by a child process (exporter.ts childRunner): SQLite's
// sort spills to temporary files (130 MB for 2,000 rows of 64 kB), and the app's process does none of
// that file I/O. The child keeps them in a folder of the data dir (EXPORT_SORT_DIR), removed once the
// export has ended: done, failed, or stopped by a reader that went away. The file is the one the
// in-process export of a small view writes: the same rows in the same order.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createExporter, EXPORT_SORT_DIR } from '../../electron/services/export/exporter'
import { createResultQueries } from '../../electron/store/result-query'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 600
/** Each row's sorted cell: 8 kB, so the sort's 4.8 MB spill past SQLite's 2 MB of sorter memory. */
const key = (i: number) => `${String((i * 7919) % ROWS).padStart(4, '0')}${'x'.repeat(8000)}`

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
let sortRoot: string
beforeEach(() => {
  t = tempStore()
  sortRoot = join(dirname(t.file), EXPORT_SORT_DIR)
  set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'k', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, key(i)]))
})
afterEach(() => t.cleanup())

const options = csvOptions([0, 1])
const view = { query: { sort: 1, order: 'desc' as const }, matched: ROWS }
/** The folders of sorted exports under way (or left behind). */
const sortFolders = () => (existsSync(sortRoot) ? readdirSync(sortRoot) : [])

describe('a sorted export of a big result set', () => {
  it('sorts in a folder of the data dir, removed after; the file as an in-process export writes it', async () => {
    const exporter = createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    const { stream, done } = await exporter.export(set, options, [], view)
    expect(sortFolders()).toHaveLength(1) // the child's SQLITE_TMPDIR, inside the data dir
    const parts: Buffer[] = []
    for await (const part of stream) parts.push(part as Buffer)
    expect(await done).toMatchObject({ rows: ROWS })
    const lines = Buffer.concat(parts).toString('utf8').trimEnd().split('\n')
    const want = Array.from({ length: ROWS }, (_, i) => [i, key(i)] as const).sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
    expect(lines[0]).toBe('i,k')
    expect(lines.slice(1)).toEqual(want.map(([i, k]) => `${i},${k}`))
    await expect.poll(sortFolders, { timeout: 10_000 }).toEqual([])
  })

  it('removes its folder when the export fails', async () => {
    // one row that is not JSON: the child fails reading it
    t.store.db.prepare('UPDATE result_rows SET data = ? WHERE result_set_id = ? AND row_no = ?').run('[1,"0000', set.id, 0)
    const exporter = createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    const { stream, done } = await exporter.export(set, options, [], view)
    expect(sortFolders()).toHaveLength(1)
    stream.on('error', () => undefined) // the failure is read from `done`
    stream.resume()
    await expect(done).rejects.toThrow(/^export failed: /)
    await expect.poll(sortFolders, { timeout: 10_000 }).toEqual([])
  })

  it('removes its folder when its reader goes away', async () => {
    const exporter = createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    const { stream, done } = await exporter.export(set, options, [], view)
    await new Promise((r) => stream.once('readable', r)) // the first bytes came: the sort is done
    stream.destroy()
    await expect(done).rejects.toThrow()
    await expect.poll(sortFolders, { timeout: 10_000 }).toEqual([])
  })

  it('a new exporter (the app starting) removes what a crash left', () => {
    mkdirSync(join(sortRoot, 'left-by-a-crash'), { recursive: true })
    writeFileSync(join(sortRoot, 'left-by-a-crash', 'etilqs_1'), 'x')
    createExporter(t.file, t.store.results)
    expect(existsSync(sortRoot)).toBe(false)
  })
})
