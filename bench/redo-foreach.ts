// `npm run bench -- redo` (or `npx tsx bench/redo-foreach.ts`; BENCH_REDO_ITEMS, default 100,000):
// a Rill Flow redo (`task_names=f`) of an ended execution whose foreach ran over that many items, in
// process on a store in a temp folder, wired as the app wires it (test/workflows/support/open-rill.ts).
// Measured: the redo call's hold of the main thread (it is synchronous: activation, the drop, the
// commit), the rows it writes to dropped_tasks, then the row sweeper's steps removing the old sub-tasks
// and groups, one a turn while the foreach runs again, and the longest turn of the event loop until the
// execution has ended again. Beside it, on the same job just before the redo, what the redo did before
// (redo12): the read of every task of the job (what activating it read; building it in memory not
// counted) and one transaction of range deletes of the foreach's sub-tasks and groups (rolled back, so
// the redo can follow; its commit not counted): both favour the old path.
import { loadavg } from 'node:os'
import { foreachThenFailingCall } from '../test/workflows/support/foreach-descriptor'
import { withTempRill } from './temp-rill'
import { median, stepEachTurn, stepSummary, timed, watchTurns } from './main-thread-clock'

/** Items of the foreach (the probe's 100,000). */
const ITEMS = Number(process.env.BENCH_REDO_ITEMS ?? 100_000)
const caller = { username: 'test', isAdmin: true }

/** A figure of the redo part: wall and this thread's CPU in ms, and what it did in rows. */
export interface RedoFigures {
  items: number
  tasks: number
  groups: number
  runMs: number
  before: { readAll: { wallMs: number; cpuMs: number; tasks: number }; deleteAll: { wallMs: number; cpuMs: number; rows: number } }
  redo: { wallMs: number; cpuMs: number; dropRows: number; tasksKept: number }
  sweep: ReturnType<typeof stepSummary> & { rows: number; wallMs: number }
  rerun: { wallMs: number; longestTurnMs: number; longestTurnCpuMs: number }
  load: [number, number]
}

const count = (db: { prepare(sql: string): { pluck(): { get(...a: unknown[]): unknown } } }, sql: string, ...args: unknown[]): number => Number(db.prepare(sql).pluck().get(...args))

/** Runs the redo once on a fresh store and returns its figures. */
export async function measureRedoForeach(): Promise<RedoFigures> {
  const loadAtStart = loadavg()[0]
  return withTempRill(async ({ store, engine, workflows }) => {
    const { descriptorId } = workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: foreachThenFailingCall('wide', 'redo') })
    const t0 = performance.now()
    const { job } = workflows.submit({ descriptorId, context: { items: Array.from({ length: ITEMS }, (_, i) => i) }, caller })
    const ended = await engine.waitFor(job.id)
    if (ended.status !== 'failed') throw new Error(`the execution ended ${ended.status}, not failed`)
    const runMs = performance.now() - t0
    const db = store.db
    const tasks = count(db, 'SELECT count(*) FROM tasks WHERE job_id = ?', job.id)
    const groups = count(db, 'SELECT count(*) FROM task_groups WHERE job_id = ?', job.id)

    // before (redo12), median of three: every task read to activate the job, and the sub-tasks and
    // groups deleted in one transaction (the same ranges the sweep takes), rolled back
    const reads = [0, 1, 2].map(() => timed(() => store.jobs.tasks(job.id).length))
    const deleteAll = db.transaction((): number => {
      const rows =
        db.prepare("DELETE FROM tasks WHERE job_id = ? AND name >= 'f_' AND name < 'f`'").run(job.id).changes +
        db.prepare("DELETE FROM task_groups WHERE job_id = ? AND parent >= 'f' AND parent < 'f`'").run(job.id).changes
      throw Object.assign(new Error('roll back'), { rows })
    })
    const deletes = [0, 1, 2].map(() =>
      timed(() => {
        try {
          deleteAll()
          return 0
        } catch (e) {
          return (e as { rows: number }).rows
        }
      }),
    )

    // now: the redo, then the sweep a step a turn (the sweeper's own loop stopped, so each step is timed here)
    const watch = watchTurns()
    const t1 = performance.now()
    const redo = timed(() => engine.redo(job.id, ['f']))
    store.sweeper.stop()
    const dropRows = count(db, 'SELECT count(*) FROM dropped_tasks WHERE job_id = ?', job.id)
    const tasksKept = store.jobs.tasks(job.id).length
    const sweepStart = performance.now()
    const [steps, again] = await Promise.all([
      stepEachTurn(() => store.sweeper.step()).then((s) => ({ s, wallMs: performance.now() - sweepStart })),
      engine.waitFor(job.id).then((j) => ({ j, wallMs: performance.now() - t1 })),
    ])
    const turns = watch.stop()
    if (again.j.status !== 'failed') throw new Error(`the redone execution ended ${again.j.status}, not failed`)
    const sweep = { ...stepSummary(steps.s), rows: steps.s.reduce((a, s) => a + s.rows, 0), wallMs: steps.wallMs }
    return {
      items: ITEMS,
      tasks,
      groups,
      runMs,
      before: {
        readAll: { wallMs: median(reads.map((r) => r.wallMs)), cpuMs: median(reads.map((r) => r.cpuMs)), tasks: reads[0].value },
        deleteAll: { wallMs: median(deletes.map((r) => r.wallMs)), cpuMs: median(deletes.map((r) => r.cpuMs)), rows: deletes[0].value },
      },
      redo: { wallMs: redo.wallMs, cpuMs: redo.cpuMs, dropRows, tasksKept },
      sweep,
      rerun: { wallMs: again.wallMs, longestTurnMs: turns.longestMs, longestTurnCpuMs: turns.longestCpuMs },
      load: [loadAtStart, loadavg()[0]],
    }
  })
}

