// fresh finding (LOW): the preview of a UTF-16 file whose second line is longer than an import reads
// (16 MiB) named line 1 as the long one and showed no line at all; the same file in UTF-8 names line 2
// and shows line 1 (id,name). A user who reads "line 1 is longer than an import reads" looks at the
// header, which is 7 characters. Fixed: the preview reads the whole lines before the long one in any
// encoding (inspect/head-lines.ts readHeadLines, as Check).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const TEXT = `id,name\n1,${'x'.repeat(20_000_000)}\n2,ok\n`

it('names the same long line, and shows the lines before it, in UTF-16LE as in UTF-8', { timeout: 60_000 }, async () => {
  upload(t.dir, 'long8.csv', Buffer.from(TEXT))
  upload(t.dir, 'long16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))
  const utf8 = await t.app.graph.previewFile('admin', { path: 'long8.csv', format: 'CSV', rows: 10 })
  const utf16 = await t.app.graph.previewFile('admin', { path: 'long16.csv', format: 'CSV', rows: 10 })
  expect(utf8.notes.join(' ')).toMatch(/line 2 is longer than an import reads/)
  expect(utf16.encoding).toBe('utf-16le')
  expect(utf16.notes.join(' ')).toMatch(/line 2 is longer than an import reads/)
  expect(utf16.rows.map((r) => r.fields)).toEqual(utf8.rows.map((r) => r.fields))
})
