// The SQL jobs' memory budget (#9, executors/sql-memory.ts): each SQL job's process may grow to
// SQL_JOB_MEMORY_BYTES, and the processes running at once may claim at most the budget in all; a SQL
// job past it waits (running, its log says why) and starts when one ends, never killed or failed for it.
// The budget is set to two jobs' limits here, so three processes show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQL_JOB_MEMORY_BYTES } from '../../electron/executors/scratch-limit'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { ENDLESS, SECOND_ENDLESS, sqlProcesses, waitForFirstSet, SqlJobs, sleep } from '../support/sql-processes'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let ann: TestUser
let bob: TestUser
const jobs = new SqlJobs()
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, sqlMemoryBudgetBytes: 2 * SQL_JOB_MEMORY_BYTES })
  ann = await addUser(t, 'ann')
  bob = await addUser(t, 'bob')
}, 60_000)
afterAll(async () => {
  await jobs.cancelAll()
  await t?.close()
}, 60_000)

const submit = (call: TestApp['call'], code: string): Promise<number> => jobs.submit(call, code)
const logOf = async (call: TestApp['call'], id: number): Promise<string[]> => (await call('GET', `/api/v1/jobs/${id}/logs`)).body.lines.map((l: { text: string }) => l.text)
/** Waits until `n` SQL processes run a job; fails after 20 s. */
const jobProcesses = async (n: number): Promise<number[]> => {
  let pids: number[] = []
  for (let i = 0; i < 200 && pids.length !== n; i++) {
    await sleep(100)
    pids = sqlProcesses(process.pid).jobs
  }
  expect(pids.length).toBe(n)
  return pids
}

describe('the SQL jobs memory budget', () => {
  it("a lone user's SQL job runs at once, with nothing said of memory", { timeout: 60_000 }, async () => {
    const id = await submit(ann.call, 'select 1 as x;')
    await waitForStatus(t, id, ['succeeded'])
    expect((await logOf(ann.call, id)).some((l) => l.includes('waiting for memory'))).toBe(false)
  })

  it('the third SQL job (an admin\'s) waits while two hold the budget, says why, and starts when one ends', { timeout: 90_000 }, async () => {
    const a = await submit(ann.call, ENDLESS)
    await submit(bob.call, ENDLESS)
    await jobProcesses(2)
    const admin = await submit(t.call, SECOND_ENDLESS)
    // it waits: running (its engine slot lent to other work meanwhile), no third process, its log says why
    let log: string[] = []
    for (let i = 0; i < 100 && !log.some((l) => l.includes('waiting for memory')); i++) {
      await sleep(100)
      log = await logOf(t.call, admin)
    }
    expect(log).toContain('waiting for memory: 2 SQL jobs hold 2 GiB of the 2 GiB budget and this one needs 1 GiB; it starts when one ends')
    await sleep(1_500)
    expect(sqlProcesses(process.pid).jobs.length).toBe(2)
    expect((await t.call('GET', `/api/v1/jobs/${admin}`)).body.status).toBe('running')
    // a cancel ends a wait: cancelled, and the one waiting before it keeps its turn
    const cancelled = await submit(bob.call, ENDLESS)
    for (let i = 0; i < 100 && !(await logOf(bob.call, cancelled)).some((l) => l.startsWith('waiting for memory')); i++) await sleep(100)
    expect((await bob.call('POST', `/api/v1/jobs/${cancelled}/cancel`)).status).toBe(200)
    await waitForStatus(t, cancelled, ['cancelled'])
    expect(sqlProcesses(process.pid).jobs.length).toBe(2)
    // ann's ends (a cancel): the admin's starts, and is neither failed nor killed for having waited
    expect((await ann.call('POST', `/api/v1/jobs/${a}/cancel`)).status).toBe(200)
    await waitForFirstSet(t.call, admin)
    await jobProcesses(2)
    expect((await t.call('GET', `/api/v1/jobs/${admin}`)).body.status).toBe('running')
  })

  // the job waiting for memory stayed "running 0%" in the native API and on the Jobs page, its log
  // alone saying why (#9, sqlwait): its waitingReason says it, told when read. FAILS without it (null).
  it('a job waiting for memory says so in its detail and the list (to its user and to an admin), and not once it runs', { timeout: 90_000 }, async () => {
    await jobs.cancelAll()
    await jobProcesses(0)
    const annFirst = await submit(ann.call, ENDLESS)
    await submit(bob.call, ENDLESS)
    await jobProcesses(2)
    const waiting = await submit(ann.call, SECOND_ENDLESS)
    const reasonOf = async (call: TestApp['call'], id: number) => (await call('GET', `/api/v1/jobs/${id}`)).body.waitingReason
    for (let i = 0; i < 100 && !(await reasonOf(ann.call, waiting)); i++) await sleep(100)
    const detail = (await ann.call('GET', `/api/v1/jobs/${waiting}`)).body
    expect(detail.status).toBe('running')
    // ann's and bob's each wait for one of their own to end: one user holds at most 1 of the 2 claims (SqlMemoryBudget.perUser)
    const why = "waiting for memory: its submitter's 1 SQL job holds 1 GiB, the most one user's may hold of the 2 GiB budget, so that others' jobs find room; it starts when one of them ends"
    expect(detail.waitingReason).toBe(why)
    expect(await reasonOf(t.call, waiting)).toBe(why) // an admin reads the same
    expect(await reasonOf(ann.call, annFirst)).toBeNull() // running its statement: waits for nothing
    // a second waiting job: told afresh, each says how many wait
    const bobWaiting = await submit(bob.call, ENDLESS)
    for (let i = 0; i < 100 && !(await reasonOf(bob.call, bobWaiting)); i++) await sleep(100)
    expect(await reasonOf(ann.call, waiting)).toBe(`${why} (2 SQL jobs wait, taken in turn by user)`)
    // the list carries it on the waiting rows, as on queued ones; a working running row has none
    const list = (await t.call('GET', '/api/v1/jobs?limit=50')).body
    const byId = new Map<number, { waitingReason?: string | null }>(list.items.map((j: { id: number }) => [j.id, j]))
    expect(byId.get(waiting)?.waitingReason).toBe(`${why} (2 SQL jobs wait, taken in turn by user)`)
    expect(byId.get(bobWaiting)?.waitingReason).toBe(`${why} (2 SQL jobs wait, taken in turn by user)`)
    expect(byId.get(annFirst)).not.toHaveProperty('waitingReason')
    const annList = (await ann.call('GET', '/api/v1/jobs?limit=50')).body
    expect(annList.items.find((j: { id: number }) => j.id === waiting)?.waitingReason).toContain('waiting for memory: ')
    // ann's first ends: her waiting one starts (her turn: she runs none now, bob one) and says nothing more
    expect((await ann.call('POST', `/api/v1/jobs/${annFirst}/cancel`)).status).toBe(200)
    for (let i = 0; i < 100 && (await reasonOf(ann.call, waiting)) !== null; i++) await sleep(100)
    expect(await reasonOf(ann.call, waiting)).toBeNull()
    expect((await ann.call('GET', `/api/v1/jobs/${waiting}`)).body.status).toBe('running')
    expect(await reasonOf(bob.call, bobWaiting)).toBe(why)
  })
})
