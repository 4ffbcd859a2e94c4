// newuser trial (issue #9 LOW): a short row (`4,Wang Wu` under id,name,city) made the preview mark
// city as having empty values, so the page ticked it "optional", yet the import failed that line with
// "Missing delimiter after column 2". TuGraph's CSV reader (reference/tugraph.md, column_parser.h)
// makes only an empty field null for an optional column; a line with fewer fields than the mapping's
// columns fails. So the preview no longer counts a missing field as an empty one, and names the line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { previewBytes } from '../../electron/graph/inspect/file-preview'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, upload } from './support'

const CSV = 'id,name,city\n1,Zhang San,Beijing\n2,Li Si,Shanghai\n4,Wang Wu\n5,Zhao,\n'
const SHORT_NOTE = 'line 4 has 2 fields, not 3: it would fail ("Missing delimiter after column 2"); an empty field is written as an empty cell, e.g. "4,Wang Wu,"'

describe('a short row in the preview', () => {
  it('does not make its missing fields empty values (the page would tick them optional) and is named as failing', () => {
    const p = previewBytes(Buffer.from(CSV), CSV.length, { path: 'short.csv', format: 'CSV', rows: 20 })
    expect(p.header).toBe(1)
    const short = previewBytes(Buffer.from('id,name,city\n1,Zhang San,Beijing\n2,Li Si,Shanghai\n4,Wang Wu\n'), 0, { path: 'short.csv', format: 'CSV', rows: 20, header: 1 })
    expect(short.columns.map((c) => [c.name, c.hasEmpty, c.values])).toEqual([
      ['id', false, 3],
      ['name', false, 3],
      ['city', false, 2],
    ])
    expect(short.notes).toContain(SHORT_NOTE)
    expect(p.columns[2]).toMatchObject({ name: 'city', hasEmpty: true }) // `5,Zhao,`: an empty field is
  })
})

describe('importing it', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  }, 30_000)
  afterAll(() => t?.close())

  it('fails the short line as the note says, and takes the empty field of an optional column as null', async () => {
    upload(t.dir, 'short.csv', CSV)
    const label: LabelDef = { label: 'p', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'city', type: 'STRING', optional: true }] }
    const g = await graphWithSchema(t.app, 'short', { schema: [label] })
    const { taskId } = await t.app.graph.startImport({ graph: g, files: [{ path: 'short.csv', format: 'CSV', label: 'p', columns: ['id', 'name', 'city'], header: 1 }], continueOnError: true }, ADMIN)
    const f = (await finished(t.app, taskId)).report!.files[0]
    expect(f).toMatchObject({ imported: 3, failed: 1 })
    expect(f.failures).toEqual([{ line: 4, text: '4,Wang Wu', reason: expect.stringContaining('Missing delimiter after column 2') }])
  })
})
