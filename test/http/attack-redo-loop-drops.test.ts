// atk15 finding (MEDIUM): a user redoes her running foreach of 3,000 items 30 times, 150 ms apart
// (redo.json task_names=each; each redo replaces the root's drop, jobs.dropSubTasks, and restarts its
// sweep, row-sweeper.ts). The execution then never ends: on main (3d29a678) it stays RUNNING with the
// foreach running and 1,750 of its 3,000 sub-tasks made (2,375 groups), and the engine logs 15,636
// "unexpected error in job 1: Error: job 1 has no task each_<i>-step" (engine.ts get, from
// Engine.redo -> dispatch -> start -> rillflow driver prepare -> taskChanged: a sub-task the redo
// removed from job.tasks is still in the ready queue) and 155 "UNIQUE constraint failed: tasks.job_id,
// tasks.name" (startGroups -> addTasks: a group started again inserts a sub-task whose name is taken).
// Not made by drops14: with its three files and migration 035 taken back (8d80b2c6) the same loop
// leaves the execution RUNNING too (all 3,001 tasks succeeded, 9,151 "has no task", 344 UNIQUE).
// The sweep itself is not at fault: no drop row is left. Expected: the last run ends (SUCCEED), and
// only its rows are left.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'
import { foreachWorkflow, PASS_STEP } from '../support/workflows'

const ITEMS = 3000
const REDOS = 30

const suite = appSuite('eve')
let t: TestApp
let eve: TestUser
beforeAll(() => ({ t, users: { eve } } = suite))

const count = (sql: string, ...args: unknown[]) => t.app.store.db.prepare<unknown[], number>(sql).pluck().get(...args)!

async function status(executionId: string): Promise<string> {
  const r = await eve.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=true`)
  return r.body?.ret?.dag_status
}

async function until<T>(what: string, fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`${what}: still ${String(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('redo of a wide foreach in a loop', () => {
  it('leaves, once the sweep is done, only the last run’s rows', { timeout: 600_000 }, async () => {
    const added = await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=wide&alias=release', foreachWorkflow('eves:wide', PASS_STEP), { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const submitted = await eve.call('POST', '/flow/submit.json?descriptor_id=eves:wide', { items: Array.from({ length: ITEMS }, (_, i) => i) })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    const executionId: string = submitted.body.execution_id
    const jobId = count('SELECT id FROM jobs WHERE uuid = ?', executionId.slice(executionId.lastIndexOf('_c_') + 3))
    await until('first run', () => status(executionId), (s) => s === 'SUCCEED')
    const firstRows = count('SELECT count(*) FROM tasks WHERE job_id = ?', jobId)
    const firstGroups = count('SELECT count(*) FROM task_groups WHERE job_id = ?', jobId)

    const started = Date.now()
    let refused = 0
    let maxRows = 0
    for (let i = 0; i < REDOS; i++) {
      const r = await eve.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(executionId)}&task_names=each`, {})
      if (r.status !== 200) refused++
      maxRows = Math.max(maxRows, count('SELECT count(*) FROM tasks WHERE job_id = ?', jobId))
      await new Promise((ok) => setTimeout(ok, 150)) // let the run make some of its sub-tasks
    }
    const loopDone = Date.now()
    const last = await until('last run', () => status(executionId), (s) => s === 'SUCCEED' || s === 'FAILED', 60_000).catch((e: Error) => e.message)
    await until('sweep', () => t.app.store.sweeper.pending(), (p) => !p, 60_000).catch(() => undefined)
    const rows = count('SELECT count(*) FROM tasks WHERE job_id = ?', jobId)
    const groups = count('SELECT count(*) FROM task_groups WHERE job_id = ?', jobId)
    const drops = count('SELECT count(*) FROM dropped_tasks WHERE job_id = ?', jobId)
    const byStatus = t.app.store.db.prepare('SELECT status, count(*) AS n FROM tasks WHERE job_id = ? GROUP BY status').all(jobId)
    console.log(
      `last run: ${last}; tasks by status ${JSON.stringify(byStatus)}; ${REDOS} redos (${refused} refused) in ${((loopDone - started) / 1000).toFixed(1)} s; most task rows seen ${maxRows}; sweep done ${((Date.now() - loopDone) / 1000).toFixed(1)} s after; rows ${rows} (first run ${firstRows}), groups ${groups} (${firstGroups}), drops ${drops}`,
    )
    expect(await status(executionId)).toBe('SUCCEED')
    expect(drops).toBe(0)
    expect(rows).toBe(firstRows)
    expect(groups).toBe(firstGroups)
  })
})
