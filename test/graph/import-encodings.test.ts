// Imports of files that are not UTF-8: Windows and Excel save "Unicode text" as UTF-16 with a
// byte-order mark, and Chinese users' tools save GBK. An import reads them by the mark (or by the
// file's `encoding`), and a file whose bytes are not valid for its encoding fails naming the line.
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportStatus } from '../../shared/graph'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, knowsFile, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

let graphs = 0
const freshGraph = (): Promise<string> => graphWithSchema(t.app, `enc${++graphs}`)
async function importFiles(graph: string, files: unknown[], options: Record<string, unknown> = {}): Promise<ImportStatus> {
  const { taskId } = await t.app.graph.startImport({ graph, files, ...options }, ADMIN)
  return finished(t.app, taskId)
}
const names = async (graph: string) => (await t.app.graph.listVertices(graph, 'person', -1, 1000, { user: 'admin' })).map((v) => [v.properties.id, v.properties.name])

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
const utf16be = (text: string) => Buffer.from(utf16le(text).swap16())

const PEOPLE = 'id,name,age\r\n1,张伟,30\r\n2,"Zoë 🌍",\r\n3,Ünal,41\r\n'
const KNOWS = '1,2,2020\r\n2,3,\r\n'

describe('imports of UTF-16 and GBK files', () => {
  it('reads UTF-16LE files with a byte-order mark: vertices and edges land with their non-ASCII values', async () => {
    const g = await freshGraph()
    upload(t.dir, 'p16le.csv', utf16le(PEOPLE))
    upload(t.dir, 'k16le.csv', utf16le(KNOWS))
    const s = await importFiles(g, [personFile('p16le.csv', { header: 1 }), knowsFile('k16le.csv')])
    expect(s.status, s.error ?? '').toBe('succeeded')
    expect(s.report).toMatchObject({ imported: 5, failed: 0, bytesDone: s.report!.bytesTotal })
    expect(await names(g)).toEqual([
      [1, '张伟'],
      [2, 'Zoë 🌍'],
      [3, 'Ünal'],
    ])
    const info = await t.app.graph.getGraph(g, { user: 'admin' })
    expect(info.edgeCount).toBe(2)
    expect(s.report!.files[0].notes.join(' ')).toMatch(/UTF-16LE/)
  })

  it('reads UTF-16BE by its mark, and GBK when the file says so, across packages of a few bytes', async () => {
    const g = await freshGraph()
    upload(t.dir, 'p16be.csv', utf16be('id,name,age\n1,张伟,30\n'))
    upload(t.dir, 'pgbk.csv', iconv.encode('2,李娜,22\n3,王芳,\n', 'gbk'))
    const s = await importFiles(g, [personFile('p16be.csv', { header: 1 }), personFile('pgbk.csv', { encoding: 'gbk' })], { packageBytes: 16 })
    expect(s.status, s.error ?? '').toBe('succeeded')
    expect(s.report).toMatchObject({ imported: 3, bytesDone: s.report!.bytesTotal })
    expect(await names(g)).toEqual([
      [1, '张伟'],
      [2, '李娜'],
      [3, '王芳'],
    ])
  })

  it('checks a UTF-16LE file by its first lines, and skips its packages by the same cuts as it imports them', async () => {
    const g = await freshGraph()
    const rows = Array.from({ length: 40 }, (_, i) => `${i + 1},名字${i + 1},${i}`)
    upload(t.dir, 'skip16.csv', utf16le(`id,name,age\r\n${rows.join('\r\n')}\r\n`))
    const check = await t.app.graph.checkImport({ graph: g, files: [personFile('skip16.csv', { header: 1 })] }, ADMIN)
    expect(check.files[0]).toMatchObject({ sampledLines: 40, failedLines: 0 })
    const s = await importFiles(g, [personFile('skip16.csv', { header: 1 })], { packageBytes: 64, skipPackages: 3 })
    expect(s.status, s.error ?? '').toBe('succeeded')
    const f = s.report!.files[0]
    expect(f.skipped).toBeGreaterThan(0)
    expect(f.skipped + f.imported).toBe(40)
    expect(s.report!.bytesDone).toBe(s.report!.bytesTotal)
    const got = await names(g)
    expect(got[0]).toEqual([f.skipped + 1, `名字${f.skipped + 1}`]) // the first line after the skipped packages, whole
  })

  it('fails a UTF-16 file with a lone surrogate, naming the file and the line', async () => {
    const g = await freshGraph()
    const bytes = utf16le('1,Ann,30\n2,Bo?,\n3,Carl,41\n')
    bytes.writeUInt16LE(0xd800, 2 + 2 * '1,Ann,30\n2,Bo'.length) // the ? becomes half of a pair
    upload(t.dir, 'lone.csv', bytes)
    const s = await importFiles(g, [personFile('lone.csv')])
    expect(s.status).toBe('failed')
    expect(s.error).toMatch(/lone\.csv line 2: .*not valid UTF-16LE/)
  })

  it('fails a UTF-16 file with an odd number of bytes at its last line', async () => {
    const g = await freshGraph()
    upload(t.dir, 'odd.csv', Buffer.concat([utf16le('1,Ann,30\n2,Bob,22\n'), Buffer.from([0x33])]))
    const s = await importFiles(g, [personFile('odd.csv')], { continueOnError: true })
    expect(s.report).toMatchObject({ imported: 2, failed: 1 })
    expect(s.report!.files[0].failures[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/odd number of bytes/) })
  })

  it('refuses an encoding it does not read with a 400', async () => {
    const g = await freshGraph()
    const r = await t.call('POST', '/api/v1/imports', { graph: g, files: [personFile('p16le.csv', { encoding: 'ebcdic' })] })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.body)).toMatch(/encoding/)
  })

  it('previews a UTF-16LE file as text, naming the encoding', async () => {
    upload(t.dir, 'prev16.csv', utf16le(PEOPLE))
    const p = await t.app.graph.previewFile('admin', { path: 'prev16.csv', format: 'CSV', rows: 10 })
    expect(p).toMatchObject({ encoding: 'utf-16le', header: 1, headerFields: ['id', 'name', 'age'] })
    expect(p.rows.map((r) => r.fields)).toEqual([
      ['1', '张伟', '30'],
      ['2', 'Zoë 🌍', null],
      ['3', 'Ünal', '41'],
    ])
  })

  it('reads a file by its byte-order mark over the encoding asked for, and says so', async () => {
    upload(t.dir, 'asked-gbk.csv', utf16le(PEOPLE))
    const p = await t.app.graph.previewFile('admin', { path: 'asked-gbk.csv', format: 'CSV', rows: 10, encoding: 'gbk' })
    expect(p.encoding).toBe('utf-16le')
    expect(p.notes.join(' ')).toMatch(/a UTF-16LE byte-order mark: the file is read as UTF-16LE, not GBK as asked/)
    expect(p.rows[0]!.fields).toEqual(['1', '张伟', '30'])
  })
})

