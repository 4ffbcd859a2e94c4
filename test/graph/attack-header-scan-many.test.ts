// Attack (#9 atk2, import submit's header scan of d7d03373): a submit reads on to each file's header
// line, up to HEADER_SCAN_BYTES (1 MiB) of the file, in the shared file lane (graph-host FILE_REQUESTS).
// Nothing bounded the files' sum: 1,000 mappings of one file whose header line lies near 1 MiB (or
// mappings of a folder, each standing for all its files) read 1 MiB each, 1,000 MiB and 5.4 s of the
// lane per submit at load 6 (91 ms for 10), before any job exists. Now the reading past the first
// package is HEADER_SCAN_TOTAL_BYTES (32 MiB) per submit in all; files after it are judged on their
// first package only, as before the scan, and a header line further in is left to the run.
import iconv from 'iconv-lite'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { firstGarbledHeader, HEADER_SCAN_BYTES } from '../../electron/graph/inspect/import-sample'
import { tempDir } from '../support/temp-store'

const PREAMBLE_LINES = 250_000 // 'a,b\n': 1,000,000 bytes before the header line, within HEADER_SCAN_BYTES
const mapping = (path: string) => ({ path, format: 'CSV' as const, label: 'p', columns: ['id', 'name'], header: PREAMBLE_LINES + 1, encoding: 'utf-8' })

function deepFile(dir: string, name: string, header: Buffer): string {
  const file = join(dir, name)
  writeFileSync(file, Buffer.concat([Buffer.from('a,b\n'.repeat(PREAMBLE_LINES)), header, Buffer.from('1,x\n'.repeat(10))]))
  return file
}

it('MEDIUM: 1,000 files with a header line near 1 MiB are judged in well under the 5.4 s they took', () => {
  expect(PREAMBLE_LINES * 4).toBeLessThan(HEADER_SCAN_BYTES)
  const file = deepFile(tempDir(), 'p.csv', Buffer.from('id,name\n'))
  const files = Array.from({ length: 1000 }, () => ({ mapping: mapping('p.csv'), file }))
  const t0 = performance.now()
  expect(firstGarbledHeader(files, ',')).toBeNull()
  const ms = performance.now() - t0
  console.log(`1,000 files with a header line at 1 MB: ${ms.toFixed(0)} ms`)
  expect(ms).toBeLessThan(2000)
})

it('a garbled header line deep in a file is refused while the scan budget lasts, and left to the run after it', () => {
  const dir = tempDir()
  const good = deepFile(dir, 'good.csv', Buffer.from('id,name\n'))
  const gbk = deepFile(dir, 'gbk.csv', iconv.encode('编号,姓名\n', 'gbk'))
  const files = [...['good.csv', 'good.csv', 'good.csv'].map((p) => ({ mapping: mapping(p), file: good })), { mapping: mapping('gbk.csv'), file: gbk }]
  expect(firstGarbledHeader(files, ',')).toMatchObject({ index: 3, field: 'encoding' })
  // a budget the first three files spend (about 1 MB each past their first package)
  expect(firstGarbledHeader(files, ',', 2.5 * 2 ** 20)).toBeNull()
})
