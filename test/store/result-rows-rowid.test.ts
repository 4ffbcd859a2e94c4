// Migration 018: result_rows becomes a rowid table (it was WITHOUT ROWID, which put every row longer than
// about 1 kB on overflow pages of its own: 3.9× the disk of its data for rows of 1.2 kB). A database from
// before keeps every row, and its result sets read, sort, filter and export as they did; rows still go
// with their set; a set of 1 kB rows takes little more disk than its data.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createExporter, type ExportOptions } from '../../electron/services/export/exporter'
import { migrate, openDatabase, type Db } from '../../electron/store/connection'
import { MIGRATIONS } from '../../electron/store/migrations'
import resultRowsRowid from '../../electron/store/migrations/018-result-rows-rowid'
import { createResultRepository, type ResultSetMeta } from '../../electron/store/result.repository'
import { createResultQueries, type ResultQuery } from '../../electron/store/result-query'
import { openOldDatabase } from '../support/old-database'
import { tempDir, tempStore } from '../support/temp-store'
import { sweepAll } from '../support/row-sweeps'

// the schema version just before this migration, wherever the list puts it
const BEFORE = MIGRATIONS.indexOf(resultRowsRowid)

const opened: Db[] = []
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close()
})

const COLUMNS = [{ name: 'n', type: 'int' }, { name: 'name', type: 'text' }, { name: 'note', type: 'text' }]
const csv: ExportOptions = { format: 'csv', separator: ',', quoteAll: false, keepNewline: false, lineEnd: '\n', charset: 'utf-8', textAsLines: false, nullValue: 'NULL', maxRows: 10_000, maxBytes: 1 << 26, columns: [0, 1, 2] }
const VIEWS: ResultQuery[] = [{}, { sort: 0, order: 'asc' }, { sort: 1, order: 'desc' }, { filter: 'ÉCLAIR' }, { filter: 'row-1', sort: 0, order: 'desc' }]

/** Everything a user reads of a job's sets: pages, sorted and filtered pages, the export cursor, CSV files. */
async function readAll(db: Db, file: string, jobId: number) {
  const results = createResultRepository(db)
  const queries = createResultQueries(db)
  const exporter = createExporter(file, results, queries)
  const out: unknown[] = []
  for (const set of results.list(jobId)) {
    out.push(set, results.rows(set, 0, 1000), results.rows(set, 7, 5))
    for (const view of VIEWS) {
      const page = queries.jsonPage(set, view, 3, 20)
      const cursor = queries.cursor(set.id, view)
      const first = cursor.read(0, 40)
      const all = [first, cursor.read(first.length, 10_000)]
      cursor.close()
      const file = await exporter.collect(set, csv, { query: view, matched: page.matched })
      out.push(page, all, file.rows, file.data.toString('utf8'))
    }
  }
  return out
}

const dump = (db: Db) => db.prepare('SELECT result_set_id, row_no, data FROM result_rows ORDER BY result_set_id, row_no').all()

