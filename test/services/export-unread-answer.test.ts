// A finished export whose answer is left unread counts against its user (EXPORTS_PER_USER) until it
// is read out or destroyed. Its worker has ended and freed its slot, so no rate rule watches it any
// more: a client that keeps its connection open and never reads held its own count for ever. The
// rest of the file must be taken within EXPORT_IDLE_MS of the worker's end, or the answer is ended
// and the count given back. Real export workers; the exporter's timers faked.
import { setTimeout as realSleep } from 'node:timers/promises'
import { expect, it, vi } from 'vitest'
import { createExporter, EXPORT_IDLE_MS, EXPORTS_PER_USER } from '../../electron/services/export/exporter'
import { csvOptions, pacedExportSuite, storedSet } from '../support/export-set'

const suite = pacedExportSuite(1)

it(`ends an answer left unread ${EXPORT_IDLE_MS / 1000} s after its worker finished, and gives its user's count back`, async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  // 1,100 rows: past the in-process 1,000, so a worker writes it; ~5 kB, less than the stream holds, so it finishes unread
  const set = storedSet(suite.t, [{ name: 'n', type: 'INTEGER' }], Array.from({ length: 1100 }, (_, i) => [i]))
  const ask = () => exporter.export(set, csvOptions([0]), [], undefined, false, 'alice')
  const unread = await Promise.all(Array.from({ length: EXPORTS_PER_USER }, ask))
  const errors: Error[] = []
  for (const e of unread) e.stream.on('error', (err) => errors.push(err))
  for (const e of unread) expect((await e.done).rows).toBe(1100) // written: each worker has ended
  await expect(ask()).rejects.toMatchObject({ code: 'too_many_exports_of_user' })
  vi.advanceTimersByTime(EXPORT_IDLE_MS - 1)
  await realSleep(20)
  expect(unread.map((e) => e.stream.destroyed)).toEqual(unread.map(() => false)) // not yet: it may still be read
  vi.advanceTimersByTime(1)
  await realSleep(20)
  expect(unread.map((e) => e.stream.destroyed)).toEqual(unread.map(() => true))
  expect(errors.map((e) => e.message)).toEqual(unread.map(() => `export stopped: its reader did not take the rest of the file within ${EXPORT_IDLE_MS / 1000} s of its end`))
  const next = await ask() // the count is free again
  const parts: Buffer[] = []
  for await (const part of next.stream) parts.push(part as Buffer)
  expect(Buffer.concat(parts).toString('utf8').trimEnd().split('\n')).toHaveLength(1101)
}, 60_000)

it('leaves alone a finished answer that is read out', async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  const set = storedSet(suite.t, [{ name: 'n', type: 'INTEGER' }], Array.from({ length: 1100 }, (_, i) => [i]))
  const e = await exporter.export(set, csvOptions([0]), [], undefined, false, 'alice')
  await e.done
  vi.advanceTimersByTime(EXPORT_IDLE_MS - 1)
  const parts: Buffer[] = []
  for await (const part of e.stream) parts.push(part as Buffer)
  vi.advanceTimersByTime(EXPORT_IDLE_MS) // its timer is gone with the answer: nothing more happens
  expect(Buffer.concat(parts).toString('utf8').trimEnd().split('\n')).toHaveLength(1101)
}, 60_000)
