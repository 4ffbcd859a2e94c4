// atk13: one user's job details make another user's wait behind all of theirs in the value reader's
// line (store/value-reader.ts). A finished value over LOAD_HERE_BYTES (2 MB) is loaded in a worker
// thread before its answer streams (finished-values.ts ready -> value-loads.ts -> valueReader), and
// valueReader takes its slots with `slots.acquire({ signal })`: no owner, so every user's loads share
// the one owner '' of workerSlots and start strictly first come, first served — the fair share by
// owner that worker-slots.ts gives every other kind of work is never used here. Each answer checks for
// room (mayHold) before its load, but loads under way are not counted in heldBytes, so mallory's
// answers for many distinct values all pass at once and all queue a load. Here mallory asks for the
// details of 24 of her finished jobs (12 MB inputs each) with clients that read nothing, then bob asks
// for his own job's 3 MB input: his load starts only after (nearly) all of mallory's. Measured (load
// 0.5): bob's detail 152 ms alone, 2,150-2,251 ms behind her line, after 23 of her 24 loads.
import { request, type ClientRequest } from 'node:http'
import { afterAll, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import { finishedScriptJob, inputJsonOf, MB } from '../support/finished-jobs'

const suite = appSuite('mallory', 'bob')
const open: ClientRequest[] = []
afterAll(() => open.forEach((r) => r.destroy()))

const finishedJob = (submitter: string, name: string, bytes: number): number => finishedScriptJob(suite.t.app.store, name, inputJsonOf(bytes - 8), submitter)

const MALLORY_JOBS = 24

it("a user's many job details do not put another user's value load behind all of theirs", async () => {
  const { t, users } = suite
  const { mallory, bob } = users
  const store = t.app.store
  const ids = Array.from({ length: MALLORY_JOBS }, (_, i) => finishedJob(mallory.username, `m${i}`, 12 * MB))
  const mine = finishedJob(bob.username, 'bob-1', 3 * MB)
  const alone = finishedJob(bob.username, 'bob-0', 3 * MB)
  // bob alone first: his load's time with an empty line
  let started = performance.now()
  expect((await bob.call('GET', `/api/v1/jobs/${alone}`)).status).toBe(200)
  const aloneMs = performance.now() - started

  const before = store.finishedBytes.stats.offThread
  for (const id of ids) {
    const req = request(new URL(`${t.url}/api/v1/jobs/${id}`), { headers: { authorization: `Bearer ${mallory.token}` } })
    open.push(req)
    req.on('error', () => undefined)
    req.on('response', (res) => res.pause()) // a client that reads nothing: its answer streams nothing on this thread
    req.end()
  }
  await new Promise((r) => setTimeout(r, 150)) // her answers reached their loads
  const atStart = store.finishedBytes.stats.offThread - before
  started = performance.now()
  const detail = await bob.call('GET', `/api/v1/jobs/${mine}`)
  const bobMs = performance.now() - started
  expect(detail.status).toBe(200)
  expect(detail.body.input.s.length).toBe(3 * MB - 8)
  // loads of mallory's that ended between bob's request and his answer (his own is one of them)
  const ahead = store.finishedBytes.stats.offThread - before - atStart - 1
  // a fair share by owner: bob waits behind the loads running when he came (2 threads), not her whole line
  expect(ahead, `bob's load waited behind ${ahead} of mallory's (${bobMs.toFixed(0)} ms vs ${aloneMs.toFixed(0)} ms alone)`).toBeLessThanOrEqual(3)
}, 120_000)
