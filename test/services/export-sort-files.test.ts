// A sorted export of a big result set is written by a child process (export-runner.ts childRunner): SQLite's
// sort spills to temporary files (130 MB for 2,000 rows of 64 kB), and the app's process does none of
// that file I/O. The child keeps them in a folder of the data dir (EXPORT_SORT_DIR), removed once the
// export has ended: done, failed, or stopped by a reader that went away. The file is the one the
// in-process export of a small view writes: the same rows in the same order. Each process keeps its
// exports' folders in one named by its pid (sort-folders.ts): a new exporter removes only what
// processes gone left, never a live exporter's folders (before, it removed all of EXPORT_SORT_DIR).
import { spawn, spawnSync } from 'node:child_process'
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
let root: string
let sortRoot: string
beforeEach(() => {
  t = tempStore()
  root = join(dirname(t.file), EXPORT_SORT_DIR)
  sortRoot = join(root, String(process.pid)) // this process's
  set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'k', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, key(i)]))
})
afterEach(() => t.cleanup())

const options = csvOptions([0, 1])
const view = { query: { sort: 1, order: 'desc' as const }, matched: ROWS }
/** The folders of this process's sorted exports under way (or left behind). */
const sortFolders = () => (existsSync(sortRoot) ? readdirSync(sortRoot) : [])
/** Everything under EXPORT_SORT_DIR, any process's. */
const sortTree = () => (existsSync(root) ? readdirSync(root, { recursive: true }) : [])

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

  it('a new exporter (the app starting) removes what a crashed process left, not what a live one holds', async () => {
    const leave = (name: string) => {
      mkdirSync(join(root, name, 'an-export'), { recursive: true })
      writeFileSync(join(root, name, 'an-export', 'etilqs_1'), 'x')
    }
    const gone = spawnSync(process.execPath, ['-e', '']).pid // ended
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      leave(String(gone))
      leave(String(running.pid))
      leave('left-by-a-crash') // named before folders were per process
      createExporter(t.file, t.store.results)
      expect(readdirSync(root)).toEqual([String(running.pid)])
      expect(existsSync(join(root, String(running.pid), 'an-export', 'etilqs_1'))).toBe(true)
    } finally {
      running.kill('SIGKILL')
    }
    await new Promise((r) => running.once('exit', r))
    createExporter(t.file, t.store.results) // now that it has ended
    expect(readdirSync(root)).toEqual([])
  })

  it('a second exporter on the same data dir leaves the first one’s export sorting', async () => {
    const first = createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    const { stream, done } = await first.export(set, options, [], view)
    const held = sortTree() // its child's folder
    expect(held.length).toBeGreaterThan(0)
    createExporter(t.file, t.store.results, createResultQueries(t.store.db))
    expect(sortTree()).toEqual(held) // before: all of EXPORT_SORT_DIR removed under the running child
    let bytes = 0
    for await (const part of stream) bytes += (part as Buffer).length
    expect(await done).toMatchObject({ rows: ROWS })
    expect(bytes).toBeGreaterThan(ROWS * 8000)
    await expect.poll(sortFolders, { timeout: 10_000 }).toEqual([])
  })
})
