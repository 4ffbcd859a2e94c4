// The export queue is fair by user (exporter.ts, export-queue.ts): a slot that frees goes to the
// waiting export of the user with the fewest running (then the one served longest ago), and a user
// with nothing running or waiting always gets a place in a full line, even when every place is held
// by a different account (atk39's bound left 9 or 10 accounts of one export each able to keep every
// other user out: nobody had 2 to give up). Real export workers; nothing is read, so each running
// export holds its slot until its stream is destroyed.
import { setTimeout as realSleep } from 'node:timers/promises'
import { expect, it } from 'vitest'
import { createExporter, type ExportStream } from '../../electron/services/export/exporter'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { csvOptions, pacedExportSuite } from '../support/export-set'

const ROWS = 20_000 // ~4 MB of CSV: more than a stream holds, so an unread export holds its worker
const options = csvOptions([0, 1])
const WAITING = 8 // exporter.ts: places in line beside the running slots

const suite = pacedExportSuite(ROWS)
const { started } = suite

/** An export of `user`, unread; its stream is destroyed after the test once it has started. */
function ask(exporter: ReturnType<typeof createExporter>, user: string): Promise<ExportStream> {
  const asked = exporter.export(suite.set, options, [], undefined, false, user)
  asked.then(
    (e) => {
      e.stream.on('error', () => undefined)
      started.push(e)
    },
    () => undefined,
  )
  return asked
}

/** 'started', the error it was refused with, or 'waiting' when it has done neither within a moment. */
const state = (asked: Promise<ExportStream>): Promise<'started' | 'waiting' | { code?: string; retryAfterSeconds?: number }> =>
  Promise.race([asked.then(() => 'started' as const, (e: { code?: string; retryAfterSeconds?: number }) => ({ code: e.code, retryAfterSeconds: e.retryAfterSeconds })), realSleep(100).then(() => 'waiting' as const)])

it(`gives a newcomer a place while ${WORKER_THREADS + WAITING} accounts hold one export each, displacing the newest waiting one`, async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const held = Array.from({ length: WORKER_THREADS + WAITING }, (_, i) => ask(exporter, `mallory${i}`))
  for (const e of held.slice(0, WORKER_THREADS)) expect(await state(e)).toBe('started')
  for (const e of held.slice(WORKER_THREADS)) expect(await state(e)).toBe('waiting')
  const bobs = ask(exporter, 'bob')
  expect(await state(bobs)).toBe('waiting')
  // the newest waiting export gave its place up, with when to ask again; every other one still holds its own
  expect(await state(held.at(-1)!)).toEqual({ code: 'export_displaced', retryAfterSeconds: 15 })
  for (const e of held.slice(WORKER_THREADS, -1)) expect(await state(e)).toBe('waiting')
  // the displaced account asks again at once: within its Retry-After it may not take bob's place straight back
  const again = ask(exporter, `mallory${WORKER_THREADS + WAITING - 1}`)
  expect(await state(again)).toEqual({ code: 'too_many_exports', retryAfterSeconds: 15 })
  expect(await state(bobs)).toBe('waiting')
  // another account of hers that is not cooling takes a place, but not bob's: a place won by displacing
  // is not displaced in turn (atk9b: bob's, the newest, went to one spare account, at every ask of his)
  const spare = ask(exporter, `mallory${WORKER_THREADS + WAITING}`)
  expect(await state(spare)).toBe('waiting')
  expect(await state(bobs)).toBe('waiting')
  expect(await state(held.at(-2)!)).toEqual({ code: 'export_displaced', retryAfterSeconds: 15 })
}, 60_000)

it('gives a freed slot to the waiting user served longest ago, not to the next in line', async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const fillers = Array.from({ length: WORKER_THREADS }, (_, i) => ask(exporter, `filler${i}`))
  for (const e of fillers) expect(await state(e)).toBe('started')
  const [mallory1, mallory2] = [ask(exporter, 'mallory'), ask(exporter, 'mallory')]
  const bobs = ask(exporter, 'bob')
  expect(await state(bobs)).toBe('waiting')
  ;(await fillers[0]!).stream.destroy() // a slot frees: mallory and bob have none running; hers waited longest
  expect(await state(mallory1)).toBe('started')
  expect(await state(bobs)).toBe('waiting')
  ;(await mallory1).stream.destroy() // again none running for either, but mallory was just served: bob's turn
  expect(await state(bobs)).toBe('started')
  expect(await state(mallory2)).toBe('waiting')
}, 60_000)
