// atk15 finding (MEDIUM): the per-user quota of what finished jobs keep (shared/quotas.ts
// MAX_KEPT_BYTES_PER_USER, migrations 034 and 036) counts result rows, each job's input (its code or
// submitted context) and its log, but not the job's state: every task's stored input and output
// (tasks.input / tasks.output, up to 16 MiB each: store/state-json.ts STATE_JSON_LIMIT), the context
// as tasks change it, foreach groups' sub-contexts (task_groups.context). A Rill Flow pass task's input
// is what its inputMappings copy out of the context, and its output is that input again, so one
// submitted context of 1 MB mapped by a chain of N pass tasks keeps 2N MB on disk while the quota
// sees 1 MB. A descriptor may have 1,000 tasks (descriptor/limits.ts maxTasks): a user granted
// nothing keeps ~2 GB per 1 MB job, ~4 GB per 2 MB one, far past her 2 GiB quota after one job, and
// her next submit is still taken (app.ts admitQueued read the result, code and log bytes only).
// Here the app keeps a user to QUOTA (4 MiB); the test expects what her finished jobs keep in all to
// stay near it: her submits are refused once they keep well past it. On main (3d29a678): 4 jobs in
// 1.6 s, the database grew 156.6 MiB (152.6 MiB of task inputs and outputs, ~100 MiB/s) while the
// quota counted 3.8 MiB; only then was the fifth submit refused.
// Fixed (kept15): a job's state counts as it is written (migration 037, store/kept-bytes.ts), and a
// commit that grows it past what her quota leaves is rolled back and that job failed with the reason
// (engine/kept-bytes-guard.ts): a job may end FAILED here, then only with the quota's words; the
// bound on what the database grows is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB
/** Pass tasks in the chain: each keeps the 1 MB value twice (input and output). */
const PASS_TASKS = 20
/** Jobs she tries at most (each keeps ~40 MB: 6 are 60 times the quota). */
const MAX_JOBS = 6

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, maxKeptBytesPerUser: QUOTA })
  eve = await addUser(t, 'eve') // no rights: a Rill Flow workflow of pass tasks needs none
}, 60_000)
afterAll(() => t?.close())

/** A chain p1 → … → pN of pass tasks, each mapping the context's `s` into its input. */
const DESCRIPTOR = `workspace: eves\ndagName: fat\ntype: flow\ntasks:\n${Array.from({ length: PASS_TASKS }, (_, i) => {
  const next = i + 1 < PASS_TASKS ? `, next: p${i + 2}` : ''
  return `  - {category: pass, name: p${i + 1}${next}, inputMappings: [{source: $.context.s, target: $.input.s}]}`
}).join('\n')}\n`

/** Bytes the database holds (its pages in use). */
const dbBytes = () => {
  const db = t.app.store.db
  return ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * (db.pragma('page_size', { simple: true }) as number)
}

/** Polls get.json (as eve) until the execution is done; returns its dag_status. */
async function finished(executionId: string, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const r = await eve.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=true`)
    const status = r.body?.ret?.dag_status
    if (status === 'SUCCEED' || status === 'FAILED') return status
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${status}`)
    await new Promise((ok) => setTimeout(ok, 100))
  }
}

describe("what a user's finished Rill Flow jobs keep in task values", () => {
  it('is bounded: once her jobs keep well past her quota, her next submit is refused', { timeout: 600_000 }, async () => {
    const added = await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=fat&alias=release', DESCRIPTOR, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const before = dbBytes()
    const started = Date.now()
    const context = { s: 'x'.repeat(1_000_000) }
    let jobs = 0
    let refused: { status: number; body: unknown } | null = null
    while (!refused && jobs < MAX_JOBS) {
      const submitted = await eve.call('POST', '/flow/submit.json?descriptor_id=eves:fat', context)
      if (submitted.status !== 200) {
        refused = { status: submitted.status, body: submitted.body }
        break
      }
      jobs++
      const status = await finished(submitted.body.execution_id)
      if (status !== 'SUCCEED') {
        const job = t.app.store.jobs.getWithoutState(t.app.store.jobs.idOfUuid(uuidOfExecutionId(submitted.body.execution_id))!)
        expect(job?.error).toMatch(/user eve's jobs keep .*, and a user's jobs keep at most 4 MiB/)
      }
    }
    const seconds = (Date.now() - started) / 1000
    const grown = dbBytes() - before
    const taskValues = t.app.store.db
      .prepare<[], number>(
        "SELECT coalesce(sum(coalesce(octet_length(t.input), 0) + coalesce(octet_length(t.output), 0)), 0) FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.submitter = 'eve'",
      )
      .pluck()
      .get()!
    const counted = t.app.store.keptBytes.ofSubmitter('eve')
    console.log(
      `eve ran ${jobs} jobs in ${seconds.toFixed(1)} s; the database grew ${(grown / MiB).toFixed(1)} MiB; her tasks' inputs and outputs: ${(taskValues / MiB).toFixed(1)} MiB; ` +
        `her quota counts ${(counted / MiB).toFixed(1)} MiB of ${(QUOTA / MiB).toFixed(0)}; refused: ${refused ? `${refused.status} ${JSON.stringify(refused.body).slice(0, 200)}` : 'never'}`,
    )
    expect(grown).toBeLessThanOrEqual(2 * QUOTA)
  })
})
