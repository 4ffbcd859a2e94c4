// atk39: the rate and yield rules judge only running exports; a waiting export may wait for ever. Five
// accounts (EXPORTS_PER_USER 2 each) take every running slot and every waiting place, read nothing,
// and ask again the moment one of theirs is stopped: each running one is stopped by the rate rule
// after EXPORT_IDLE_MS, its slot goes to the next of theirs in line, and the place it left is taken
// again before anyone else asks. Every other user's export is refused ('too_many_exports') at every
// try, for as long as they like, at no bandwidth. Real export workers; timers faked.
import type { Readable } from 'node:stream'
import { setTimeout as realSleep } from 'node:timers/promises'
import { afterEach, expect, it, vi } from 'vitest'
import { createExporter, EXPORT_IDLE_MS, EXPORTS_PER_USER, type ExportStream } from '../../electron/services/export/exporter'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { csvOptions, pacedExportSuite } from '../support/export-set'

const ROWS = 20_000 // ~4 MB of CSV: more than a stream holds, so a reader that reads nothing holds its worker up
const options = csvOptions([0, 1])
const WAITING = 8 // exporter.ts: places in line beside the running slots
const COLLUDERS = Math.ceil((WORKER_THREADS + WAITING) / EXPORTS_PER_USER)

const suite = pacedExportSuite(ROWS)
const { started } = suite
let stopping = false
afterEach(() => void (stopping = true)) // no export asked again once the test is over

/** Waits (real time, at most `ms`) until `test` holds; returns whether it did. */
async function soon(test: () => boolean, ms = 5000): Promise<boolean> {
  for (const t0 = Date.now(); !test() && Date.now() - t0 < ms; ) await realSleep(5)
  return test()
}

const full = (s: Readable) => !s.destroyed && s.readableLength >= s.readableHighWaterMark

it(`lets another user's export in line while ${COLLUDERS} accounts that read nothing keep asking again`, async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const running: ExportStream[] = []
  /** One of `user`'s exports, never read, asked for again as soon as it is stopped (or refused). */
  const occupy = (user: string): void => {
    if (stopping) return
    exporter.export(suite.set, options, [], undefined, false, user).then(
      (e) => {
        e.stream.pause()
        e.stream.on('error', () => undefined)
        started.push(e)
        running.push(e)
        e.done.catch(() => occupy(user))
      },
      () => undefined, // their cap or the line was full: the next stop frees a place, which they take again
    )
  }
  for (let c = 0; c < COLLUDERS; c++) for (let k = 0; k < EXPORTS_PER_USER; k++) occupy(`mallory${c}`)
  await realSleep(20)
  let tries = 0
  let admitted = false
  let refusal: string | undefined
  for (; tries < 20 && !admitted; tries++) {
    // the running ones fill their streams and wait for readers that never read
    expect(await soon(() => running.some((e) => full(e.stream)))).toBe(true)
    vi.advanceTimersByTime(EXPORT_IDLE_MS) // the rate rule stops them; theirs ask again at once
    await realSleep(20) // bob asks a moment later
    const bobs = exporter.export(suite.set, options, [], undefined, false, 'bob')
    admitted = await Promise.race([bobs.then(() => true), realSleep(50).then(() => true)]).catch((e: { code?: string }) => {
      refusal = e.code
      return false
    })
    bobs.then((e) => started.push(e), () => undefined)
  }
  expect(admitted, `bob was refused at each of ${tries} tries, one every ${EXPORT_IDLE_MS / 1000} s (${(tries * EXPORT_IDLE_MS) / 1000} s): ${refusal}`).toBe(true)
}, 120_000)
