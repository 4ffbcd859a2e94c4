// A restart's recovery runs in slices (Engine.recoverInSlices, #9 §2 recov): a waiting foreach of 100,000
// items held the main thread 4.4-6.5 s in one turn (test/workflows/recovery-wide-foreach.probe.test.ts
// measures the server). Here, in the engine: other work runs between its slices; a request on a job it
// has not taken up yet is refused (503 recovering) rather than taken for a finished job; every task
// of the stored jobs runs exactly once, after its dependencies, nothing lost, nothing run twice; and a
// stop in the middle of recovery leaves the rest to the next start, which takes it up as well.
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import { openStore, type Store } from '../../electron/store'
import type { NewTask } from '../../electron/store/job.repository'
import { threadCpuMs } from '../support/cpu-time'
import { tempDir } from '../support/temp-store'

const JOBS = 3
const WIDE = 4_000 // tasks a job: enough for many slices of a tick's time, few enough to run in seconds

let store: Store | undefined
let dir: string | undefined
const engines: Engine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Every run of a task, `<job>:<task>` in the order they began. */
let runs: string[] = []
const recorder: Executor = {
  name: 'record',
  resumable: true, // an interrupted one runs again: once more, not twice more
  async run(ctx) {
    runs.push(`${ctx.jobId}:${ctx.taskName}`)
    return { output: null }
  },
}

/**
 * Stored jobs as a process killed in the middle of them leaves them: each running, its task `root`
 * succeeded (it ran before the crash), `t<i>` (i < WIDE) depending on root and, from i = 1, on
 * `t<i-1>`'s neighbour `t<i-1>` for odd i (pairs in order); t0 and t1 running (interrupted), the rest
 * of the even ones queued, the odd ones pending. Ids in order.
 */
function storedJobs(s: Store): number[] {
  const ids: number[] = []
  for (let j = 0; j < JOBS; j++) {
    const tasks: NewTask[] = [{ name: 'root', executor: 'record' }]
    for (let i = 0; i < WIDE; i++) tasks.push({ name: `t${i}`, executor: 'record', dependsOn: i % 2 ? ['root', `t${i - 1}`] : ['root'] })
    const id = s.jobs.create({ uuid: randomUUID(), kind: 'dag', name: `wide ${j}`, submitter: 'admin' }, tasks)
    s.jobs.saveJob({ ...s.jobs.getWithoutState(id)!, status: 'running', startedAt: Date.now() }, false, false)
    const now = Date.now()
    s.db.prepare("UPDATE tasks SET status = 'succeeded', attempt = 1, started_at = ?, finished_at = ? WHERE job_id = ? AND name = 'root'").run(now, now, id)
    s.db.prepare("UPDATE tasks SET status = 'queued' WHERE job_id = ? AND name != 'root' AND CAST(substr(name, 2) AS INTEGER) % 2 = 0").run(id)
    s.db.prepare("UPDATE tasks SET status = 'running', attempt = 1, started_at = ? WHERE job_id = ? AND name IN ('t0', 't1')").run(now, id)
    ids.push(id)
  }
  return ids
}

const engineOn = (s: Store): Engine => {
  const e = new Engine({ store: s, executors: new ExecutorRegistry([recorder]), concurrency: 8, stopGraceMs: 2000 })
  engines.push(e)
  return e
}

/** Turns of the event loop (setImmediate) that ran while `work` ran, and the longest gap between two (ms). */
async function turnsDuring<T>(work: Promise<T>): Promise<{ result: T; turns: number; longestMs: number }> {
  let turns = 0
  let longestMs = 0
  let last = performance.now()
  let done = false
  const spin = () => {
    if (done) return
    const now = performance.now()
    longestMs = Math.max(longestMs, now - last)
    last = now
    turns++
    setImmediate(spin)
  }
  setImmediate(spin)
  const result = await work
  done = true
  return { result, turns, longestMs }
}

/**
 * Recovery run a step a turn (slices of 0 ms) while another turn of the event loop reads this thread's
 * CPU time between two: the longest CPU the thread spent in one turn, and how many turns ran. CPU time,
 * not wall time: what JobDesk's own work held the thread, whatever else a loaded machine runs meanwhile.
 */
