// Small finished values past the main thread's load budget (load-here-budget.ts LOAD_HERE_BUDGET_MS)
// are loaded in the value worker (value-reader.ts). When more than its 64 loads already waited, the
// worker refused the next, and the answer's first slice loaded the value on the main thread anyway,
// as before the budget (val8): a burst of reads still held the main thread. Now such a load waits its
// turn for the worker; one whose every answer went away leaves the line. Counts, not times: a manual
// clock, on which each main-thread load takes 500 ms. The worker's line is 8 long here, not 64: what
// happens past its end does not depend on its length, and each load past it starts a worker thread
// (~0.1 s each, 70 of them with the line at 64).
import { expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { valueReader } from '../../electron/store/value-reader'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { finishedJobOfBytes, MB, storesPerTest } from '../support/finished-jobs'
import { ManualClock } from '../support/manual-clock'

const WORKER_WAITING = 8 // valueReader's `waiting`: loads that may wait for the worker (64 in the app)
const stores = storesPerTest()

/** `n` finished values of 64 KiB, read by FinishedBytes on a manual clock where a main-thread load takes 500 ms. */
function smallValues(n: number) {
  const { store } = stores.open()
  const values = Array.from({ length: n }, (_, i) => finishedJobOfBytes(store, 'admin', `v${i}`, 64 * 1024 + 8))
  const clock = new ManualClock()
  const jobs: Parameters<typeof createFinishedBytes>[0] = { stateSlices: store.jobs.stateSlices, stateBytes: (...a) => (clock.advance(500), store.jobs.stateBytes(...a)) }
  const kept = createFinishedBytes(jobs, createJobChanges(), 64 * MB, valueReader(store.db.name, { waiting: WORKER_WAITING }), 128 * MB, clock)
  const answers = values.map((v) => kept.slices(v.id, 'input', Buffer.byteLength(v.json), 'admin'))
  /** Loads on the main thread so far. */
  const here = () => kept.stats.loads - kept.stats.offThread
  // the first answer loads its value here, and that load (500 ms for 64 KiB) foresees every next one far over the budget
  const warm = async () => {
    await answers[0]!.ready!()
    expect(answers[0]!.slice(0, 8)!.toString()).toBe(values[0]!.json.slice(0, 8))
    expect(here()).toBe(1)
  }
  return { values, answers, kept, here, warm }
}

it(`loads no small value on the main thread when more than ${WORKER_WAITING} loads already wait for the value worker`, async () => {
  const { values, answers, kept, here, warm } = smallValues(1 + WORKER_THREADS + WORKER_WAITING + 6)
  await warm()
  const rest = answers.slice(1)
  await Promise.all(rest.map((a) => a.ready!()))
  rest.forEach((a, i) => expect(a.slice(0, 8)!.toString()).toBe(values[i + 1]!.json.slice(0, 8)))
  expect(here()).toBe(1) // the 6 past the worker's line waited their turn instead of loading here
  expect(kept.stats.loads).toBe(values.length)
  answers.forEach((a) => a.release?.())
}, 120_000)

it('drops a load waiting for the worker once every answer that wanted it has gone', async () => {
  const { answers, kept, here, warm } = smallValues(1 + WORKER_THREADS + WORKER_WAITING + 2)
  await warm()
  const closed = answers.slice(1).map(() => new AbortController())
  const readies = answers.slice(1).map((a, i) => a.ready!(closed[i]!.signal))
  closed.at(-1)!.abort() // the last answer's client hung up while its load waited for room in the worker's line
  await readies.at(-1)
  await Promise.all(readies)
  expect(here()).toBe(1)
  expect(kept.stats.offThread).toBe(answers.length - 2) // every load but the abandoned one, and the first (here)
  answers.forEach((a) => a.release?.())
}, 120_000)
