// atk18 attack: a restart on the data of a user granted nothing whose one execution waits in a foreach of
// 100,000 items (the issue's own workload, within MAX_HELD_WORK_PER_USER) holds the main thread for
// seconds AFTER the server listens. app.ts calls engine.recover() after server.listen (and after
// announcing the URL in the instance lock), and recover reads every unfinished job's tasks, marks every
// one dirty and saves them all in one commit, in one turn: a client that connects meanwhile (the
// desktop window, a CLI, Rill Flow callbacks) waits without an answer. Several users' jobs add up. The
// test times engine.recover (the one call, wrapped to time it) and the event loop's gaps once the server
// listens (its 'listening' event): none may reach the status probe's 200 ms.
// Found (atk18, on 604206ec, load 3.0): 100,001 waiting tasks; the restart's start took 7,436 ms, recover()
// 5,186 ms of it in one turn after listen (a 5 ms interval's worst gap 7,321 ms; earlier run 7,383 / 7,077).
// (app.ts marks the start as holding the thread by design, but the server is listening by then.)
// Fixed (engine18): recover() runs before server.listen (no task starts until it listens: Engine.ticksAfter),
// saves only the tasks it changed, and the Rill Flow service's reconcile reads the live tasks instead of all
// of them again from the store (4.5 s after listen): the test now expects recover() to end before the server
// listens and the listening server never held 200 ms or more. Measured (load 8-10): start 4,783 ms, recover()
// 4,598 ms before listen, worst gap while listening 40 ms.
// But then nobody got an answer for those seconds: the server did not listen yet. Since recov, the server
// listens first and recovery runs in slices (Engine.recoverInSlices; ticks held until it is over): the test
// times it after listen and expects the listening server never held 200 ms or more meanwhile.
import { Server } from 'node:net'
import { afterAll, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, type TestApp } from '../support/app'
import { ownWallMs } from '../support/cpu-time'
import { gc } from '../support/heap'
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
  // a restart is a new process: the first app's garbage (its 100,000 live tasks) is collected before the
  // second is timed, not in a pause of the second's recovery (208 ms of a gap at load 22 otherwise)
  gc()

  // how long recovery takes, and whether the server listens meanwhile
  const recover = Engine.prototype.recoverInSlices
  let recoverMs = -1
  let recoveredAt = -1
  let recoveryBegan = -1
  Engine.prototype.recoverInSlices = function (this: Engine) {
    recoveryBegan = performance.now()
    return recover.call(this).finally(() => {
      recoveredAt = performance.now()
      recoverMs = recoveredAt - recoveryBegan
    })
  }
  let listenedAt = Number.POSITIVE_INFINITY
  const listen = Server.prototype.listen
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    this.once('listening', () => (listenedAt = Math.min(listenedAt, performance.now())))
    return (listen as (...a: unknown[]) => Server).apply(this, args)
  } as typeof listen
  // the event loop's gaps: the longest a client of the listening server could wait unanswered; and the
  // same gaps less the time this thread waited for a CPU (ownWallMs): what JobDesk's own work held it,
  // whatever else a loaded machine ran (at load 21, 20 ms slices made gaps of 292 ms of wall time)
  let last = performance.now()
  let lastOwn = ownWallMs()
  let worst = 0
  let worstListening = 0
  let worstOwnListening = 0
  const lag = setInterval(() => {
    const now = performance.now()
    const own = ownWallMs()
    worst = Math.max(worst, now - last)
    if (last > listenedAt) {
      worstListening = Math.max(worstListening, now - last)
      worstOwnListening = Math.max(worstOwnListening, own - lastOwn)
    }
    last = now
    lastOwn = own
  }, 5)
  const began = performance.now()
  let started = -1
  try {
    t = await startTestApp({ concurrency: 8, dataDir: dir })
    started = performance.now() - began
    await new Promise((ok) => setTimeout(ok, 2_000)) // the ticks that follow the start, the job taken up
  } finally {
    Engine.prototype.recoverInSlices = recover
    Server.prototype.listen = listen
    clearInterval(lag)
  }
  console.log(
    `restart with ${held} waiting tasks: start ${started.toFixed(0)} ms, recovery ${recoverMs.toFixed(0)} ms in slices, ` +
      `${recoveryBegan < listenedAt ? 'BEFORE' : 'after'} the server listens; worst gap ${worst.toFixed(0)} ms, ${worstListening.toFixed(0)} ms while listening (${worstOwnListening.toFixed(0)} ms less waits for a CPU); job ${app().app.store.jobs.get(id)!.status}`,
  )
  expect(app().app.store.jobs.get(id)!.status).toBe('running')
  expect((app().app.store.jobs.taskCountsByStatus(id) as Record<string, number>).running).toBe(held) // it still waits whole
  // the server listens while recovery runs, and its own work never holds it longer than the status probe's bound
  expect(recoveryBegan).toBeGreaterThan(listenedAt)
  expect(worstOwnListening).toBeLessThan(200)
})
