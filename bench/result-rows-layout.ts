// How result_rows' layout weighs on disk and on the store's reads (migration 018): the WITHOUT ROWID
// table of 001 beside a rowid table with a composite PRIMARY KEY (its automatic index) and beside an
// INTEGER PRIMARY KEY with a UNIQUE index. Each store holds `sets` sets of rows of about `rowBytes`
// characters of JSON, written in batches (500) taking turns between sets (as scripts running side by
// side write them). Reads are the store's own statements (result.repository.ts, result-query.ts):
// pages of 100 rows at random offsets, a count of matches, a sort by a cell, a filter, and a set's
// deletion through result_sets' cascade. Then the migration itself on a WITHOUT ROWID table of
// `migrateMb` MB on disk.
// Run: npx tsx bench/result-rows-layout.ts [rows=60000] [rowBytes=1200] [migrateMb=1024] [sets=6] [batch=500]
//   (a script's output lines are written 200 at a time: executors/process.ts)
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, type Db } from '../electron/store/connection'
import { MIGRATIONS } from '../electron/store/migrations'
import { createResultRepository } from '../electron/store/result.repository'
import { createResultQueries } from '../electron/store/result-query'

const rows = Number(process.argv[2] ?? 60_000)
const rowBytes = Number(process.argv[3] ?? 1200)
const migrateMb = Number(process.argv[4] ?? 1024)
const SETS = Number(process.argv[5] ?? 6)
const BATCH = Number(process.argv[6] ?? 500)
const BEFORE = MIGRATIONS.length - 1 // the schema before migration 018 (the last one)

const LAYOUTS: Record<string, string | null> = {
  'WITHOUT ROWID (001)': null,
  'rowid + PRIMARY KEY (set, row_no)': `DROP TABLE result_rows; CREATE TABLE result_rows (
    result_set_id INTEGER NOT NULL REFERENCES result_sets(id) ON DELETE CASCADE, row_no INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (result_set_id, row_no))`,
  'INTEGER PRIMARY KEY + UNIQUE (set, row_no)': `DROP TABLE result_rows; CREATE TABLE result_rows (id INTEGER PRIMARY KEY,
    result_set_id INTEGER NOT NULL REFERENCES result_sets(id) ON DELETE CASCADE, row_no INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE UNIQUE INDEX result_rows_set_row ON result_rows (result_set_id, row_no)`,
}

/** A row of about `bytes` characters of JSON: a number to sort by, a word, then text filler. */
const makeRow = (i: number, bytes: number): unknown[] => [(i * 7919) % 100_003, `w${i % 977}`, 'x'.repeat(Math.max(0, bytes - 40))]

function open(file: string, layout: string | null): Db {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.exec(MIGRATIONS.slice(0, BEFORE).join(';\n'))
  db.pragma(`user_version = ${BEFORE}`)
  if (layout) db.exec(layout)
  return db
}