async function longestStepCpu(engine: Engine): Promise<{ longestMs: number; turns: number }> {
  let longestMs = 0
  let turns = 0
  let last = threadCpuMs()
  let done = false
  const spin = () => {
    if (done) return
    const now = threadCpuMs()
    longestMs = Math.max(longestMs, now - last)
    last = now
    turns++
    setImmediate(spin)
  }
  setImmediate(spin)
  const recovery = engine.recoverInSlices(0)
  engine.ticksAfter(recovery)
  await recovery
  done = true
  longestMs = Math.max(longestMs, threadCpuMs() - last) // its last step, which no turn followed
  return { longestMs, turns }
}

/** Asserts each job's tasks all succeeded, each ran once (root: before the crash only), and after its dependency. */
function expectRunOnceInOrder(s: Store, ids: number[]): void {
  for (const id of ids) {
    expect(s.jobs.get(id)!.status).toBe('succeeded')
    const mine = runs.filter((r) => r.startsWith(`${id}:`)).map((r) => r.slice(String(id).length + 1))
    expect(mine).toHaveLength(WIDE) // t0..t<WIDE-1>, each once; root not again
    expect(new Set(mine).size).toBe(WIDE)
    const at = new Map(mine.map((n, i) => [n, i]))
    for (let i = 1; i < WIDE; i += 2) expect(at.get(`t${i}`)!).toBeGreaterThan(at.get(`t${i - 1}`)!)
    for (const t of s.jobs.tasks(id)) expect(t.status, t.name).toBe('succeeded')
  }
}

it('takes the stored jobs up in slices; a job not yet taken up is refused 503, then every task runs once, in order', async () => {
  dir = tempDir()
  store = openStore(join(dir, 'jobdesk.db'))
  const ids = storedJobs(store)
  runs = []
  const engine = engineOn(store)
  // slices of 1 ms, not a tick's 20: how many turns it takes then depends little on the machine's speed
  // (a quiet CI machine took the three jobs up in 6 turns of 20 ms slices)
  const recovery = engine.recoverInSlices(1)
  engine.ticksAfter(recovery) // as the app does: nothing starts before every job is known
  expect(engine.isRecovering()).toBe(true)
  let refused: unknown
  try {
    engine.cancel(ids[JOBS - 1])
  } catch (e) {
    refused = e
  }
  expect(refused).toBeInstanceOf(AppError)
  expect(refused).toMatchObject({ kind: 'unavailable', code: 'recovering', message: expect.stringContaining(`job ${ids[JOBS - 1]} is being taken up after a restart`) })
  expect((refused as Error).message).toMatch(new RegExp(`\\(recovering: [0-${JOBS - 1}] of ${JOBS} unfinished jobs taken up\\)`)) // how far it is
  expect(() => engine.redo(ids[JOBS - 1], ['t0'])).toThrow(/is being taken up after a restart/) // not a second live job of it
  engine.note(ids[JOBS - 1], 'INFO', 'noted while it was being taken up') // written once it is, after recovery's own lines
  const { result: report, turns, longestMs } = await turnsDuring(recovery)
  console.log(`recovery of ${JOBS} jobs of ${WIDE + 1} tasks: ${turns} turns of the event loop between its slices, the longest gap ${longestMs.toFixed(0)} ms`)
  expect(report).toEqual({ jobs: JOBS, resumedTasks: 2 * JOBS, failedTasks: 0 })
  expect(turns).toBeGreaterThan(JOBS * 3) // several slices a job, other work between them (it was one turn)
  expect(engine.isRecovering()).toBe(false)
  expect(runs).toEqual([]) // nothing started during recovery
  for (const id of ids) await engine.waitFor(id)
  expectRunOnceInOrder(store, ids)
  const log = store.logs.read(ids[JOBS - 1], 0, 50).lines
  expect(log.map((l) => l.seq)).toEqual(log.map((_, i) => i)) // one numbering
  expect(log.map((l) => l.text)).toContain('noted while it was being taken up')
  expect(log.findIndex((l) => l.text === 'noted while it was being taken up')).toBeGreaterThan(log.findIndex((l) => /JobDesk restarted: task t1/.test(l.text)))
}, 60_000)

