// atk9b, with the exporter's real workers (exporter.ts over export-queue.ts): export-queue-fair's
// scene, one account more. Every running slot and waiting place is held by an account of mallory's
// with one export each; bob asks and takes the newest waiting place, and the account he displaced may
// not take it back within its Retry-After. But any other account of hers with nothing in flight may:
// bob's is now the newest waiting export, and everyone has one, so it is his that goes.
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

/** 'started', the error code it was refused with, or 'waiting' when it has done neither within a moment. */
const state = (asked: Promise<ExportStream>): Promise<string> =>
  Promise.race([asked.then(() => 'started', (e: { code?: string }) => e.code ?? 'error'), realSleep(100).then(() => 'waiting')])

it(`keeps bob's place when one more of ${WORKER_THREADS + WAITING + 1} one-export accounts asks after him`, async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const held = Array.from({ length: WORKER_THREADS + WAITING }, (_, i) => ask(exporter, `mallory${i}`))
  for (const e of held.slice(0, WORKER_THREADS)) expect(await state(e)).toBe('started')
  for (const e of held.slice(WORKER_THREADS)) expect(await state(e)).toBe('waiting')
  const bobs = ask(exporter, 'bob')
  expect(await state(bobs)).toBe('waiting')
  const outs = await Promise.all(held.slice(WORKER_THREADS).map(state))
  expect(outs.filter((s) => s === 'export_displaced')).toHaveLength(1) // one of hers gave its place up
  // mallory hears it and asks from an account of hers that is not cooling
  const spare = ask(exporter, `mallory${WORKER_THREADS + WAITING}`)
  await state(spare)
  expect(await state(bobs)).toBe('waiting') // now: export_displaced
}, 60_000)
