// atk37: the export rate rule was decided at one instant. When its timer fired with the reader's
// stream just drained, it started no new window, so a reader timing one small read just before each
// window's end held a running slot at ~9 kB/s for ever (F2); and a window that started while the stream
// was full, the reader then draining it and waiting on a slow worker, judged the bytes against time
// that was mostly the worker's, stopping a fast reader (F4). And a reader at just over the floor held
// a slot as long as its file took (~8 min for 128 MiB) while other users' exports waited (F3).
// Now only reader-bound time counts, summed across stretches (reader-pace.ts), and a reader may keep
// other users waiting EXPORT_YIELD_MS in all. Real export workers; the exporter's clock and timers are
// faked, so 15 s windows cost no real time and each step lands where the old check was fooled.
import type { Readable } from 'node:stream'
import { setTimeout as realSleep } from 'node:timers/promises'
import { expect, it, vi } from 'vitest'
import { createExporter, EXPORT_IDLE_MS, EXPORT_YIELD_MS, type ExportStream } from '../../electron/services/export/exporter'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { csvOptions, pacedExportSuite } from '../support/export-set'

const ROWS = 100_000 // ~20 MB of CSV: far more than the reads below take
const options = csvOptions([0, 1])

const suite = pacedExportSuite(ROWS)
const { started } = suite

/** An export of `user`, its answer paused (a client reading only when the test says). */
async function paused(exporter: ReturnType<typeof createExporter>, user: string): Promise<ExportStream> {
  const e = await exporter.export(suite.set, options, [], undefined, false, user)
  e.stream.pause()
  e.stream.on('error', () => undefined)
  started.push(e)
  return e
}

/** Waits (real time) until the worker has filled `stream`, so it waits for its reader; false if the stream ended first. */
async function filled(stream: Readable): Promise<boolean> {
  while (!stream.destroyed && stream.readableLength < stream.readableHighWaterMark) await realSleep(2)
  return !stream.destroyed
}

/** Waits (real time, at most `ms`) until `test` holds; returns whether it did. */
async function soon(test: () => boolean, ms = 5000): Promise<boolean> {
  for (const t0 = Date.now(); !test() && Date.now() - t0 < ms; ) await realSleep(5)
  return test()
}

it('stops a reader that takes one small read just before each window would end (atk37 F2)', async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const mallory = await paused(exporter, 'mallory')
  let windows = 0
  let took = 0
  for (; windows < 4 && (await filled(mallory.stream)); windows++) {
    vi.advanceTimersByTime(EXPORT_IDLE_MS - 1)
    took += (mallory.stream.read() as Buffer | null)?.length ?? 0 // what the worker had sent: ~128 KiB
    vi.advanceTimersByTime(1) // the old check fired here, saw the stream drained, and started over
  }
  expect(took).toBeGreaterThan(0)
  expect(took / windows).toBeLessThan(1024 * 1024)
  expect(mallory.stream.destroyed ? 'stopped' : `still running after ${windows} windows at ${Math.round(took / windows / 1024)} KiB each`).toBe('stopped')
  await expect(mallory.done).rejects.toThrow(/^export stopped: its reader took only \d+ KiB in 1[56](\.\d)? s of waiting for it/)
})

it('does not stop a fast reader of a slow export for the time the export took (atk37 F4)', async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const alice = await paused(exporter, 'alice')
  let parts: Buffer[] = []
  expect(await filled(alice.stream)).toBe(true) // the old window started here
  for (let i = 0; i < 4 && !alice.stream.destroyed; i++) {
    parts.push(alice.stream.read() as Buffer) // she takes what came at once
    vi.advanceTimersByTime(EXPORT_IDLE_MS - 1) // the worker takes its time over the next rows (an xlsx, a filter)
    await filled(alice.stream)
    vi.advanceTimersByTime(1) // the old window ended with the stream full again: her 128 KiB judged against all of it
  }
  expect(alice.stream.destroyed ? `stopped: ${(alice.stream.errored as Error | null)?.message}` : 'running').toBe('running')
  alice.stream.resume()
  alice.stream.on('data', (part: Buffer) => parts.push(part))
  await alice.done
  await soon(() => alice.stream.readableEnded)
  expect(Buffer.concat(parts).toString('utf8').trimEnd().split('\n').length - 1).toBe(ROWS)
  parts = []
})

it(`stops slow readers that keep another user's export waiting ${EXPORT_YIELD_MS / 1000} s in all, and no one else (atk37 F3)`, async () => {
  // the rate rule out of the way: these readers read nothing, and only the yield rule may stop them
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { idleMs: 3_600_000, warn: () => undefined })
  const holders: ExportStream[] = []
  for (let i = 0; i < WORKER_THREADS; i++) holders.push(await paused(exporter, `slow${i}`)) // every running slot
  for (const h of holders) expect(await filled(h.stream)).toBe(true)
  // nobody waits: a slow reader alone is never stopped by it
  vi.advanceTimersByTime(3 * EXPORT_YIELD_MS)
  expect(holders.filter((h) => h.stream.destroyed)).toHaveLength(0)
  let bobStarted = false
  const bobs = exporter.export(suite.set, options, [], undefined, false, 'bob').then((e) => {
    bobStarted = true
    e.stream.resume()
    return e
  })
  expect(await soon(() => bobStarted, 300)).toBe(false) // he waits for a slot
  vi.advanceTimersByTime(EXPORT_YIELD_MS - 1000)
  expect(holders.filter((h) => h.stream.destroyed)).toHaveLength(0)
  vi.advanceTimersByTime(1000)
  expect(await soon(() => bobStarted), `bob still waiting after the slow readers kept him ${EXPORT_YIELD_MS / 1000} s`).toBe(true)
  for (const h of holders) await expect(h.done).rejects.toThrow(/^export stopped: other users' exports waited 60 s for its reader/)
  const bob = await bobs
  expect(await bob.done).toMatchObject({ rows: ROWS })
})