const f0 = (x: number): string => x.toFixed(0)
const f1 = (x: number): string => x.toFixed(1)

/** The figures as a markdown table and a line of what the run was. */
export function redoForeachTable(r: RedoFigures): string[] {
  const n = r.items.toLocaleString('en-US')
  const s = r.sweep
  // the old sub-tasks and groups, and the drop's own row, that no step removed
  const taken = r.tasks - r.redo.tasksKept + r.groups + r.redo.dropRows - s.rows
  return [
    `A foreach over ${n} items, then a failing call: ${r.tasks.toLocaleString('en-US')} task rows and ${r.groups.toLocaleString('en-US')} group rows; the execution took ${f1(r.runMs / 1000)} s to fail.`,
    '',
    '| redo of the foreach (`task_names=f`) | main thread wall ms | its CPU ms | rows |',
    '|---|---:|---:|---|',
    `| before (redo12, simulated): read every task of the job to activate it (median of 3; building it not counted) | ${f0(r.before.readAll.wallMs)} | ${f0(r.before.readAll.cpuMs)} | ${r.before.readAll.tasks.toLocaleString('en-US')} read |`,
    `| before (redo12, simulated): delete the sub-tasks and groups in one transaction, range deletes (median of 3; rolled back, commit not counted) | ${f0(r.before.deleteAll.wallMs)} | ${f0(r.before.deleteAll.cpuMs)} | ${r.before.deleteAll.rows.toLocaleString('en-US')} deleted |`,
    `| now: the redo call (activation without the sub-tasks, the drop, its commit) | ${f1(r.redo.wallMs)} | ${f1(r.redo.cpuMs)} | ${r.redo.dropRows} row(s) in dropped_tasks; ${r.redo.tasksKept} task(s) read |`,
    `| now: the sweep of the dropped rows, a step a turn while the foreach runs again | ${f0(s.workMs)} in all, over ${f0(s.wallMs)} | | ${s.rows.toLocaleString('en-US')} removed in ${s.steps} steps${taken > 0 ? ` (${taken.toLocaleString('en-US')} more replaced by the new run's rows of the same names before their step came)` : ''} |`,
    '',
    `Sweep steps: ${f0(s.rowsPerStep)} rows a step (median); ${f1(s.p50Ms)} ms a step at the median, ${f1(s.p99Ms)} ms at p99, ${f1(s.maxMs)} ms at the most. ` +
      `From the redo to the execution's end again: ${f1(r.rerun.wallMs / 1000)} s, the longest turn of the event loop ${f0(r.rerun.longestTurnMs)} ms (${f0(r.rerun.longestTurnCpuMs)} ms of this thread's CPU).`,
  ]
}

if (process.argv[1]?.endsWith('redo-foreach.ts')) {
  const r = await measureRedoForeach()
  console.log(`load average ${f1(r.load[0])} at the start, ${f1(r.load[1])} at the end`)
  for (const line of redoForeachTable(r)) console.log(line)
}
