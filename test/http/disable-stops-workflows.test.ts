// Disabling a user stops all their work, workflows included (#9, new-user HIGH, security). In the
// trial, bob ran a Rill Flow foreach of 20,000 items (maxConcurrency "20") whose body is a flow_sync
// sub-flow waiting on a suspense task, and a shell sleep. Disable stopped the shell job, but the
// execution and its 20 sub-flows were still running 10+ s later: only attempts holding a slot were
// asked again, and a waiting task holds none. A woken sub-flow could even start new items for him.
// Expected: every unfinished job of his ends failed at once (as his running shell job did) with the reason; wakeups and redos that
// would resume them are refused naming it; a queued job of his never starts; re-enable works again.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openStore } from '../../electron/store'
import { tempDir } from '../support/temp-store'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, signIn, callAs, type TestUser } from '../support/users'
import { addFlow, waitingFlow } from '../support/workflows'

const ITEMS = 20_000
const WIDTH = 20
/** How soon after the disable is answered every job of bob's must have ended (ms). */
const STOP_WITHIN_MS = 5_000
const REASON = /user bob was disabled, so this run of theirs was stopped/

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 8 })
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
}, 60_000)
afterAll(() => t?.close())

const children = (parent: number): { id: number; status: string }[] =>
  t.app.store.db.prepare<[number], { id: number; status: string }>('SELECT id, status FROM jobs WHERE parent_job_id = ? ORDER BY id').all(parent)