/** Writes `n` rows over SETS sets of one job, batches of BATCH rows taking turns; returns the set ids and the data characters. */
function fill(db: Db, n: number, bytes: number): { setIds: number[]; dataChars: number } {
  db.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u1', 'sql', 'b', 'succeeded', 'admin', '{}', 1, 1)`).run()
  const results = createResultRepository(db)
  const sets = Array.from({ length: SETS }, () => results.create({ jobId: 1, taskId: null, kind: 'table', columns: [{ name: 'n', type: 'int' }, { name: 'w', type: 'text' }, { name: 't', type: 'text' }] }))
  let written = 0
  let dataChars = 0
  for (let from = 0; written < n; from += BATCH) {
    for (const set of sets) {
      const batch = Array.from({ length: Math.min(BATCH, n - written) }, (_, i) => makeRow(written + i, bytes))
      if (batch.length === 0) break
      results.append(set, from, batch)
      for (const r of batch) dataChars += JSON.stringify(r).length
      written += batch.length
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  return { setIds: sets.map((s) => s.id), dataChars }
}

const tableBytes = (db: Db): number =>
  (db.prepare<[], { b: number }>("SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'result_rows')").get()?.b ?? 0)

function time(runs: number, f: (i: number) => void): number {
  const t0 = performance.now()
  for (let i = 0; i < runs; i++) f(i)
  return (performance.now() - t0) / runs
}

function measureLayout(name: string, layout: string | null): void {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  try {
    const file = join(dir, 'b.db')
    const db = open(file, layout)
    const t0 = performance.now()
    const { setIds, dataChars } = fill(db, rows, rowBytes)
    const writeMs = performance.now() - t0
    const table = tableBytes(db)
    const results = createResultRepository(db)
    const queries = createResultQueries(db)
    const perSet = Math.floor(rows / SETS)
    const set = { id: setIds[2], rowCount: perSet }
    const meta = results.list(1)[2]
    const pageMs = time(300, (i) => results.rows(meta, (i * 104_729) % (perSet - 100), 100))
    const jsonPageMs = time(300, (i) => queries.jsonPage(set, {}, (i * 104_729) % (perSet - 100), 100))
    const countMs = time(20, () => db.prepare('SELECT count(*) FROM result_rows WHERE result_set_id = ?').get(set.id))
    const sortMs = time(5, () => queries.jsonPage(set, { sort: 0, order: 'desc' }, 0, 100))
    const filterMs = time(5, () => queries.jsonPage(set, { filter: 'w976' }, 0, 100))
    const t1 = performance.now()
    db.prepare('DELETE FROM result_sets WHERE id = ?').run(setIds[0])
    const deleteMs = performance.now() - t1
    const left = (db.prepare('SELECT count(*) AS n FROM result_rows WHERE result_set_id = ?').get(setIds[0]) as { n: number }).n
    db.close()
    const f = (x: number) => x.toFixed(x < 10 ? 2 : 0)
    console.log(
      `| ${name} | ${(table / 1e6).toFixed(1)} | ${(table / dataChars).toFixed(2)}× | ${f(writeMs)} | ${f(pageMs)} | ${f(jsonPageMs)} | ${f(countMs)} | ${f(sortMs)} | ${f(filterMs)} | ${f(deleteMs)}${left ? ' (rows left!)' : ''} |`,
    )
    if (name.startsWith('WITHOUT')) console.log(`(data: ${(dataChars / 1e6).toFixed(1)} MB in ${rows} rows, file ${(statSync(file).size / 1e6).toFixed(1)} MB)`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function measureMigration(): void {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  try {
    const file = join(dir, 'm.db')
    const db = open(file, null)
    // rows until the WITHOUT ROWID table holds migrateMb MB on disk (about 4.5 kB a row of 1.2 kB)
    const perRowOnDisk = 4460 * (rowBytes / 1200)
    const n = Math.round((migrateMb * 1e6) / perRowOnDisk)
    const { dataChars } = fill(db, n, rowBytes)
    const before = tableBytes(db)
    db.close()
    const again = new Database(file)
    again.pragma('journal_mode = WAL')
    again.pragma('synchronous = NORMAL')
    again.pragma('foreign_keys = ON')
    const t0 = performance.now()
    migrate(again)
    const ms = performance.now() - t0
    const walMb = statSync(`${file}-wal`).size / 1e6
    const tc = performance.now()
    again.pragma('wal_checkpoint(TRUNCATE)')
    const checkpointMs = performance.now() - tc
    const after = tableBytes(again)
    const fileMb = statSync(file).size / 1e6
    again.close()
    console.log(
      `migration: ${n} rows, ${(dataChars / 1e6).toFixed(0)} MB of data, table ${(before / 1e6).toFixed(0)} MB → ${(after / 1e6).toFixed(0)} MB in ${(ms / 1000).toFixed(1)} s` +
        ` (WAL ${walMb.toFixed(0)} MB, checkpoint ${(checkpointMs / 1000).toFixed(1)} s, file ${fileMb.toFixed(0)} MB after: the old table's pages are free pages)`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${rows} rows of ~${rowBytes} chars in ${SETS} sets, batches of ${BATCH}; ms per call`)
console.log('| layout | table+index MB | ÷ data | write ms | page of 100 ms | JSON page ms | count ms | sort ms | filter ms | delete set ms |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const [name, layout] of Object.entries(LAYOUTS)) measureLayout(name, layout)
if (migrateMb > 0) measureMigration()
console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
