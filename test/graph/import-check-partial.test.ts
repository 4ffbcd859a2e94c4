// An import Check parses each file's first SAMPLE_BYTES (1 MiB) only, and said so nowhere: its figures
// for a big file's label ("0 of the first 12,000 lines …", "the first N lines parse") read as the
// whole file's (#9 LOW, lows #2). Each file's check now says how much of it was read (bytesRead of
// bytes), and the problems about a file read in part say that their figures are of its first part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_BYTES } from '../../electron/graph/inspect/import-sample'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await graphWithSchema(t.app, 'partial')
}, 60_000)
afterAll(() => t.close())

/** Lines `id,name,age` of persons from..to-1, a bad age on the first. */
const persons = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i},Person ${from + i},${i === 0 ? 'x' : 30}`).join('\n') + '\n'

describe('an import check of a file bigger than it reads', () => {
  it('says, per file, how much it read, and a partly read file’s problems say their figures are of its first part', async () => {
    const big = persons(1, 150_000) // ~3.2 MB
    upload(t.dir, 'big.csv', big)
    upload(t.dir, 'small.csv', persons(1, 4))
    const check = await t.app.graph.checkImport({ graph: 'partial', files: [personFile('big.csv'), personFile('small.csv')], continueOnError: true }, ADMIN)
    const size = Buffer.byteLength(big)
    expect(check.files.map((f) => [f.path, f.bytes, f.bytesRead >= SAMPLE_BYTES && f.bytesRead < size + 1 ? 'first MiB' : f.bytesRead])).toEqual([
      ['big.csv', size, 'first MiB'],
      ['small.csv', Buffer.byteLength(persons(1, 4)), Buffer.byteLength(persons(1, 4))],
    ])
    expect(check.files[0].bytesRead).toBeLessThan(size)
    const messages = check.problems.map((p) => `${p.file}: ${p.message}`)
    // the big file's figures are of its first 1 MiB, and say so; the small one was read whole: no such words
    expect(messages).toContainEqual(expect.stringMatching(/^big\.csv: 1 of the first \d+ lines of big\.csv \(it was read in part: its first 1 MiB of 3\.\d MiB\) will not import/))
    expect(messages).toContainEqual(expect.stringMatching(/^small\.csv: 1 of the first 3 lines of small\.csv will not import \(/))
  }, 60_000)
})
