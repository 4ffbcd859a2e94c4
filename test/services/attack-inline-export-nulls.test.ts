// atk39: an in-process CSV export is bounded by what is stored (INLINE_ROWS, INLINE_CELLS,
// INLINE_QUERY_BYTES), not by what it writes: a NULL is 4 bytes stored and written as `nullValue`
// (a Linkis download's, up to 100 characters), quoted with every `"` doubled under quoteAll. 1,000
// rows of 20 NULLs (101 kB stored) then write 4 MB of CSV on the main thread, in one turn, outside
// the slots and the per-user cap (the probe: attack-inline-export-nulls.probe.test.ts, own hold up to
// 335 ms). Such an export should be written as a wide one is: in a worker, under the per-user cap.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExporter, EXPORTS_PER_USER, type ExportStream } from '../../electron/services/export/exporter'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const COLUMNS = 20
const ROWS = 1000
const options = { ...csvOptions(Array.from({ length: COLUMNS }, (_, i) => i)), nullValue: '"'.repeat(100), quoteAll: true }

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
beforeAll(() => {
  t = tempStore()
  const columns = Array.from({ length: COLUMNS }, (_, i) => ({ name: `c${i}`, type: 'TEXT' }))
  set = storedSet(t, columns, Array.from({ length: ROWS }, () => columns.map(() => null)))
})
const started: ExportStream[] = []
afterAll(() => {
  for (const e of started) e.stream.destroy()
  t.cleanup()
})

it(`writes 1,000 rows of NULLs that become 4 MB of CSV under the per-user cap (${EXPORTS_PER_USER}), as a wide export`, async () => {
  const exporter = createExporter(t.file, t.store.results, undefined, { warn: () => undefined })
  const first = await exporter.export(set, options, [], undefined, false, 'mallory')
  started.push(first)
  // 20,000 cells of 202 characters, from 101 kB stored: written in a worker, read to its end (which frees its place under the cap)
  let written = 0
  for await (const part of first.stream) written += (part as Buffer).length
  expect(written).toBeGreaterThan(4_000_000)
  const held: ExportStream[] = []
  for (let i = 0; i < EXPORTS_PER_USER; i++) {
    const e = await exporter.export(set, options, [], undefined, false, 'mallory')
    e.stream.on('error', () => undefined)
    held.push(e)
    started.push(e)
  }
  // a third while two are unread: refused, as a third wide export is (export-slots.test)
  const third = exporter.export(set, options, [], undefined, false, 'mallory')
  third.then((e) => started.push(e), () => undefined)
  const outcome = await third.then(
    (e) => `written in-process, ${e.stream.readableLength} bytes in one turn, outside the per-user cap`,
    (e: { code?: string }) => e.code,
  )
  expect(outcome).toBe('too_many_exports_of_user')
})
