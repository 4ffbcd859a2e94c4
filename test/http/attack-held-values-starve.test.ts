// atk34: one user starves every other user's large answers (store/finished-values.ts). An answer holds
// its finished value from `ready` to its last slice, within 128 MB held in all, and an answer whose value
// does not fit waits up to HOLD_WAIT_MS (30 s) for room. A client that opens answers and does not read
// them holds their values for as long as it keeps the connections open (no write timeout), so mallory,
// with 8 finished jobs of values just under 16 MB (a stored context or result may be up to 16 MiB,
// STATE_JSON_LIMIT: a Rill Flow context of its tasks' outputs grows past what one submit carries; here
// an input, stored the same way) and 8 paused GETs of their details,
// holds all 128 MB, and each of bob's own job details with a value over 64 KiB then waits the whole 30 s.
// (Smaller values need more connections: a paused loopback client's socket buffers take a few MB of
// each answer, so 4 MB ones are written whole and let go.) Measured before the fix: bob's 1 MB detail
// took 30,201 ms (load 8.7), and mallory's hold is hers to keep for as long as the sockets stay open.
import { request, type ClientRequest } from 'node:http'
import { afterAll, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import { finishedScriptJob, inputJsonOf, MB } from '../support/finished-jobs'
import { until } from '../support/until'

const suite = appSuite('mallory', 'bob')
const open: ClientRequest[] = []
afterAll(() => open.forEach((r) => r.destroy()))

/** A finished script job of `submitter` whose input is `bytes` long. */
const finishedJob = (submitter: string, name: string, bytes: number): number => finishedScriptJob(suite.t.app.store, name, inputJsonOf(bytes - 8), submitter)

it("a user who opens answers and never reads them does not make another user's job detail wait for room", async () => {
  const { t, users } = suite
  const { mallory, bob } = users
  const store = t.app.store
  // mallory: 8 finished jobs of 16 MB values (less 1 KiB), each detail asked for and never read
  for (let i = 0; i < 8; i++) {
    const id = finishedJob(mallory.username, `m${i}`, 16 * MB - 1024)
    const req = request(new URL(`${t.url}/api/v1/jobs/${id}`), { headers: { authorization: `Bearer ${mallory.token}` } })
    open.push(req)
    req.on('error', () => undefined)
    req.on('response', (res) => res.pause()) // a client that reads nothing
    req.end()
  }
  await until(() => store.finishedBytes.stats, (s) => s.heldBytes === 8 * (16 * MB - 1024), 'mallory holding 8 values', 20_000)
  // bob's own finished job, with a 1 MB input
  const mine = finishedJob(bob.username, 'bob-1', MB)
  const before = store.finishedBytes.stats
  const detail = await bob.call('GET', `/api/v1/jobs/${mine}`)
  expect(detail.status).toBe(200)
  expect(detail.body.input.s.length).toBe(MB - 8)
  // bob's answer got room: mallory gave back a hold (over her share while bob waits, or idle past
  // HOLD_IDLE_MS) and his value was loaded once and held. Left waiting, it gave up after HOLD_WAIT_MS
  // (30 s) and, with no room in memory, read each slice from SQLite: no load, no hold given back.
  // (The wait in time is measured by attack-held-share.probe.test.ts.)
  const after = store.finishedBytes.stats
  const lapsed = after.lapses.idle + after.lapses.share - before.lapses.idle - before.lapses.share
  expect(lapsed, `mallory still held ${after.heldBytes / MB} MB`).toBeGreaterThanOrEqual(1)
  expect(after.loads - before.loads).toBeGreaterThanOrEqual(1) // his (one of mallory's paused answers may ask for a slice of a value it no longer holds)
}, 90_000)
