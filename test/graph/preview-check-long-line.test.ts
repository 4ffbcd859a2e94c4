// #9 new-user trial: a line longer than the preview (256 KiB) or a check (1 MiB) reads, but within
// what an import reads as one line (IMPORT_LINE_BYTES), is read by the import: the preview and Check
// say so and read on past it (a header on line 2 after a 2 MiB line 1 gives its columns), where they
// called it "too long" and showed nothing. A line longer than the import reads is an error naming its
// line, its size and the limit. Then the import does what they said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { IMPORT_LINE_BYTES } from '../../electron/graph/import/packages'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('big', ADMIN)
}, 30_000)
afterAll(() => t?.close())

const MiB = 1024 * 1024

/** The page's steps: preview with `header`, a new vertex label of its columns, Check (continueOnError as given). */
async function previewAndCheck(path: string, bytes: Buffer, header: number, label: string, continueOnError = false) {
  upload(t.dir, path, bytes)
  const preview = await t.app.graph.previewFile('admin', { path, format: 'CSV', rows: 10, header })
  const names = preview.columns.map((c) => c.name)
  const def: LabelDef = { label, type: 'VERTEX', primary: names[0], properties: names.map((name) => ({ name, type: 'STRING', optional: name !== names[0] })) }
  const files = [{ path, format: 'CSV' as const, label, columns: names, header }]
  const check = await t.app.graph.checkImport({ graph: 'big', schema: [def], files, delimiter: ',', continueOnError }, ADMIN)
  return { preview, names, check, def, files }
}

describe('a line longer than the preview and Check read', () => {
  it('within the import’s limit (a 2 MiB line 1, the header on line 2): columns, rows, a note, no error; the import reads it', async () => {
    const { preview, names, check, def, files } = await previewAndCheck('big1.csv', Buffer.from(`${'y'.repeat(2 * MiB)}\nid,name\n1,big\n`), 2, 'big1')
    expect(names).toEqual(['id', 'name'])
    expect(preview.rows).toEqual([{ line: 3, fields: ['1', 'big'] }])
    const notes = preview.notes.join('\n')
    expect(notes).toMatch(/line 1 is 2097152 bytes, longer than the preview reads .*the import reads it/)
    expect(notes).not.toMatch(/would fail|fails there/)
    expect(check.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(check.problems).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'long_line', file: 'big1.csv', line: 1, message: expect.stringMatching(/line 1 is 2097152 bytes, longer than the check reads/) }))
    expect(check.files[0]).toMatchObject({ sampledLines: 1, failedLines: 0 })
    await t.app.graph.importSchema('big', { schema: [def] }, ADMIN)
    const { taskId } = await t.app.graph.startImport({ graph: 'big', files }, ADMIN)
    const s = await finished(t.app, taskId)
    expect(s.status).toBe('succeeded')
    expect(s.report!.imported).toBe(1)
  })

  it('past the import’s limit: the note and Check’s error name the line, its size and the limit', async () => {
    const { preview, check } = await previewAndCheck('toolong.csv', Buffer.from(`id,name\n1,${'x'.repeat(IMPORT_LINE_BYTES + 10)}\n2,ok\n`), 1, 'toolong')
    expect(preview.rows).toEqual([])
    expect(preview.notes.join('\n')).toMatch(new RegExp(`line 2 is longer than an import reads \\(too long input line: it takes (at least )?\\d+ bytes with its line end, and an import reads lines of up to ${IMPORT_LINE_BYTES - 1}\\)`))
    const error = check.problems.find((p) => p.code === 'line_too_long')
    expect(error).toMatchObject({ severity: 'error', file: 'toolong.csv', line: 2 })
    expect(error!.message).toMatch(new RegExp(`toolong\\.csv line 2: too long input line: it takes \\d+ bytes with its line end, and an import reads lines of up to ${IMPORT_LINE_BYTES - 1}`))
  })
})

describe('the header found after a long first line', () => {
  it('is line 2 when the preview is given no header (the page’s first preview)', async () => {
    upload(t.dir, 'big1auto.csv', Buffer.from(`${'y'.repeat(2 * MiB)}\nid,name\n1,big\n2,bob\n`))
    const preview = await t.app.graph.previewFile('admin', { path: 'big1auto.csv', format: 'CSV', rows: 10 })
    expect(preview.header).toBe(2)
    expect(preview.columns.map((c) => [c.name, c.type])).toEqual([['id', 'INT64'], ['name', 'STRING']])
    expect(preview.rows.map((r) => r.line)).toEqual([3, 4])
  })
})