describe('result rows as a rowid table (migration 018)', () => {
  it('keeps every row of a database from before, which reads, sorts, filters and exports as before; rows go with their set', async () => {
    const file = join(tempDir(), 'old.db')
    const old = openOldDatabase(file, BEFORE)
    opened.push(old)
    old.pragma('foreign_keys = ON') // as openDatabase sets it
    const addJob = old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES (?, 'script', 'old', 'succeeded', 'admin', '{}', 1, 1)`)
    addJob.run('u1')
    addJob.run('u2')
    const results = createResultRepository(old)
    const sets: ResultSetMeta[] = []
    for (const jobId of [1, 1, 2]) sets.push(results.create({ jobId, taskId: null, kind: 'table', columns: COLUMNS }))
    // short rows with NULLs, numbers, non-ASCII text; rows of 1.2 kB (on overflow pages before); a 64 kB cell;
    // written in batches taking turns, as scripts running side by side write them
    for (let from = 0; from < 300; from += 50) {
      for (const [k, set] of sets.entries()) {
        const batch = Array.from({ length: 50 }, (_, i) => {
          const n = from + i
          if (k === 0) return [n % 7 === 0 ? null : (n * 37) % 101, n % 5 === 0 ? 'Éclair' : `row-${n}`, n % 3 ? 'short' : null]
          if (k === 1) return [n, `row-${n}`, 'y'.repeat(1200)]
          return [n, n === 123 ? 'big' : `row-${n}`, n === 123 ? 'z'.repeat(64_000) : `éclair ${n}`]
        })
        results.append(set, from, batch)
      }
    }
    for (const set of sets) results.finish(set, 'complete')
    const rowsBefore = dump(old)
    const readBefore = [await readAll(old, file, 1), await readAll(old, file, 2)]
    old.close()

    const db = openDatabase(file)
    opened.push(db)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const { sql } = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'result_rows'").get()!
    expect(sql).not.toMatch(/WITHOUT ROWID/i)
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'result_rows_%'").all()).toEqual([]) // no copy left behind
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])

    expect(dump(db)).toEqual(rowsBefore)
    expect(rowsBefore).toHaveLength(900)
    expect([await readAll(db, file, 1), await readAll(db, file, 2)]).toEqual(readBefore)

    // (set, row number) stays a key, and a set's rows go with it (foreign keys are on)
    expect(() => db.prepare('INSERT INTO result_rows (result_set_id, row_no, data) VALUES (?, 0, ?)').run(sets[0].id, '[1]')).toThrow(/UNIQUE constraint failed/)
    const results2 = createResultRepository(db)
    const [, second] = results2.list(1)
    results2.append(second, second.rowCount, [[300, 'after', 'the migration']])
    expect(results2.rows(second, 299, 5)).toEqual([[299, 'row-299', 'y'.repeat(1200)], [300, 'after', 'the migration']])
    results2.clear(1)
    sweepAll(db) // the rows go after the clear, in steps (row-sweeper.ts)
    const left = db.prepare<[], { set: number; n: number }>('SELECT result_set_id AS "set", count(*) AS n FROM result_rows GROUP BY result_set_id').all()
    expect(left).toEqual([{ set: sets[2].id, n: 300 }])
    expect(await readAll(db, file, 2)).toEqual(readBefore[1])
  })

  it('says at startup that it upgrades a large database, and how long it took; a small one upgrades silently', () => {
    const dir = tempDir()
    const said: Record<string, string[]> = { small: [], large: [] }
    for (const size of ['small', 'large'] as const) {
      const db = openOldDatabase(join(dir, `${size}.db`), BEFORE)
      opened.push(db)
      if (size === 'large') {
        // 64 MB of result rows (zeros: what matters is the file's size), in one set
        db.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u1', 'script', 'old', 'succeeded', 'admin', '{}', 1, 1)`).run()
        db.prepare(`INSERT INTO result_sets (job_id, task_id, idx) VALUES (1, NULL, 0)`).run()
        db.prepare('INSERT INTO result_rows (result_set_id, row_no, data) VALUES (1, 0, zeroblob(?))').run(64 * 1024 * 1024)
      }
      migrate(db, (line) => said[size].push(line))
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    }
    expect(said.small).toEqual([])
    expect(said.large).toEqual([
      expect.stringMatching(new RegExp(`^jobdesk: upgrading the database \\(6\\d MB\\) from schema ${BEFORE} to ${MIGRATIONS.length}; a large one takes minutes$`)),
      expect.stringMatching(/^jobdesk: database upgraded in \d+\.\d s$/),
    ])
  })

  it('stores rows of 1 kB in less than 1.5× their bytes (WITHOUT ROWID took 4.6×)', () => {
    const t = tempStore()
    try {
      const { store } = t
      const jobId = store.jobs.create({ uuid: 'uuid-size', kind: 'script', name: 'size', submitter: 'admin' }, [{ name: 'main', executor: 'sql' }])
      const sets = Array.from({ length: 4 }, () => store.results.create({ jobId, taskId: null, kind: 'table', columns: COLUMNS }))
      for (let from = 0; from < 2000; from += 500) {
        for (const set of sets) store.results.append(set, from, Array.from({ length: 500 }, (_, i) => [from + i, `row-${from + i}`, 'x'.repeat(990)]))
      }
      store.db.pragma('wal_checkpoint(TRUNCATE)')
      const data = store.db.prepare<[], { n: number; bytes: number }>('SELECT count(*) AS n, sum(length(data)) AS bytes FROM result_rows').get()!
      expect(data.n).toBe(8000)
      expect(data.bytes / data.n).toBeGreaterThan(1000)
      // the table's and its key index's pages, free space in them included
      const disk = store.db.prepare<[], { bytes: number }>("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'result_rows')").get()!.bytes
      expect(disk / data.bytes).toBeLessThan(1.5)
    } finally {
      t.cleanup()
    }
  })
})
