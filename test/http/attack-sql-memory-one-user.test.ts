// Attack (#9, executors/sql-memory.ts): one plain user's endless SQL jobs may hold every claim of the
// SQL memory budget, and then no other user's SQL job starts until one of theirs ends. The budget's
// line was fair among the *waiting* only (fairness/fair-line.ts); nothing capped what one user holds.
// Default figures: budget half of 23.5 GiB = 11 jobs at once, a plain user's share 12 of 16 slots,
// so one user alone filled the budget. Here: budget 2 jobs, concurrency 4 (share 3, newcomer lane 2).
// FAILED on the code before SqlMemoryBudget.perUser: bob's `select 1` waited ("waiting for memory: 2
// SQL jobs hold 2 GiB of 2 GiB") for as long as ann's two endless jobs ran. Now one user holds at most
// three quarters of the claims (here 1 of 2): ann's second endless job waits, and bob's runs at once.
// Then (second test) the SQL jobs waiting for memory held their engine slots (pool and newcomer lane),
// and a fifth user's shell `echo hi` could not start: the budget held stopped all work. FAILED before
// Engine.setWaiting gave a waiting task's slot back (engine-level: test/engine/running-waiting-reason.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQL_JOB_MEMORY_BYTES } from '../../electron/executors/scratch-limit'
import { startTestApp, type TestApp } from '../support/app'
import { ENDLESS, sqlProcesses, SqlJobs, sleep } from '../support/sql-processes'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let ann: TestUser
let bob: TestUser
const others: TestUser[] = []
const jobs = new SqlJobs()
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, sqlMemoryBudgetBytes: 2 * SQL_JOB_MEMORY_BYTES })
  ann = await addUser(t, 'ann')
  bob = await addUser(t, 'bob')
  for (const name of ['carol', 'dave', 'erin', 'frank']) others.push(await addUser(t, name, { rights: ['scripts'] }))
}, 60_000)
afterAll(async () => {
  await jobs.cancelAll()
  await t?.close()
}, 60_000)

const submit = (call: TestApp['call'], code: string): Promise<number> => jobs.submit(call, code)

describe('attack: one user holds the whole SQL memory budget', () => {
  it("another user's one-line SQL job starts while one user's endless SQL jobs hold all the claims they may", { timeout: 90_000 }, async () => {
    await submit(ann.call, ENDLESS)
    const second = await submit(ann.call, ENDLESS)
    // ann's second waits for memory: her share of the budget (1 of 2 claims) is used
    let why: string | undefined
    for (let i = 0; i < 200 && !why?.startsWith('waiting for memory'); i++) {
      await sleep(100)
      why = (await ann.call('GET', `/api/v1/jobs/${second}`)).body.waitingReason
    }
    expect(why).toMatch(/^waiting for memory: its submitter's 1 SQL job holds 1 GiB, the most one user's may hold of the 2 GiB budget/)
    for (let i = 0; i < 200 && sqlProcesses(process.pid).jobs.length < 1; i++) await sleep(100)
    await sleep(500)
    expect(sqlProcesses(process.pid).jobs.length).toBe(1)
    const mine = await submit(bob.call, 'select 1 as x;')
    let status = ''
    let log: string[] = []
    for (let i = 0; i < 150 && status !== 'succeeded'; i++) {
      await sleep(100)
      status = (await bob.call('GET', `/api/v1/jobs/${mine}`)).body.status
    }
    log = (await bob.call('GET', `/api/v1/jobs/${mine}/logs`)).body.lines.map((l: { text: string }) => l.text)
    console.log(`bob's job after 15 s: ${status}; log: ${log.filter((l) => l.includes('memory')).join(' | ')}`)
    expect(status).toBe('succeeded')
  })

  // the SQL jobs waiting for memory held their engine slots (pool and newcomer lane): with the budget
  // held (ann's and carol's endless jobs), three more users' SQL jobs waiting filled the rest of the
  // pool (4) and the lane (2), and a fifth user's shell `echo` then waited too, "all 4 are taken … and
  // so are the 2 places of the newcomer lane"
  it("a fifth user's shell job starts while SQL jobs wait for memory in every other slot", { timeout: 90_000 }, async () => {
    // ann's endless job runs and her second waits, from the test before; carol's takes the other claim
    for (const u of [others[0], others[1], others[2], bob]) await submit(u.call, ENDLESS)
    for (let i = 0; i < 200 && sqlProcesses(process.pid).jobs.length < 2; i++) await sleep(100)
    expect(sqlProcesses(process.pid).jobs.length).toBe(2)
    await sleep(1_500)
    const shell = await others[3].call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo hi' })
    expect(shell.status).toBe(201)
    jobs.keep(others[3].call, shell.body.id)
    let body: { status: string; waitingReason?: string } = { status: '' }
    for (let i = 0; i < 100 && body.status !== 'succeeded'; i++) {
      await sleep(100)
      body = (await others[3].call('GET', `/api/v1/jobs/${shell.body.id}`)).body
    }
    console.log(`frank's echo after 10 s: ${body.status}; ${body.waitingReason}`)
    expect(body.status).toBe('succeeded')
  })
})
