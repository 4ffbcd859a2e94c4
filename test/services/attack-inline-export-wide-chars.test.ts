// atk40: fix39e bounds an in-process CSV export by its worst written size (export-worst-size.ts csvWorstBytes):
// at most INLINE_QUERY_BYTES (1 MiB) is written on the main thread in one turn. The estimate counts
// what is stored as bytes of UTF-8 and allows each of them twice (a `"` doubled). But a result set's
// size (result.repository.ts append: `data.length`) is counted in UTF-16 code units, not bytes: a CJK
// character is one unit stored and three bytes of UTF-8 written. 500 rows of 1,000 of them (502,000
// units stored) pass as at most ~1.0 MB written, and write 1.5 MB in-process, half again the bound.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExporter } from '../../electron/services/export/exporter'
import { csvWorstBytes } from '../../electron/services/export/export-worst-size'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

const ROWS = 500
const options = csvOptions([0])

let t: ReturnType<typeof tempStore>
let set: ResultSetMeta
beforeAll(() => {
  t = tempStore()
  set = storedSet(t, [{ name: 'c', type: 'TEXT' }], Array.from({ length: ROWS }, () => ['中'.repeat(1000)]))
})
afterAll(() => t.cleanup())

it('writes no more than its worst written size says for text of characters of three bytes', async () => {
  if (options.format !== 'csv') throw new Error('csvOptions gives CSV options')
  const worst = csvWorstBytes(options, set.bytes!, ROWS, ROWS, 1)
  const exporter = createExporter(t.file, t.store.results, undefined, { warn: () => undefined })
  const e = await exporter.export(set, options, [], undefined, false, 'mallory')
  let written = 0
  for await (const part of e.stream) written += (part as Buffer).length
  expect(written, `${set.bytes} units stored, estimated at most ${worst} bytes written (in-process under 1 MiB), and ${written} written`).toBeLessThanOrEqual(worst)
})