// newuser trial H1/M5: a GBK or BOM-less UTF-16 file with no encoding chosen was read as UTF-8, every
// line "not valid UTF-8", and the import "succeeded" with nothing imported, never naming the encoding.
describe('files that are not UTF-8 and say nothing of their encoding', () => {
  const GBK_PEOPLE = iconv.encode('id,name,age\n1,张三,30\n2,李四,41\n3,王五,\n', 'gbk')

  it('a preview with no encoding asked for guesses GBK, and UTF-16LE without a mark, and says why', async () => {
    upload(t.dir, 'guess-gbk.csv', GBK_PEOPLE)
    const p = await t.app.graph.previewFile('admin', { path: 'guess-gbk.csv', format: 'CSV', rows: 10 })
    expect(p).toMatchObject({ encoding: 'gbk', header: 1, headerFields: ['id', 'name', 'age'], encodingGuessed: expect.stringMatching(/^not UTF-8; read as GBK/) })
    expect(p.notes[0]).toBe(p.encodingGuessed)
    expect(p.rows.map((r) => r.fields)).toEqual([
      ['1', '张三', '30'],
      ['2', '李四', '41'],
      ['3', '王五', null],
    ])
    upload(t.dir, 'guess-16.csv', Buffer.from(PEOPLE, 'utf16le'))
    const q = await t.app.graph.previewFile('admin', { path: 'guess-16.csv', format: 'CSV', rows: 10 })
    expect(q).toMatchObject({ encoding: 'utf-16le', header: 1, encodingGuessed: expect.stringMatching(/^not UTF-8; read as UTF-16LE \(every other byte is NUL/) })
    expect(q.rows[0]!.fields).toEqual(['1', '张伟', '30'])
  })

  it('over HTTP too; an encoding chosen by hand is kept, and the preview says which to choose; Latin-1 stays UTF-8 as before', async () => {
    const r = await t.call('POST', '/api/v1/imports/preview', { path: 'guess-gbk.csv', format: 'CSV' })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.data ?? r.body).toMatchObject({ encoding: 'gbk', encodingGuessed: expect.stringMatching(/GBK/) })
    const byHand = await t.app.graph.previewFile('admin', { path: 'guess-gbk.csv', format: 'CSV', rows: 10, encoding: 'utf-8' })
    expect(byHand.encoding).toBe('utf-8')
    expect(byHand.encodingGuessed).toBeUndefined()
    expect(byHand.notes[0]).toBe('read as UTF-8, but it looks like GBK: choose Encoding GBK (encoding "gbk")')
    upload(t.dir, 'latin1.csv', iconv.encode('id,name,age\n1,José,30\n2,Müller,41\n', 'latin1'))
    const latin = await t.app.graph.previewFile('admin', { path: 'latin1.csv', format: 'CSV', rows: 10 })
    expect(latin.encoding).toBe('utf-8')
    expect(latin.encodingGuessed).toBeUndefined()
    expect(latin.rows[0]).toMatchObject({ line: 2, fields: null, error: 'the line is not valid UTF-8 (from byte 6 of the line)' })
  })

  it('an import and a check of it as UTF-8 (no encoding: not guessed) name GBK; every line failed is "failed", saying nothing was imported', async () => {
    const g = await freshGraph()
    const file = personFile('guess-gbk.csv', { header: 1 })
    const check = await t.app.graph.checkImport({ graph: g, files: [file], continueOnError: true }, ADMIN)
    expect(check.problems.map((p) => p.message).join('\n')).toMatch(
      /3 of the first 3 lines of guess-gbk\.csv will not import .*; line 2: the line is not valid UTF-8 \(from byte 3 of the line\); it looks like GBK: choose Encoding GBK \(encoding "gbk"\)/,
    )
    const s = await importFiles(g, [file], { continueOnError: true })
    expect(s.status).toBe('failed') // nothing went in (test/graph/import-nothing-fails.test.ts)
    expect(s.report).toMatchObject({ imported: 0, failed: 3, reason: expect.stringMatching(/^nothing was imported: all 3 data lines failed \(first: guess-gbk\.csv line 2: the line is not valid UTF-8 .*it looks like GBK/) })
    expect(s.report!.files[0].notes).toContain('read as UTF-8, but it looks like GBK: choose Encoding GBK (encoding "gbk")')
    const stopped = await importFiles(g, [file])
    expect(stopped.status).toBe('failed')
    expect(stopped.error).toMatch(/guess-gbk\.csv line 2: the line is not valid UTF-8 \(from byte 3 of the line\); it looks like GBK: choose Encoding GBK/)
    expect(await names(g)).toEqual([])
  })

  it('a UTF-16LE file without a mark read as UTF-8 names UTF-16LE in its failed lines; one line imported: it succeeds', async () => {
    const g = await freshGraph()
    upload(t.dir, 'nomark16.csv', Buffer.from('1,Ann,30\n2,Bob,41\n', 'utf16le'))
    const s = await importFiles(g, [personFile('nomark16.csv')], { continueOnError: true })
    expect(s.report).toMatchObject({ imported: 0, failed: 3 }) // the NUL after the last newline reads as a third line
    expect(s.report!.files[0].failures[0]!.reason).toMatch(/; it looks like UTF-16LE: choose Encoding UTF-16LE/)
    upload(t.dir, 'somebad.csv', '1,Ann,30\nx,Bob,41\n')
    const some = await importFiles(g, [personFile('somebad.csv')], { continueOnError: true })
    expect(some.report).toMatchObject({ imported: 1, failed: 1 })
    expect(some.status).toBe('succeeded')
    expect(some.report!.reason).toBeUndefined()
  })
})
