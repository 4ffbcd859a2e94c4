// #9 last check (LOW): the Map step's preview of a file whose line 2 is longer than an import reads
// (IMPORT_LINE_BYTES with its newline) found no header: the head it read stops before line 2, so it
// held one line, too few to weigh names against data, and line 1 (`id,name`) was mapped as data
// (column_1, column_2). The preview now takes line 1 as the header when it reads as column names and
// says that line 2 is too long in Check's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IMPORT_LINE_BYTES } from '../../electron/graph/import/packages'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('long2', ADMIN)
}, 30_000)
afterAll(() => t?.close())

describe('a preview whose line 2 is longer than an import reads', () => {
  it('reads its header from line 1 and names line 2 as Check does', async () => {
    // line 2 takes exactly IMPORT_LINE_BYTES with its newline: the shortest line an import fails
    upload(t.dir, 'long2.csv', Buffer.from(`id,name\n1,${'x'.repeat(IMPORT_LINE_BYTES - 3)}\n2,ok\n`))
    const preview = await t.app.graph.previewFile('admin', { path: 'long2.csv', format: 'CSV', rows: 10 })
    const check = await t.app.graph.checkImport(
      { graph: 'long2', schema: [{ label: 'p', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING' }] }], files: [{ path: 'long2.csv', format: 'CSV', label: 'p', columns: ['id', 'name'], header: 1 }], delimiter: ',', continueOnError: false },
      ADMIN,
    )
    expect(preview.header).toBe(1)
    expect(preview.columns.map((c) => c.name)).toEqual(['id', 'name'])
    expect(preview.rows).toEqual([])
    const reason = check.problems.find((p) => p.code === 'line_too_long')!.message.match(/line 2: (too long input line: [^:]*)/)![1]
    expect(preview.notes.join('\n')).toContain(`line 2 is longer than an import reads (${reason})`)
  })

  it('keeps a first line of data as data (a number is never a column name)', async () => {
    upload(t.dir, 'long2data.csv', Buffer.from(`1,Ann\n2,${'x'.repeat(IMPORT_LINE_BYTES - 3)}\n`))
    const preview = await t.app.graph.previewFile('admin', { path: 'long2data.csv', format: 'CSV', rows: 10 })
    expect(preview.header).toBe(0)
    expect(preview.columns.map((c) => c.name)).toEqual(['column_1', 'column_2'])
  })
})
