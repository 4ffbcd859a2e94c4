// An export's worker slot is shared by every user (exporter.ts): an export whose reader takes nothing
// is stopped after the exporter's idle time, freeing its slot, and one user's exports running or
// waiting are capped (EXPORTS_PER_USER), so one user cannot hold every export place (atk35).
import type { Readable } from 'node:stream'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createExporter, EXPORTS_PER_USER } from '../../electron/services/export/exporter'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 3000 // past the in-process export's 1,000 rows: written by a worker, in a slot
const options = csvOptions([0, 1])

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
beforeEach(() => {
  t = tempStore()
  set = storedSet(t, [{ name: 'i', type: 'INTEGER' }, { name: 'pad', type: 'TEXT' }], Array.from({ length: ROWS }, (_, i) => [i, 'x'.repeat(200)]))
})
afterEach(() => t.cleanup())

/** The data rows of a whole export read off `stream`. */
async function rowsOf(stream: Readable): Promise<number> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8').trimEnd().split('\n').length - 1
}

it('stops an export whose reader takes nothing, logs it naming the job and user, and frees its slot', async () => {
  const lines: string[] = []
  const exporter = createExporter(t.file, t.store.results, undefined, { idleMs: 300, warn: (l) => lines.push(l) })
  const unread = await exporter.export(set, options, [], undefined, false, 'mallory')
  unread.stream.on('error', () => undefined) // never read: the failure is read from `done`
  await expect(unread.done).rejects.toThrow(/^export stopped: its reader took nothing for 0.3 s/)
  expect(lines).toEqual([`job ${set.jobId}: mallory's export of result set 0 stopped: its reader took nothing for 0.3 s of waiting for it`])
  // every slot is free again: as many exports as there are slots, and more, run to their end
  const read = (user: string) => exporter.export(set, options, [], undefined, false, user).then((e) => rowsOf(e.stream))
  expect(await Promise.all(['bob', 'carol', 'dave'].map(read))).toEqual([ROWS, ROWS, ROWS])
})

it(`refuses a user's export past ${EXPORTS_PER_USER} running or waiting, not another user's`, async () => {
  const exporter = createExporter(t.file, t.store.results)
  const first = await exporter.export(set, options, [], undefined, false, 'mallory')
  const second = exporter.export(set, options, [], undefined, false, 'mallory') // running or waiting for a slot
  await expect(exporter.export(set, options, [], undefined, false, 'mallory')).rejects.toMatchObject({
    kind: 'rate_limited',
    code: 'too_many_exports_of_user',
    message: `user mallory already has ${EXPORTS_PER_USER} exports running or waiting: try again when one has finished`,
  })
  const bobs = exporter.export(set, options, [], undefined, false, 'bob')
  first.stream.destroy() // her first export's reader went away: it no longer counts
  const third = exporter.export(set, options, [], undefined, false, 'mallory')
  // read at once: the slots go round by user (export-queue.ts), so bob's may start before her second
  expect(await Promise.all([second, bobs, third].map((e) => e.then((x) => rowsOf(x.stream))))).toEqual([ROWS, ROWS, ROWS])
})

it('writes a wide result of few rows in a worker, under the slots and the per-user cap; a small one stays in-process (atk37)', async () => {
  const exporter = createExporter(t.file, t.store.results)
  // 200 rows of 10,000 characters (2 MB): few rows and cells, but more than an in-process page
  const wide = storedSet(t, [{ name: 'w', type: 'TEXT' }], Array.from({ length: 200 }, (_, i) => [`${i}`.padEnd(10_000, 'w')]))
  const small = storedSet(t, [{ name: 'i', type: 'INTEGER' }], Array.from({ length: 200 }, (_, i) => [i]))
  const held = await Promise.all(Array.from({ length: 4 }, () => exporter.export(small, csvOptions([0]), [], undefined, false, 'mallory')))
  const first = await exporter.export(wide, csvOptions([0]), [], undefined, false, 'mallory')
  const second = exporter.export(wide, csvOptions([0]), [], undefined, false, 'mallory')
  await expect(exporter.export(wide, csvOptions([0]), [], undefined, false, 'mallory')).rejects.toMatchObject({ code: 'too_many_exports_of_user' })
  expect(await rowsOf(first.stream)).toBe(200)
  expect(await rowsOf((await second).stream)).toBe(200)
  for (const h of held) expect(await rowsOf(h.stream)).toBe(200)
})
