// A header read in the wrong encoding is refused, never made a label (#9 LOW, newuser): on the Imports
// page, Encoding UTF-8 chosen by hand for a GBK or BOM-less UTF-16 file read its header line as
// replacement characters or NUL-spaced letters; the preview named the columns column_1… (or i_d…),
// Check passed it with "Skip lines that cannot be imported" on, and Start created that new label and
// imported nothing into it. Now Check refuses such a header as an error, naming the file, the line, the
// column and the encoding to choose, whatever continueOnError says, so Start creates no label.
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('enc', ADMIN)
}, 30_000)
afterAll(() => t?.close())

/** The page's steps with Encoding UTF-8 chosen: preview, a new vertex label of its columns, Check. */
async function checkAsUtf8(path: string, bytes: Buffer) {
  upload(t.dir, path, bytes)
  const preview = await t.app.graph.previewFile('admin', { path, format: 'CSV', rows: 10, header: 1, encoding: 'utf-8' })
  const names = preview.columns.map((c) => c.name)
  const label: LabelDef = { label: 'people', type: 'VERTEX', primary: names[0], properties: names.map((name) => ({ name, type: 'STRING', optional: name !== names[0] })) }
  const check = await t.app.graph.checkImport({ graph: 'enc', schema: [label], files: [{ path, format: 'CSV', label: 'people', columns: names, header: 1 }], delimiter: ',', continueOnError: true }, ADMIN)
  return { names, check }
}

describe('a header line not valid in the chosen encoding', () => {
  it('GBK read as UTF-8: Check fails naming the file, line, column and GBK', async () => {
    const { names, check } = await checkAsUtf8('gbk_people.csv', iconv.encode('编号,姓名\n1,张三\n2,李四\n', 'gbk'))
    expect(names).toEqual(['column_1', 'column_2']) // what the garbled header became
    expect(check.ok).toBe(false)
    const bad = check.problems.find((p) => p.code === 'bad_header')
    expect(bad, JSON.stringify(check.problems)).toMatchObject({ severity: 'error', file: 'gbk_people.csv' })
    expect(bad!.message).toMatch(/^gbk_people\.csv line 1, column 1: the header is not valid UTF-8.*it looks like GBK: choose Encoding GBK/)
  })

  it('UTF-16LE without a byte-order mark read as UTF-8: the same, naming UTF-16LE', async () => {
    const { check } = await checkAsUtf8('u16_people.csv', Buffer.from('id,name\n1,Ann\n2,Bo\n', 'utf16le'))
    expect(check.ok).toBe(false)
    const bad = check.problems.find((p) => p.code === 'bad_header')
    expect(bad, JSON.stringify(check.problems)).toMatchObject({ severity: 'error', file: 'u16_people.csv' })
    expect(bad!.message).toMatch(/^u16_people\.csv line 1, column 1: the header .*UTF-16LE/)
  })

  it('the right encoding passes', async () => {
    upload(t.dir, 'gbk_ok.csv', iconv.encode('编号,姓名\n1,张三\n', 'gbk'))
    const label: LabelDef = { label: 'people_ok', type: 'VERTEX', primary: '编号', properties: [{ name: '编号', type: 'STRING' }, { name: '姓名', type: 'STRING', optional: true }] }
    const check = await t.app.graph.checkImport({ graph: 'enc', schema: [label], files: [{ path: 'gbk_ok.csv', format: 'CSV', label: 'people_ok', columns: ['编号', '姓名'], header: 1, encoding: 'gbk' }], delimiter: ',', continueOnError: true }, ADMIN)
    expect(check.problems).toEqual([])
    expect(check.ok).toBe(true)
  })
})
