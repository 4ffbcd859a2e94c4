// A job failed past its submitter's held-work bound (engine/held-work-guard.ts) with tens of thousands
// of tasks ends them a tick's slice at a time, as a cancel does (engine.ts beginStop): failing them all
// in one pass held the main thread 603 ms for 100k tasks in process, and the served probe of a 100k-item
// foreach's redo 284 s (the reverted a3e4bb25). The bound is set low here (20,000 tasks) rather than
// making 120,000 tasks. Meanwhile the job shows as cancelling, a status probe answers within 200 ms, no
// commit saves more than a slice, and a restart in the middle still ends it failed with its reason.
// A foreach too large for the bound is refused at its start, before any of its groups (groups.ts
// planForeach), with its nested foreaches whose collections are known then (nested-fanout.ts), and once
// accepted its groups' tasks are reserved (a nested foreach reserves its own at its start): two nested
// foreaches of 15,000 items each no longer pass the bound together, the second is refused at its start
// with next to nothing added. The bound is passed here by the branches of a choice in each of a
// foreach's 15,000 groups (counted as one task a group at the foreach's start, 30,000 together), cut
// as their batches reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TICK_MAX_CHANGES } from '../../electron/engine/budget'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, type TestApp } from '../support/app'
import { watchCommits } from '../support/commit-watch'
import { tempDir } from '../support/temp-store'
import { addUser, callAs, signIn, type TestUser } from '../support/users'

const BOUND = { jobs: 10, tasks: 20_000 }
/** Items of the foreach, a choice each whose branch is one suspense task: 30,000 together, past the bound, so their fan-out is refused near 20,000 tasks. */
const ITEMS = 15_000
const REASON = /its fan-out would add .* tasks? to the .* that user dave's 1 unfinished job holds; a user's unfinished jobs hold at most 20,000 tasks in 10 jobs, so this job was stopped/
const dir = tempDir()
let t: TestApp
let dave: TestUser
const start = () => startTestApp({ concurrency: 8, dataDir: dir, maxHeldWorkPerUser: BOUND })
beforeAll(async () => {
  t = await start()
  dave = await addUser(t, 'dave')
  const descriptor =
    'workspace: daves\ndagName: fan\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
    '      - category: choice\n        name: c\n        inputMappings: [{source: $.context.it, target: $.input.n}]\n        choices:\n' +
    '          - condition: "$.input.[?(@.n >= 0)]"\n            tasks: [{category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}]\n'
  const r = await dave.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=daves&feature_name=fan&alias=release', descriptor, { 'content-type': 'text/plain' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
}, 60_000)
afterAll(() => t?.close())

const submitFan = async (as: (m: string, p: string, b?: unknown) => Promise<{ status: number; body: any }>) => {
  const r = await as('POST', '/flow/submit.json?descriptor_id=daves:fan', { items: Array.from({ length: ITEMS }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
}
const counts = (id: number) => t.app.store.jobs.taskCountsByStatus(id)

describe('a job failed past the held-work bound with tens of thousands of tasks', () => {
  it('ends them in slices while a status probe answers within 200 ms, cancelling meanwhile, then failed with the reason', { timeout: 120_000 }, async () => {
    const id = await submitFan((m, p, b) => dave.call(m, p, b))
    const commits = watchCommits(t.app.store, (task) => (task.jobId === id && task.status === 'cancelled' ? task.name : undefined))
    const seen = new Set<string>()
    // the worst answer from the first that saw the job cancelling (its failure's slices) on; before it, the fan-out's
    let worst = 0
    let fanOutWorst = 0
    let probes = 0
    let ended: any
    const end = Date.now() + 100_000
    while (Date.now() < end) {
      const began = performance.now()
      const { body } = await dave.call('GET', `/api/v1/jobs/${id}`)
      const took = performance.now() - began
      if (seen.has('cancelling') || body.status === 'cancelling' || body.status === 'failed') {
        worst = Math.max(worst, took)
        probes++
      } else fanOutWorst = Math.max(fanOutWorst, took)
      seen.add(body.status)
      if (body.status === 'failed') {
        ended = body
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    const held = commits.flat().length
    console.log(`failed past the bound: ${held} tasks ended in ${commits.length} commits (largest ${Math.max(...commits.map((c) => c.length))}); ${probes} probes meanwhile, worst ${worst.toFixed(0)} ms (during the fan-out ${fanOutWorst.toFixed(0)} ms); statuses ${[...seen].join(', ')}`)
    expect(ended?.error).toMatch(REASON)
    expect(seen.has('cancelling')).toBe(true)
    expect(held).toBeGreaterThan(BOUND.tasks / 2)
    expect(counts(id)).toEqual({ cancelled: held })
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(TICK_MAX_CHANGES)
    expect(probes).toBeGreaterThan(3)
    expect(worst).toBeLessThan(200)
  })

  it('still ends failed with its reason, every task ended, when JobDesk restarts in the middle of it', { timeout: 120_000 }, async () => {
    const id = await submitFan((m, p, b) => dave.call(m, p, b))
    const end = Date.now() + 100_000
    while (t.app.store.jobs.get(id)!.status !== 'cancelling' && Date.now() < end) await new Promise((r) => setImmediate(r))
    const { cancelled = 0, ...left } = counts(id)
    const unended = Object.values(left).reduce((n, c) => n + c, 0)
    console.log(`restart in the middle: ${cancelled} tasks ended, ${unended} not yet (${JSON.stringify(left)})`)
    expect(unended).toBeGreaterThan(1000) // tasks the stop has not ended yet
    await t.app.close() // as at a quit: the data folder stays, and the next start takes the job up
    t = await start()
    const again = callAs(t, await signIn(t, 'dave', dave.password))
    let body: any
    while (Date.now() < end && (body = (await again('GET', `/api/v1/jobs/${id}`)).body).status !== 'failed') await new Promise((r) => setTimeout(r, 50))
    expect(body.error).toMatch(REASON)
    expect(Object.keys(counts(id))).toEqual(['cancelled'])
  })
})
