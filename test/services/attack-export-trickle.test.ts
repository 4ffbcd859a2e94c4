// atk36: the export idle timeout (exporter.ts EXPORT_IDLE_MS) stops only a reader that takes nothing
// for a whole idle time. A reader that takes one 64 KiB chunk a little more often than that is never
// stopped: with the real 15 s, one chunk every 14 s (4.6 KB/s) keeps an export's worker slot for
// ~2 hours of a 32 MiB file, and one user's EXPORTS_PER_USER (2) such exports hold every running slot
// (WORKER_THREADS is 1 or 2), so every other user's export waits behind them the whole time.
// Now a reader whose stream stays full must take EXPORT_MIN_BYTES an idle time, or its export is stopped.
import type { Readable } from 'node:stream'
import { afterEach, expect, it } from 'vitest'
import { createExporter, EXPORTS_PER_USER, type ExportStream } from '../../electron/services/export/exporter'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 100_000 // ~20 MB of CSV, written by a worker in a slot: more than the trickle below takes
const IDLE_MS = 1000
const TRICKLE_MS = 900 // what the worker sent is taken this often: never a whole idle time without a read
// 7.2 s: each of her exports is stopped once its shortfall reaches an idle time, ~2 idle times of
// reading this way (each read, ~800 kB, pays back ~0.2 of one; the worker's refills are not counted
// against her), and on a machine of one export thread her second then runs before bob's
const TRICKLES = 8

let t: ReturnType<typeof tempStore>
afterEach(() => t.cleanup())

const options = () => csvOptions([0, 1])
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Takes what `stream` (paused) holds so far, which asks the worker for more: a client reading its answer now and then. */
const takeOne = (stream: Readable): void => void stream.read()

it(`does not let one user's trickling readers hold every export slot for ${TRICKLES * TRICKLE_MS / IDLE_MS} idle times while another user's export waits`, async () => {
  t = tempStore()
  const set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'pad', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, 'x'.repeat(200)]))
  const exporter = createExporter(t.file, t.store.results, undefined, { idleMs: IDLE_MS, warn: () => undefined })
  // her exports, as each gets a slot (running or, on a machine of one export thread, the second waiting)
  const mallory: ExportStream[] = []
  const started = Array.from({ length: EXPORTS_PER_USER }, () =>
    exporter.export(set, options(), [], undefined, false, 'mallory').then((m) => {
      m.stream.pause()
      m.stream.on('error', () => undefined)
      takeOne(m.stream)
      mallory.push(m)
    }),
  )
  await Promise.race(started)
  let bobGotSlot = false
  const bobs = exporter.export(set, options(), [], undefined, false, 'bob').then((e) => {
    bobGotSlot = true
    e.stream.resume() // bob reads his answer as it comes (a reader that stopped would be stopped too)
    return e
  })
  let taken = 0
  for (let i = 0; i < TRICKLES; i++) {
    await sleep(TRICKLE_MS)
    for (const m of mallory) takeOne(m.stream)
    taken++
  }
  const stopped = mallory.filter((m) => m.stream.destroyed).length
  const bobHadSlot = bobGotSlot
  // cleanup before asserting, so the worker threads end either way
  for (const m of mallory) m.stream.destroy()
  await Promise.all(started)
  for (const m of mallory) m.stream.destroy()
  const bob = await bobs
  await bob.done
  expect(taken).toBe(TRICKLES)
  // what a user relies on: another user's export is not kept waiting by readers that take next to nothing
  expect(bobHadSlot ? 'bob got a slot' : `bob still waiting after ${TRICKLES * TRICKLE_MS} ms (${(TRICKLES * TRICKLE_MS) / IDLE_MS} idle times)`).toBe('bob got a slot')
  expect(stopped).toBeGreaterThan(0) // hers, taking less than EXPORT_MIN_BYTES an idle time, was stopped
})
