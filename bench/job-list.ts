// `npm run bench -- joblist` (or `npx tsx bench/job-list.ts`; BENCH_LIST_JOBS, default 50, jobs of
// BENCH_LIST_TASKS, default 60,000, task rows each: 3M tasks, the atk20 attack's size): a page of the
// Jobs list (jobs.list, 50 jobs, each with its task count) on a store in a temp folder, now (the count
// kept by migration 042's triggers) beside before (every listed job's visible tasks counted, the
// statement as it was), taking turns, median of 5; and what the triggers cost the inserts that make the
// tasks (3M rows, with them and with them dropped; one run each).
import { loadavg } from 'node:os'
import { TASK_VISIBLE } from '../electron/store/jobs/sub-task-names'
import { tempStore } from '../test/support/temp-store'
import { median, timed } from './main-thread-clock'

const JOBS = Number(process.env.BENCH_LIST_JOBS ?? 50)
const TASKS = Number(process.env.BENCH_LIST_TASKS ?? 60_000)

/** The joblist part's figures (ms). */
export interface JobListFigures {
  jobs: number
  tasksPerJob: number
  list: { nowMs: number; beforeMs: number }
  insert: { withTriggersMs: number; withoutMs: number }
  load: [number, number]
}

/** Makes JOBS jobs of TASKS rows in a store of its own, with or without the task_rows triggers; its insert time and the store. */
function makeJobs(withTriggers: boolean) {
  const t = tempStore()
  const db = t.store.db
  if (!withTriggers) db.exec('DROP TRIGGER job_task_rows_added') // the insert is what it times
  const ids = Array.from({ length: JOBS }, (_, j) => t.store.jobs.create({ uuid: `u${j}`, kind: 'workflow', name: `w${j}`, submitter: 'admin', input: {} }, []))
  const insert = db.prepare(
    `INSERT INTO tasks (job_id, name, executor, status)
     SELECT ?, 'fe_' || value, 'noop', 'pending' FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < ${TASKS}) SELECT value FROM n)`,
  )
  const made = timed(() => db.transaction(() => ids.forEach((id) => insert.run(id)))())
  return { t, ms: made.wallMs }
}

/** Measures a list page now and before, and the inserts with and without the triggers. */
export async function measureJobList(): Promise<JobListFigures> {
  const loadAtStart = loadavg()[0]
  const without = makeJobs(false)
  without.t.cleanup()
  const { t, ms: withTriggersMs } = makeJobs(true)
  try {
    const before = t.store.db.prepare(`SELECT j.id, (SELECT count(*) FROM tasks t WHERE t.job_id = j.id AND ${TASK_VISIBLE}) AS task_count FROM jobs j ORDER BY j.id DESC LIMIT 50`)
    const nows: number[] = []
    const befores: number[] = []
    for (let i = 0; i < 5; i++) {
      nows.push(timed(() => t.store.jobs.list({ limit: 50 })).wallMs)
      befores.push(timed(() => before.all()).wallMs)
    }
    const listed = t.store.jobs.list({ limit: 1 }).items[0]
    if (listed?.taskCount !== TASKS) throw new Error(`the list counted ${listed?.taskCount} tasks, not ${TASKS}`)
    return { jobs: JOBS, tasksPerJob: TASKS, list: { nowMs: median(nows), beforeMs: median(befores) }, insert: { withTriggersMs, withoutMs: without.ms }, load: [loadAtStart, loadavg()[0]] }
  } finally {
    t.cleanup()
  }
}

/** The joblist part's table (markdown lines). */
export function jobListTable(r: JobListFigures): string[] {
  const n = (x: number) => x.toLocaleString('en-US')
  return [
    `${n(r.jobs)} jobs of ${n(r.tasksPerJob)} task rows each (${n(r.jobs * r.tasksPerJob)} tasks).`,
    '',
    '| | ms |',
    '|---|---:|',
    `| a page of the Jobs list (50 jobs and their task counts), now: jobs.task_rows (median of 5) | ${r.list.nowMs.toFixed(1)} |`,
    `| the same page before: each job's visible tasks counted (median of 5) | ${r.list.beforeMs.toFixed(1)} |`,
    `| inserting the ${n(r.jobs * r.tasksPerJob)} tasks, with the task_rows triggers | ${r.insert.withTriggersMs.toFixed(0)} |`,
    `| the same without them | ${r.insert.withoutMs.toFixed(0)} |`,
  ]
}

if (process.argv[1]?.endsWith('job-list.ts')) {
  const r = await measureJobList()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of jobListTable(r)) console.log(line)
}
