// atk39: the yield rule (reader-pace.ts, EXPORT_YIELD_MS) sums, over an export's whole life, the
// reader-bound time during which another user's export waited for a slot, and stops the export at
// the bound. It counts waits that ended in a hang-up, before the waiter ever got the slot: a user
// who queues an export and leaves, again and again, spends nothing (she is never charged a running
// export) and stops another user's download that reads at twice the rate floor, for nobody: no stay
// of hers is near the bound, and the slot freed she hangs up on. Real export workers; the exporter's clock and timers are faked.
import type { Readable } from 'node:stream'
import { setTimeout as realSleep } from 'node:timers/promises'
import { expect, it, vi } from 'vitest'
import { createExporter, EXPORT_MIN_BYTES, EXPORT_IDLE_MS, type ExportStream } from '../../electron/services/export/exporter'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { csvOptions, pacedExportSuite } from '../support/export-set'

const ROWS = 100_000 // ~20 MB of CSV
const options = csvOptions([0, 1])
/** The yield bound, scaled down (as attack-export-pace scales the idle time away) so 20 MB at 2× the floor outlasts it. */
const YIELD_MS = 12_000
/** Each of mallory's stays in the queue, faked seconds: well short of the bound. */
const STAY_S = Math.floor((0.45 * YIELD_MS) / 1000)
/** Bob's pace: at least twice the rate floor (EXPORT_MIN_BYTES per EXPORT_IDLE_MS), bytes a (faked) second. */
const PER_SECOND = Math.ceil(((2 * EXPORT_MIN_BYTES) / EXPORT_IDLE_MS) * 1000)

const suite = pacedExportSuite(ROWS)
const { started } = suite

/** Whether `stream` was read to its end (its last bytes taken; 'end' may not have been emitted yet). */
const readOut = (stream: Readable): boolean => (stream as Readable & { _readableState: { ended: boolean } })._readableState.ended && stream.readableLength === 0

/** Waits (real time) until the worker has filled `stream` or sent its last; whether there is something to read. */
async function filled(stream: Readable): Promise<boolean> {
  const ended = () => (stream as Readable & { _readableState: { ended: boolean } })._readableState.ended // the worker sent its last
  while (!stream.destroyed && !ended() && stream.readableLength < stream.readableHighWaterMark) await realSleep(2)
  return !stream.destroyed && stream.readableLength > 0
}

/** One faked second of a reader at PER_SECOND: takes that many bytes as the worker sends them, then lets the second pass. */
async function readOneSecond(e: ExportStream, got: { bytes: number }): Promise<void> {
  let took = 0
  while (took < PER_SECOND && (await filled(e.stream))) {
    const part = e.stream.read() as Buffer | null
    if (!part) break
    took += part.length
  }
  got.bytes += took
  await filled(e.stream) // the worker sent the next bytes while he was busy: he holds it up for the rest of the second
  vi.advanceTimersByTime(1000)
}

it("does not stop a user's download at twice the rate floor for another user's exports that waited and hung up", async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { yieldMs: YIELD_MS, warn: () => undefined })
  // bob's download holds a slot; other readers at his pace hold the rest (a 2-core machine has one)
  const readers: ExportStream[] = []
  for (let i = 0; i < WORKER_THREADS; i++) {
    const e = await exporter.export(suite.set, options, [], undefined, false, i === 0 ? 'bob' : `carol${i}`)
    e.stream.pause()
    e.stream.on('error', () => undefined)
    readers.push(e)
    started.push(e)
  }
  const bob = readers[0]!
  const got = readers.map(() => ({ bytes: 0 }))
  let malloryGot = 0
  let seconds = 0
  /** Mallory queues an export, stays `s` faked seconds while bob and the others read, and hangs up. */
  const malloryWaitsAndLeaves = async (s: number) => {
    const hangUp = new AbortController()
    const hers = exporter.export(suite.set, options, [], undefined, false, 'mallory', hangUp.signal).then((e) => {
      malloryGot++ // the slot bob gave up: she hangs up on it at once
      e.stream.on('error', () => undefined)
      e.stream.destroy()
      return e
    })
    for (let i = 0; i < s && !bob.stream.destroyed; i++, seconds++) await Promise.all(readers.map((r, j) => readOneSecond(r, got[j]!)))
    hangUp.abort(new Error('mallory hung up'))
    await hers.catch(() => undefined)
  }
  // each stay is well short of the bound; she leaves, and hangs up on a slot that comes to her
  for (let round = 0; round < 12 && !bob.stream.destroyed && !readOut(bob.stream); round++) {
    await malloryWaitsAndLeaves(STAY_S)
    // a few seconds with nobody waiting: bob alone is never slowed
    for (let i = 0; i < 3 && !bob.stream.destroyed && !readOut(bob.stream); i++, seconds++) await Promise.all(readers.map((r, j) => readOneSecond(r, got[j]!)))
  }
  const stopped = bob.stream.destroyed ? (bob.stream.errored as Error | null)?.message ?? 'destroyed' : readOut(bob.stream) ? 'read to its end' : 'running'
  expect(stopped, `bob read ${Math.round(got[0]!.bytes / 1024)} KiB in ${seconds} s (${Math.round(got[0]!.bytes / 1024 / Math.max(seconds, 1))} KiB/s); mallory, each stay ${STAY_S} s, was handed ${malloryGot} slot(s) and read nothing`).toBe('read to its end')
  expect(await bob.done).toMatchObject({ rows: ROWS })
}, 120_000)
