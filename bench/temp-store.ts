// `npm run bench -- tempstore` (or `npx tsx bench/temp-store.ts`; BENCH_SORT_ROWS, default 40,000 rows
// of 10 KB, a 400 MB ORDER BY): where a SQL job's temporary data goes. Now a SQL job's connection runs
// with temp_store = MEMORY (executors/scratch-limit.ts limitScratch); before (atk13) it had SQLite's
// default as better-sqlite3 builds it (SQLITE_TEMP_STORE=1: files), and the sorter spilled into
// unlinked files of the system temp folder. The same sort is run each way in a process of its own
// (its peak RSS its own: part-process.ts), taking turns, with SQLITE_TMPDIR a fresh folder, so that the
// open unlinked files there are the sort's. Figures: the sort's wall time (to its first row, and to its
// last), the most bytes of those files seen while the rows were read, and the process's peak RSS.
import Database from 'better-sqlite3'
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { limitScratch } from '../electron/executors/scratch-limit'
import { median } from './main-thread-clock'
import { answerPart, runPart } from './part-process'

const ROWS = Number(process.env.BENCH_SORT_ROWS ?? 40_000)
/** Characters of each row's text (10 KB). */
const ROW_CHARS = 10_000
const ROUNDS = Number(process.env.BENCH_SORT_ROUNDS ?? 3)
const MODES = ['memory', 'files'] as const
type Mode = (typeof MODES)[number]

/** One sort in its own process. */
interface SortRun {
  mode: Mode
  tempStore: number
  firstRowMs: number
  allRowsMs: number
  tempFileBytes: number
  peakRssBytes: number
  startRssBytes: number
}

/** The figures of the part: medians over the rounds, per mode. */
export interface TempStoreFigures {
  rows: number
  dbBytes: number
  rounds: number
  modes: { mode: Mode; tempStore: number; firstRowMs: number; allRowsMs: number; tempFileBytes: number; peakRssBytes: number; startRssBytes: number }[]
  load: [number, number]
}

/** Bytes of this process's open files that were unlinked in `dir` (SQLite's temporary files). */
function unlinkedBytesIn(dir: string): number {
  let bytes = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      if (target.startsWith(dir) && target.endsWith(' (deleted)')) bytes += statSync(`/proc/self/fd/${fd}`).size
    } catch {
      // closed meanwhile
    }
  }
  return bytes
}

/** In the child: the sort of `file`'s table in `mode`, its temporary files under `tmp` (SQLITE_TMPDIR). */
function sortOnce(file: string, mode: Mode, tmp: string): SortRun {
  const db = new Database(file, { readonly: true })
  if (mode === 'memory') limitScratch(db) // what a SQL job's connection runs with
  const tempStore = db.pragma('temp_store', { simple: true }) as number
  const startRssBytes = process.memoryUsage.rss()
  let tempFileBytes = 0
  let firstRowMs = 0
  let n = 0
  const t0 = performance.now()
  for (const _row of db.prepare('SELECT k, v FROM t ORDER BY k').iterate()) {
    if (n === 0) firstRowMs = performance.now() - t0
    if (n % 1000 === 0) tempFileBytes = Math.max(tempFileBytes, unlinkedBytesIn(tmp))
    n++
  }
  const allRowsMs = performance.now() - t0
  db.close()
  if (n !== ROWS) throw new Error(`sorted ${n} rows, not ${ROWS}`)
  return { mode, tempStore, firstRowMs, allRowsMs, tempFileBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, startRssBytes }
}

/** Writes the table to sort: ROWS rows of a random key and ROW_CHARS characters of text. */
function writeTable(file: string): void {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE t (k INTEGER, v TEXT)')
  db.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) INSERT INTO t SELECT random(), hex(randomblob(${ROW_CHARS / 2})) FROM n`).run(ROWS)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}

/** Sorts the same table each way, ROUNDS times taking turns, each in its own process; returns the medians. */
export function measureTempStore(): TempStoreFigures {
  const loadAtStart = loadavg()[0]
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const file = join(dir, 'sort.db')
  const was = process.env.SQLITE_TMPDIR
  try {
    writeTable(file)
    const dbBytes = statSync(file).size
    const runs: SortRun[] = []
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of r % 2 ? [...MODES].reverse() : MODES) {
        const tmp = mkdtempSync(join(dir, 'tmp-'))
        process.env.SQLITE_TMPDIR = tmp
        const run = runPart<SortRun>(import.meta.filename, 'sort', [file, mode, tmp])
        if ('error' in run) throw new Error(`the ${mode} sort failed: ${run.error}`)
        runs.push(run)
      }
    }
    const modes = MODES.map((mode) => {
      const of = runs.filter((x) => x.mode === mode)
      const med = (k: keyof Omit<SortRun, 'mode'>) => median(of.map((x) => x[k]))
      return { mode, tempStore: of[0].tempStore, firstRowMs: med('firstRowMs'), allRowsMs: med('allRowsMs'), tempFileBytes: med('tempFileBytes'), peakRssBytes: med('peakRssBytes'), startRssBytes: med('startRssBytes') }
    })
    return { rows: ROWS, dbBytes, rounds: ROUNDS, modes, load: [loadAtStart, loadavg()[0]] }
  } finally {
    if (was === undefined) delete process.env.SQLITE_TMPDIR
    else process.env.SQLITE_TMPDIR = was
    rmSync(dir, { recursive: true, force: true })
  }
}

const MIB = 2 ** 20

/** The figures as a line of what was sorted and a markdown table. */
export function tempStoreTable(r: TempStoreFigures): string[] {
  const label: Record<Mode, string> = {
    memory: 'now: temp_store = MEMORY (limitScratch)',
    files: "before (atk13): SQLite's default as built, files in the temp folder",
  }
  return [
    `\`SELECT k, v FROM t ORDER BY k\` of ${r.rows.toLocaleString('en-US')} rows of ${ROW_CHARS / 1000} KB text and a random key (a ${(r.dbBytes / MIB).toFixed(0)} MiB table, no index), read to the end; each way in a process of its own, medians of ${r.rounds} rounds taking turns.`,
    '',
    '| temporary data | PRAGMA temp_store | to the first row, ms | to the last, ms | open unlinked temp files, MiB (most seen) | peak RSS, MiB | RSS before the sort, MiB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.modes.map(
      (m) =>
        `| ${label[m.mode]} | ${m.tempStore} | ${m.firstRowMs.toFixed(0)} | ${m.allRowsMs.toFixed(0)} | ${(m.tempFileBytes / MIB).toFixed(0)} | ${(m.peakRssBytes / MIB).toFixed(0)} | ${(m.startRssBytes / MIB).toFixed(0)} |`,
    ),
  ]
}

if (process.argv[2] === '--part') {
  const [file, mode, tmp] = process.argv.slice(4)
  answerPart(sortOnce(file, mode as Mode, tmp))
} else if (process.argv[1]?.endsWith('temp-store.ts')) {
  const r = measureTempStore()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of tempStoreTable(r)) console.log(line)
}
