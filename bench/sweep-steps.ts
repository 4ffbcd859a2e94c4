// `npm run bench -- sweep` (or `npx tsx bench/sweep-steps.ts`; BENCH_SWEEP_ROWS, rows of each of the
// job's two result sets, default 1,000,000): deleting a SQL job of many result rows, in process on a
// store in a temp folder. Now: `jobs.delete` (the job's row goes at once, foreign keys off) and the row
// sweeper's steps (store/row-sweeper.ts), one a turn of the event loop as its own loop runs them, each
// timed. Before (atk11): the same job's twin deleted by one cascading DELETE with foreign keys on, as
// jobs.delete did until then (the schema's ON DELETE CASCADE from jobs to result_sets to result_rows).
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../electron/store'
import { SWEEP_STEP_ROWS } from '../electron/store/row-sweeper'
import { stepEachTurn, stepSummary, timed } from './main-thread-clock'

/** Rows of each of the job's two result sets (the atk11 probe's 2 × 1,000,000). */
const ROWS = Number(process.env.BENCH_SWEEP_ROWS ?? 1_000_000)

/** The sweep part's figures (ms: wall, and this thread's CPU where said). */
export interface SweepFigures {
  rows: number
  rowBytes: number
  cascade: { wallMs: number; cpuMs: number }
  deleteCall: { wallMs: number; cpuMs: number }
  sweep: ReturnType<typeof stepSummary> & { rows: number; wallMs: number }
  load: [number, number]
}

/**
 * A finished SQL job of `eve` with two result sets of ROWS short rows each (`[i,"name-i"]`, as a
 * `SELECT` of two columns stores them), written by SQL for speed, byte_size and row_count as
 * results.append counts them; its id.
 */
function jobOfManyRows(store: Store, uuid: string): number {
  const id = store.jobs.create({ uuid, kind: 'script', name: uuid, submitter: 'eve' }, [{ name: 'main', executor: 'sql', spec: {} }])
  const taskId = store.jobs.tasks(id)[0]!.id
  for (let s = 0; s < 2; s++) {
    const set = store.results.create({ jobId: id, taskId, kind: 'table', columns: [{ name: 'id', type: 'int' }, { name: 'name', type: 'text' }] })
    store.transaction(() => {
      store.db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
           INSERT INTO result_rows (result_set_id, row_no, data) SELECT ?, i, '[' || i || ',"name-' || i || '"]' FROM n`,
        )
        .run(ROWS, set.id)
      store.db
        .prepare("UPDATE result_sets SET row_count = ?, byte_size = (SELECT sum(length(data)) FROM result_rows WHERE result_set_id = ?), state = 'complete' WHERE id = ?")
        .run(ROWS, set.id, set.id)
    })
  }
  const head = store.jobs.getWithoutState(id)!
  store.jobs.saveJob({ ...head, status: 'succeeded', finishedAt: Date.now() }, false, false)
  return id
}

/** Deletes two like jobs, one each way, on a fresh store; returns the figures. */
export async function measureSweepSteps(): Promise<SweepFigures> {
  const loadAtStart = loadavg()[0]
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  try {
    const before = jobOfManyRows(store, 'cascaded')
    const now = jobOfManyRows(store, 'swept')
    const rowBytes = Number(store.db.prepare('SELECT avg(length(data)) FROM result_rows').pluck().get())
    store.db.pragma('wal_checkpoint(TRUNCATE)')

    // before: one statement, the cascade deleting every row in it
    const cascade = timed(() => store.db.prepare('DELETE FROM jobs WHERE id = ?').run(before).changes)
    if (cascade.value !== 1) throw new Error('the cascaded job was not deleted')
    store.db.pragma('wal_checkpoint(TRUNCATE)')

    // now: the job's row, then the sweep (its own loop stopped, so that each step is timed here)
    const deleteCall = timed(() => store.jobs.delete(now))
    store.sweeper.stop()
    const t0 = performance.now()
    const steps = await stepEachTurn(() => store.sweeper.step(SWEEP_STEP_ROWS))
    const wallMs = performance.now() - t0
    const left = Number(store.db.prepare('SELECT count(*) FROM result_rows').pluck().get())
    if (left !== 0) throw new Error(`${left} result rows left after the sweep`)
    return {
      rows: ROWS,
      rowBytes,
      cascade: { wallMs: cascade.wallMs, cpuMs: cascade.cpuMs },
      deleteCall: { wallMs: deleteCall.wallMs, cpuMs: deleteCall.cpuMs },
      sweep: { ...stepSummary(steps), rows: steps.reduce((a, s) => a + s.rows, 0), wallMs },
      load: [loadAtStart, loadavg()[0]],
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const f0 = (x: number): string => x.toFixed(0)
const f1 = (x: number): string => x.toFixed(1)

/** The figures as a line of what was deleted and a markdown table. */
export function sweepStepsTable(r: SweepFigures): string[] {
  const s = r.sweep
  return [
    `A finished SQL job of 2 × ${r.rows.toLocaleString('en-US')} result rows (${f0(r.rowBytes)} bytes of JSON a row), deleted each way; a step removes at most ${SWEEP_STEP_ROWS.toLocaleString('en-US')} rows (SWEEP_STEP_ROWS).`,
    '',
    '| delete of the job | holds the main thread at once, ms (its CPU) | steps | rows a step (median) | ms a step: p50 | p99 | max | work in all, ms | spread over, ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| before (atk11): one cascading DELETE (foreign keys on) | ${f0(r.cascade.wallMs)} (${f0(r.cascade.cpuMs)}) | 1 | ${(2 * r.rows).toLocaleString('en-US')} | | | | ${f0(r.cascade.wallMs)} | ${f0(r.cascade.wallMs)} |`,
    `| now: jobs.delete, then the row sweeper a step a turn | ${f1(r.deleteCall.wallMs)} (${f1(r.deleteCall.cpuMs)}) | ${s.steps} | ${f0(s.rowsPerStep)} | ${f1(s.p50Ms)} | ${f1(s.p99Ms)} | ${f1(s.maxMs)} | ${f0(s.workMs)} | ${f0(s.wallMs)} |`,
  ]
}

if (process.argv[1]?.endsWith('sweep-steps.ts')) {
  const r = await measureSweepSteps()
  console.log(`load average ${f1(r.load[0])} at the start, ${f1(r.load[1])} at the end`)
  for (const line of sweepStepsTable(r)) console.log(line)
}