it('a stop in the middle of recovery leaves the rest to the next start, and every task still runs once', async () => {
  dir = tempDir()
  store = openStore(join(dir, 'jobdesk.db'))
  const ids = storedJobs(store)
  runs = []
  const first = engineOn(store)
  const recovery = first.recoverInSlices()
  first.ticksAfter(recovery)
  // until the first job is taken up (committed), the others not yet
  while (store.db.prepare("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'running'").pluck().get(ids[0]) !== 0) await new Promise((ok) => setImmediate(ok))
  expect(first.isRecovering()).toBe(true)
  await first.stop()
  const partial = await recovery
  expect(partial.jobs).toBeLessThan(JOBS + 1)
  expect(store.db.prepare("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'running'").pluck().get(ids[JOBS - 1])).toBe(2) // not taken up: as the crash left it
  expect(runs).toEqual([])

  const second = engineOn(store)
  const again = second.recoverInSlices()
  second.ticksAfter(again)
  expect(await again).toEqual({ jobs: JOBS, resumedTasks: 2 * (JOBS - 1), failedTasks: 0 }) // the first job's two were queued by the first start
  for (const id of ids) await second.waitFor(id)
  expectRunOnceInOrder(store, ids)
}, 60_000)

// A job a restart finds with tens of thousands of tasks to change: a cancel cut short (the job stays
// `cancelling` while its tasks end a slice at a time, sliced-cancel.test.ts) leaves them queued, and
// recovery cancels them all; a job whose tasks wait with their dependencies done gets them all queued.
// Before, each job's changes were made and saved in one step: at 50,000 tasks one step held the thread
// 663 ms of CPU (cancelling) and 807 ms (pending) at load 17. Now they are saved a slice at a time.
const MANY = 30_000

/** A stored job of MANY tasks after its succeeded `root`, all depending on it only, in state `task`; the job `job`. */
function manyTasksJob(s: Store, job: 'running' | 'cancelling', task: 'pending' | 'queued'): number {
  const tasks: NewTask[] = [{ name: 'root', executor: 'record' }]
  for (let i = 0; i < MANY; i++) tasks.push({ name: `t${i}`, executor: 'record', dependsOn: ['root'] })
  const id = s.jobs.create({ uuid: randomUUID(), kind: 'dag', name: `many ${job}`, submitter: 'admin' }, tasks)
  s.jobs.saveJob({ ...s.jobs.getWithoutState(id)!, status: job, startedAt: Date.now() }, false, false)
  const now = Date.now()
  s.db.prepare("UPDATE tasks SET status = 'succeeded', attempt = 1, started_at = ?, finished_at = ? WHERE job_id = ? AND name = 'root'").run(now, now, id)
  s.db.prepare("UPDATE tasks SET status = ? WHERE job_id = ? AND name != 'root'").run(task, id)
  return id
}

for (const [job, task, end] of [['cancelling', 'queued', 'cancelled'], ['running', 'pending', 'succeeded']] as const) {
  it(`a restart on a ${job} job of ${MANY} ${task} tasks never holds the thread long in one step, and the job ends ${end}`, async () => {
    dir = tempDir()
    store = openStore(join(dir, 'jobdesk.db'))
    const id = manyTasksJob(store, job, task)
    runs = []
    const engine = engineOn(store)
    const { longestMs, turns } = await longestStepCpu(engine)
    console.log(`recovery of a ${job} job of ${MANY} ${task} tasks: ${turns} turns, the longest ${longestMs.toFixed(1)} ms of CPU`)
    // a slice's steps take ~10-30 ms of CPU; the bound leaves room for a slow CI machine, and is far below
    // the seconds-long single step it guards against
    expect(longestMs).toBeLessThan(100)
    await engine.waitFor(id)
    expect(store.jobs.get(id)!.status).toBe(end)
    const counts = store.jobs.taskCountsByStatus(id) as Record<string, number>
    expect(counts[end]).toBe(end === 'succeeded' ? MANY + 1 : MANY)
  }, 120_000)
}
