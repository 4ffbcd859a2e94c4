// Attack (#9 §2, the MEDIUM left open after the newcomer lane, attack-full-pool-newcomer.test.ts): the
// lane past the pool was an eighth of it (16 → 2). Six users' `sleep 300` shell jobs held the 16 pool
// slots, two more users' `sleep 300` took the 2 lane slots, and a ninth user's `SELECT 1` stayed queued
// until any of the 18 ended (here, as long as the sleeps last).
// Expected: the lane grows with the users holding no slot, one slot each, up to half the pool
// (fair-queue.ts newcomerLane): a ninth and a tenth user's SQL jobs, and the admin's, start at once
// and finish; none of them takes a slot of the pool from the six, and the two in the lane hold one
// slot each, whatever they have waiting.
// This test FAILS with the lane of an eighth: carol's job stays queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

/** The production default (README: --concurrency), so the pool is the one the attack filled. */
const CONCURRENCY = 16
/** Jobs each of the six submits: more than the pool holds between them (18 of 16), so some wait. */
const JOBS_EACH = 3
/** How soon a newcomer's job must start (ms, the job's createdAt to startedAt, as the server timed them). */
const START_WITHIN_MS = 1000
/**
 * How soon it must have ended (ms, submit to `succeeded` as the client polls it: mostly the SQL
 * process's run, which the machine's load sets). As attack-full-pool-newcomer.test.ts measured it.
 */
const END_WITHIN_MS = 5000
/** Long enough to outlast the test; every one is cancelled after it (their processes killed). */
const LONG = 'sleep 120'

let t: TestApp
let sleepers: TestUser[]
let laners: TestUser[]
let carol: TestUser
let dan: TestUser
const long: { user: TestUser; id: number }[] = []

beforeAll(async () => {
  t = await startTestApp({ concurrency: CONCURRENCY })
  sleepers = []
  for (let i = 1; i <= 6; i++) sleepers.push(await addUser(t, `sleeper${i}`, { rights: ['scripts'] }))
  laners = [await addUser(t, 'laner7', { rights: ['scripts'] }), await addUser(t, 'laner8', { rights: ['scripts'] })]
  carol = await addUser(t, 'carol') // no scripts right: she only runs SQL
  dan = await addUser(t, 'dan')
}, 120_000)

afterAll(async () => {
  for (const { user, id } of long) await user.call('POST', `/api/v1/jobs/${id}/cancel`)
  await t?.close()
}, 60_000)

const statusesOf = async (ids: number[]): Promise<string[]> => Promise.all(ids.map(async (id) => (await t.call('GET', `/api/v1/jobs/${id}`)).body.status))
const runningOf = async (users: TestUser[]): Promise<number> =>
  (await statusesOf(long.filter((l) => users.includes(l.user)).map((l) => l.id))).filter((s) => s === 'running').length

async function submitLong(user: TestUser): Promise<void> {
  const made = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: LONG })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  long.push({ user, id: made.body.id })
}

async function until(what: () => Promise<number>, want: number, label: string): Promise<void> {
  const began = Date.now()
  let got = await what()
  while (got < want && Date.now() - began < 30_000) {
    await new Promise((r) => setTimeout(r, 100))
    got = await what()
  }
  expect(got, label).toBe(want)
}

/** Submits `select 1` as `who`, and answers how long it waited to start and took to succeed (ms), and its one row. */
async function selectOne(who: TestApp['call']): Promise<{ waited: number; ms: number; rows: unknown }> {
  const began = Date.now()
  const made = await who('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1 as x;' })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const ended = await waitForStatus(t, made.body.id, ['succeeded', 'failed', 'cancelled'], 10_000)
  const ms = Date.now() - began
  expect(ended.status, JSON.stringify(ended)).toBe('succeeded')
  const set = await who('GET', `/api/v1/jobs/${made.body.id}/results/0`)
  expect(set.status, JSON.stringify(set.body)).toBe(200)
  return { waited: ended.startedAt - ended.createdAt, ms, rows: set.body.rows }
}

describe('attack: six users hold the pool and two more the newcomer lane, all with long jobs', () => {
  it('a ninth and a tenth user’s short SQL jobs, and the admin’s, still start and finish at once', async () => {
    for (let round = 0; round < JOBS_EACH; round++) for (const user of sleepers) await submitLong(user)
    await until(() => runningOf(sleepers), CONCURRENCY, 'every slot of the pool held by the six')
    for (const user of laners) for (let i = 0; i < 2; i++) await submitLong(user)
    await until(() => runningOf(laners), 2, 'the two in the lane, one job each')

    for (const [name, call] of [['carol', carol.call], ['dan', dan.call], ['the admin', t.call]] as const) {
      const r = await selectOne(call)
      expect(r.rows).toEqual([[1]])
      expect(r.waited, `${name}'s select 1 waited ${r.waited} ms to start`).toBeLessThan(START_WITHIN_MS)
      expect(r.ms, `${name}'s select 1 took ${r.ms} ms from submit to succeeded`).toBeLessThan(END_WITHIN_MS)
    }

    // the newcomers took no slot from the six, and each in the lane still holds one
    expect(await runningOf(sleepers)).toBe(CONCURRENCY)
    expect(await runningOf(laners)).toBe(2)
  }, 120_000)
})
