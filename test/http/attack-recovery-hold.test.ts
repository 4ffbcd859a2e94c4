// atk18 attack: a restart on the data of a user granted nothing whose one execution waits in a foreach of
// 100,000 items (the issue's own workload, within MAX_HELD_WORK_PER_USER) holds the main thread for
// seconds AFTER the server listens. app.ts calls engine.recover() after server.listen (and after
// announcing the URL in the instance lock), and recover reads every unfinished job's tasks, marks every
// one dirty and saves them all in one commit, in one turn: a client that connects meanwhile (the
// desktop window, a CLI, Rill Flow callbacks) waits without an answer. Several users' jobs add up. The
// test times engine.recover (the one call, wrapped to time it) and expects it to hold the thread less
// than the status probe's 200 ms, the rest of the work left to ticks as everything else is.
// Found (atk18, on 604206ec, load 3.0): 100,001 waiting tasks; the restart's start took 7,436 ms, recover()
// 5,186 ms of it in one turn after listen (a 5 ms interval's worst gap 7,321 ms; earlier run 7,383 / 7,077).
// (app.ts marks the start as holding the thread by design, but the server is listening by then.)
import { afterAll, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser } from '../support/users'
import { foreachWorkflow, HOLD_TASK } from '../support/workflows'

const ITEMS = 100_000
let t: TestApp | undefined
afterAll(() => t?.close())

it("a restart does not hold the listening server for seconds to take up one user's waiting foreach", { timeout: 400_000 }, async () => {
  const dir = tempDir()
  t = await startTestApp({ concurrency: 8, dataDir: dir })
  const app = () => t!
  const dave = await addUser(app(), 'dave')
  const descriptor = foreachWorkflow('daves:fan', HOLD_TASK)
  const added = await dave.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=daves&feature_name=fan&alias=release', descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const r = await dave.call('POST', '/flow/submit.json?descriptor_id=daves:fan', { items: Array.from({ length: ITEMS }, (_, i) => i) })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id = app().app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  const waiting = () => (app().app.store.jobs.taskCountsByStatus(id) as Record<string, number>).running ?? 0
  const end = Date.now() + 300_000
  while (waiting() < ITEMS && Date.now() < end) await new Promise((ok) => setTimeout(ok, 500))
  const held = waiting()
  expect(held).toBeGreaterThanOrEqual(ITEMS)
  await app().app.close() // as at a quit: the next start takes the job up

  // how long the one recover() call holds the thread, the server already listening
  const recover = Engine.prototype.recover
  let recoverMs = -1
  Engine.prototype.recover = function (this: Engine) {
    const began = performance.now()
    try {
      return recover.call(this)
    } finally {
      recoverMs = performance.now() - began
    }
  }
  let last = performance.now()
  let worst = 0
  const lag = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last)
    last = now
  }, 5)
  const began = performance.now()
  try {
    t = await startTestApp({ concurrency: 8, dataDir: dir })
  } finally {
    Engine.prototype.recover = recover
    clearInterval(lag)
  }
  const started = performance.now() - began
  console.log(`restart with ${held} waiting tasks: start ${started.toFixed(0)} ms, recover() ${recoverMs.toFixed(0)} ms in one turn, worst gap ${worst.toFixed(0)} ms; job ${app().app.store.jobs.get(id)!.status}`)
  expect(app().app.store.jobs.get(id)!.status).toBe('running')
  expect(recoverMs).toBeLessThan(200)
})