it('disabling bob stops his foreach execution, its waiting sub-flows, his queued and running jobs, and nothing of his resumes', { timeout: 120_000 }, async () => {
  await addFlow(bob, 'bobs', 'child', waitingFlow('bobs', 'child'))
  await addFlow(
    bob,
    'bobs',
    'trial',
    `workspace: bobs\ndagName: trial\ntype: flow\ntasks:\n  - category: foreach\n    name: each\n    inputMappings: [{source: $.context.items, target: $.input.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    synchronization: {maxConcurrency: "${WIDTH}"}\n    tasks:\n      - {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://bobs:child"}\n`,
  )
  const r = await bob.call('POST', '/flow/submit.json?descriptor_id=bobs:trial', { items: Array.from({ length: ITEMS }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const parent = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  await expect.poll(() => children(parent).filter((c) => c.status === 'running').length, { timeout: 30_000 }).toBe(WIDTH)
  const aChild = t.app.store.jobs.get(children(parent)[0].id)!

  // and a shell job that runs
  const shell = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 600' })
  expect(shell.status, JSON.stringify(shell.body)).toBe(201)
  await waitForStatus(t, shell.body.id, ['running'])

  const disabled = await t.call('POST', '/api/v1/users/bob', { disabled: true })
  expect(disabled.status, JSON.stringify(disabled.body)).toBe(200)
  const at = Date.now()

  for (const id of [parent, ...children(parent).map((c) => c.id), shell.body.id]) {
    const ended = await waitForStatus(t, id, ENDED_STATUSES, STOP_WITHIN_MS).catch(() => t.app.store.jobs.getWithoutState(id))
    expect(ended.status, `job ${id}, ${Date.now() - at} ms after the disable`).toBe('failed')
    expect(ended.error, `job ${id}`).toMatch(REASON)
  }
  const took = Date.now() - at
  console.log(`disable -> last of ${WIDTH + 2} jobs ended: ${took} ms`)
  expect(took, 'ms from the disable to the last end').toBeLessThan(STOP_WITHIN_MS)
  expect(children(parent).length, 'no new item started after the disable').toBe(WIDTH)

  // what would resume them is refused, naming why (an admin's wakeup and redo, as a cancelled job's)
  const wake = await t.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(aChild.labels.executionId!)}&task_name=w`, { go: true })
  expect(wake.status, JSON.stringify(wake.body)).toBe(409)
  expect(JSON.stringify(wake.body)).toMatch(/bob.*disabled/)
  const redo = await t.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(r.body.execution_id)}`, {})
  expect(redo.status, JSON.stringify(redo.body)).toBe(409)
  expect(JSON.stringify(redo.body)).toMatch(/bob.*disabled/)
  const redoChild = await t.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(aChild.labels.executionId!)}`, {})
  expect(redoChild.status, JSON.stringify(redoChild.body)).toBe(409)
  await new Promise((ok) => setTimeout(ok, 500))
  expect(t.app.store.jobs.getWithoutState(parent)!.status).toBe('failed')
  expect(children(parent).every((c) => c.status === 'failed'), JSON.stringify(children(parent))).toBe(true)

  // re-enabled, bob signs in and works again; his stopped jobs stay as they ended, and may be redone now
  const enabled = await t.call('POST', '/api/v1/users/bob', { disabled: false })
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200)
  const again = callAs(t, await signIn(t, 'bob', bob.password))
  const job = await again('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo back' })
  expect(job.status, JSON.stringify(job.body)).toBe(201)
  expect((await waitForStatus(t, job.body.id, ENDED_STATUSES)).status).toBe('succeeded')
  const redone = await again('POST', `/flow/redo.json?execution_id=${encodeURIComponent(aChild.labels.executionId!)}`, {})
  expect(redone.status, JSON.stringify(redone.body)).toBe(200)
  expect((await again('POST', `/api/v1/jobs/${aChild.id}/cancel`)).status).toBe(200)
})

it('a queued job of a disabled user never starts: it ends failed with the reason when she is disabled', { timeout: 60_000 }, async () => {
  const carol = await addUser(t, 'carol', { rights: ['scripts'] })
  // carol holds her share of the pool (6 of 8) with sleeps, so her next job waits in the queue
  const held: number[] = []
  for (let i = 0; i < 8; i++) {
    const made = await carol.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 600' })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    held.push(made.body.id)
  }
  await expect.poll(async () => (await t.call('GET', `/api/v1/jobs/${held.at(-1)}`)).body.status, { timeout: 20_000 }).toBe('queued')
  const queued = held.at(-1)!
  expect((await t.call('POST', '/api/v1/users/carol', { disabled: true })).status).toBe(200)
  for (const id of held) {
    const ended = await waitForStatus(t, id, ENDED_STATUSES, STOP_WITHIN_MS)
    expect(ended.error, `job ${id}`).toMatch(/user carol was disabled, so this run of theirs was stopped/)
  }
  const [task] = (await t.call('GET', `/api/v1/jobs/${queued}`)).body.tasks
  expect(task.attempts ?? [], 'the queued job never started an attempt').toEqual([])
  expect((await t.call('POST', '/api/v1/users/carol', { disabled: false })).status).toBe(200)
})

it('a waiting execution of a user disabled by an earlier release (which stopped only running attempts) is stopped at the next start', { timeout: 60_000 }, async () => {
  const dir = tempDir()
  let a = await startTestApp({ concurrency: 4, dataDir: dir })
  try {
    const dan = await addUser(a, 'dan')
    await addFlow(dan, 'dans', 'wait', waitingFlow('dans', 'wait'))
    const r = await dan.call('POST', '/flow/submit.json?descriptor_id=dans:wait', {})
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const id = a.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
    await waitForStatus(a, id, ['running'])
    await a.app.close()
    // as an earlier release left it: dan disabled, his execution still waiting
    const store = openStore(join(dir, 'jobdesk.db'))
    store.db.prepare("UPDATE users SET disabled = 1 WHERE username = 'dan'").run()
    store.close()
    a = await startTestApp({ concurrency: 4, dataDir: dir })
    const ended = await waitForStatus(a, id, ENDED_STATUSES, STOP_WITHIN_MS)
    expect(ended).toMatchObject({ status: 'failed', error: expect.stringMatching(/user dan was disabled, so this run of theirs was stopped/) })
  } finally {
    await a.close()
  }
})
