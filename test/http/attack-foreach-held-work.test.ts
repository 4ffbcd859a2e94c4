// atk17 finding (HIGH): a foreach's fan-out evades the per-user bound of what unfinished jobs hold in
// memory (shared/quotas.ts MAX_HELD_WORK_PER_USER, 5,000 jobs / 50,000 tasks then, 120,000 since fix18). A Rill Flow execution
// is weighed at its submit by its top-level tasks only (engine.ts checkAdmission: one task for a
// foreach); its groups' tasks are added later by the runtime (groups.ts startGroups -> ctl.addTasks),
// counted by ActiveJobs.recount but never refused, and nothing else bounds them: the sub-contexts'
// size bound (subContextsTooLarge, 16 M chars) allows hundreds of thousands of small items, each
// group may hold a descriptor's worth of tasks, and suspense tasks wait without end. So a burst of
// submits (all taken before any fans out) or a single execution with a wide enough collection holds
// any number of tasks: the bound only refuses her NEXT submit. On main (eb7076ec), a user granted
// nothing: 5 submits of a foreach over 1,000 items x 40 suspense tasks, all 5 accepted; 30 s later
// her jobs hold 200,005 waiting tasks (4x the bound) and the heap grew 160.5 MiB (HEAP_BOUND 128);
// with more items or executions it grows until the process runs out of memory. The test expects the
// held tasks to stay within the bound (twice it when the bound was 50,000; fix18 raised it to 120,000,
// which the same 200,005 tasks are within twice of) or the heap under HEAP_BOUND.
// Fixed (fanout17, re-landed in fix18): each addition of a running job's tasks is weighed against the bound (engine/held-work-
// guard.ts); one that would pass it adds nothing and fails its job with the reason, freeing its room. So
// not every execution fans out whole any more: the test waits until each has ended or holds all its
// tasks, and her next submit is refused exactly when what her live jobs hold leaves no room for it
// (on main it held 200,005 tasks: refused), which is what "the count saw the fan-out" means. The job
// failed past the bound ends its tasks in slices, as a cancel's (engine.ts beginStop).
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_HELD_WORK_PER_USER } from '../../shared/quotas'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

const MiB = 1024 * 1024
/** Suspense tasks in each group of the foreach (a descriptor may have 1,000 tasks). */
const PER_GROUP = 40
/** Items of each execution's foreach. */
const ITEMS = 1_000
/** Executions she submits: each one top-level task at its submit. */
const JOBS = 5
const HEAP_BOUND = 128 * MiB

const suite = appSuite('eve')
let t: TestApp
let eve: TestUser
beforeAll(() => ({ t, users: { eve } } = suite))

const DESCRIPTOR =
  'workspace: eves\ndagName: fan\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
  Array.from({ length: PER_GROUP }, (_, i) => `      - {category: suspense, name: w${i}, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}`).join('\n') +
  '\n'

const heap = () => process.memoryUsage().heapUsed
/** Eve's jobs that are live, each with its tasks. */
const liveJobs = () =>
  t.app.store.db
    .prepare<[], { id: number; tasks: number }>("SELECT jobs.id, (SELECT count(*) FROM tasks WHERE job_id = jobs.id) AS tasks FROM jobs WHERE submitter = 'eve' AND status IN ('queued', 'running', 'cancelling')")
    .all()
const waitingTasks = () =>
  t.app.store.db.prepare<[], number>("SELECT count(*) FROM tasks JOIN jobs ON jobs.id = tasks.job_id WHERE jobs.submitter = 'eve' AND tasks.status = 'running'").pluck().get()!

describe("a foreach's fan-out and the bound of a user's held work", () => {
  it('does not let a few accepted executions hold many times the bound of tasks in memory', { timeout: 600_000 }, async () => {
    const added = await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=fan&alias=release', DESCRIPTOR, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const before = heap()
    const started = Date.now()
    const items = Array.from({ length: ITEMS }, (_, i) => i)
    let accepted = 0
    for (let i = 0; i < JOBS; i++) {
      const r = await eve.call('POST', '/flow/submit.json?descriptor_id=eves:fan', { items })
      if (r.status === 200) accepted++
    }
    const want = accepted * (ITEMS * PER_GROUP + 1)
    const end = Date.now() + 420_000
    let waiting = 0
    // until all of them hold every task, or those that do not have ended (failed past the bound)
    const fannedOut = () => {
      const live = liveJobs()
      return live.every((j) => j.tasks === ITEMS * PER_GROUP + 1) && waiting === live.length * (ITEMS * PER_GROUP + 1)
    }
    while ((waiting = waitingTasks()) < want && !fannedOut() && Date.now() < end) await new Promise((ok) => setTimeout(ok, 500))
    const held = liveJobs().reduce((n, j) => n + j.tasks, 0)
    const grown = heap() - before
    const next = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1' })
    console.log(
      `${accepted} of ${JOBS} executions accepted; after ${((Date.now() - started) / 1000).toFixed(1)} s eve's jobs hold ${waiting} waiting tasks ` +
        `(bound ${MAX_HELD_WORK_PER_USER.tasks}); heap grew ${(grown / MiB).toFixed(1)} MiB; her next submit: ${next.status}`,
    )
    expect(next.status).toBe(held + 1 > MAX_HELD_WORK_PER_USER.tasks ? 403 : 201) // the count saw the fan-out
    expect(waiting <= MAX_HELD_WORK_PER_USER.tasks || grown < HEAP_BOUND, `${waiting} tasks held, heap +${(grown / MiB).toFixed(1)} MiB`).toBe(true)
  })
})
