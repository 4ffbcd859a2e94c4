// newuser trial (issue #9, HIGH): one value of a key column that is not a number ("three" among 1, 2,
// 5) made the preview miss the header line (header 0, column_1..3 all STRING, "id,name,city" a data
// line), and a header set by hand kept id STRING. A column's type is now its values' majority type
// (as csv.Sniffer.has_header compares the first row against each column's type), the lines that do
// not fit it are named in a note, and they fail on their own at import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { previewBytes } from '../../electron/graph/inspect/file-preview'
import { suggestType } from '../../electron/graph/inspect/suggest-type'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, upload } from './support'

const CSV = 'id,name,city\n1,Zhang San,Beijing\n2,Li Si,Shanghai\nthree,Bad Id,Nowhere\n5,Zhao,Guangzhou\n'
const preview = (text: string, header?: number) => previewBytes(Buffer.from(text), text.length, { path: 'people_typo.csv', format: 'CSV', rows: 20, ...(header === undefined ? {} : { header }) })

describe('preview of a CSV whose key column has one typo', () => {
  it('finds the header line and types the key column INT64, naming the line that will fail', () => {
    const p = preview(CSV)
    expect(p).toMatchObject({ header: 1, headerFields: ['id', 'name', 'city'] })
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'INT64'],
      ['name', 'STRING'],
      ['city', 'STRING'],
    ])
    expect(p.rows[0]).toEqual({ line: 2, fields: ['1', 'Zhang San', 'Beijing'] })
    expect(p.notes).toContain('column 1 (id) is suggested INT64, but line 4 ("three") is not: it would fail unless the column is STRING')
  })

  it('guesses the types again for a header set by hand', () => {
    expect(preview(CSV, 0).columns[0].type).toBe('STRING') // "id" is one of five: no majority
    expect(preview(CSV, 1).columns[0].type).toBe('INT64')
  })

  it('keeps a column whose values do not mostly share a type STRING, and a headerless file headerless', () => {
    expect(suggestType(['1', 'x'])).toBe('STRING') // one of two is no majority
    expect(suggestType(['1', '2', 'x', 'y'])).toBe('STRING')
    expect(suggestType(['1', '2', '3', 'x'])).toBe('INT64')
    expect(suggestType(['1', '2', '3', '4.5'])).toBe('DOUBLE') // every value a DOUBLE before most an INT64
    const lines = ['n', '1', '2', 'x', '4', '5', 'y', '7', '8', '9', 'z', '11', '12', 'w', '14', '15', '16'].join('\n')
    expect(preview(lines + '\n').notes).toContain('column 1 (n) is suggested INT64, but lines 4 ("x"), 7 ("y"), 11 ("z") and 1 more are not: they would fail unless the column is STRING')
    expect(preview('Ann,1\nBob,2\n3,x\n').header).toBe(0)
    expect(preview('1,Zhang San\n2,Li Si\nthree,Bad\n5,Zhao\n').header).toBe(0) // a number first is data
  })
})

describe('importing it as the preview suggests', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  }, 30_000)
  afterAll(() => t?.close())

  it('imports the good lines under the header and fails the typo line alone, naming its line and column', async () => {
    upload(t.dir, 'people_typo.csv', CSV)
    const p = await t.app.graph.previewFile('admin', { path: 'people_typo.csv', format: 'CSV', rows: 10 })
    expect(p.header).toBe(1)
    const label: LabelDef = { label: 'people', type: 'VERTEX', primary: 'id', properties: p.columns.map((c) => ({ name: c.name, type: c.type, ...(c.name === 'id' ? {} : { optional: true }) })) }
    const g = await graphWithSchema(t.app, 'typo', { schema: [label] })
    const { taskId } = await t.app.graph.startImport({ graph: g, files: [{ path: 'people_typo.csv', format: 'CSV', label: 'people', columns: p.columns.map((c) => c.name), header: p.header }], continueOnError: true }, ADMIN)
    const s = await finished(t.app, taskId)
    const f = s.report!.files[0]
    expect(f).toMatchObject({ imported: 3, failed: 1 })
    expect(f.failures).toEqual([{ line: 4, text: 'three,Bad Id,Nowhere', reason: 'Failed to parse column 1 [id] into type INT64: the error item is "three"' }])
    const ids = (await t.app.graph.listVertices(g, 'people', -1, 100, { user: 'admin' })).map((v) => v.properties.id)
    expect(ids).toEqual([1, 2, 5]) // no vertex "id"
  })
})
