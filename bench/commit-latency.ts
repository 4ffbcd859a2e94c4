// Main-thread commit latency (#9 §2): the engine and every request share the main thread, so a
// commit that waits on the disk holds them all. A commit in WAL mode with synchronous=NORMAL syncs
// nothing, but one that checkpoints (SQLite's automatic checkpoint, every 1,000 pages) copies the log
// into the database file and fsyncs it, and behind other programs' writeback that fsync waits for
// them. Side by side in one run: SQLite's automatic checkpoint on the main thread, and JobDesk's
// checkpointer (store/checkpointer.ts: a worker thread, with a 64 MB backstop on the main thread);
// each alone and behind a 300 MB file written every 3 s by another process (as a test suite's
// imports, a copy or a download do).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCheckpointer } from '../electron/store/checkpointer'
import { openDatabase } from '../electron/store/connection'

export interface CommitLatency {
  checkpoints: 'SQLite, on the main thread' | 'JobDesk checkpointer (worker)'
  writeback: boolean
  commits: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Commits that took over 100 ms. */
  over100: number
  /** The log's largest size (MB). */
  walMb: number
}

/** Commits of 10 rows of 4 kB (40 kB) every 5 ms for `seconds`, as an engine's ticks through a wide foreach. */
async function measure(worker: boolean, writeback: boolean, seconds: number): Promise<CommitLatency> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-commits-'))
  const file = join(dir, 'jobdesk.db')
  const db = openDatabase(file)
  const checkpointer = worker ? startCheckpointer(db, file) : undefined
  while (checkpointer && checkpointer.where !== 'worker') await new Promise((r) => setTimeout(r, 20))
  const writer = writeback
    ? spawn('/bin/sh', ['-c', `while :; do dd if=/dev/zero of="$1/other" bs=1M count=300 status=none; sleep 3; done`, 'writeback', dir], { stdio: 'ignore' })
    : undefined
  db.exec('CREATE TABLE filler (v BLOB)')
  const insert = db.prepare('INSERT INTO filler (v) VALUES (?)')
  const commit = db.transaction((tick: number) => {
    for (let i = 0; i < 10; i++) insert.run(Buffer.alloc(4000, tick))
  })
  const times: number[] = []
  let walMb = 0
  const end = performance.now() + seconds * 1000
  for (let tick = 0; performance.now() < end; tick++) {
    const t0 = performance.now()
    commit(tick)
    times.push(performance.now() - t0)
    if (tick % 20 === 0) walMb = Math.max(walMb, statSync(`${file}-wal`).size / 2 ** 20)
    await new Promise((r) => setTimeout(r, 5))
  }
  writer?.kill('SIGKILL')
  await checkpointer?.stop()
  db.close()
  rmSync(dir, { recursive: true, force: true })
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]
  return {
    checkpoints: worker ? 'JobDesk checkpointer (worker)' : 'SQLite, on the main thread',
    writeback,
    commits: times.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: times.at(-1) ?? 0,
    over100: times.filter((t) => t > 100).length,
    walMb,
  }
}

/** The four cases, `seconds` each, alternating the two ways so that both see the same machine. */
export async function measureCommitLatency(seconds = 20): Promise<CommitLatency[]> {
  const rows: CommitLatency[] = []
  for (const writeback of [false, true]) for (const worker of [false, true]) rows.push(await measure(worker, writeback, seconds))
  return rows
}

/** The rows as a Markdown table. */
export function commitLatencyTable(rows: CommitLatency[]): string[] {
  return [
    '| checkpoints | other program writing | commits | p50 ms | p99 ms | max ms | over 100 ms | largest log MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.checkpoints} | ${r.writeback ? '300 MB every 3 s' : 'no'} | ${r.commits} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.maxMs.toFixed(0)} | ${r.over100} | ${r.walMb.toFixed(0)} |`),
  ]
}
