// #9: a line longer than an import reads (a package and its 1 MiB allowance: "too long input line")
// failed the whole import without saying which line, even with continueOnError. Now the failure
// names the file and the line, and with continueOnError the line is one failed line of the report,
// as any other bad line, and the lines after it are imported. In UTF-8 and in a decoded encoding.
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FileReport, ImportStatus } from '../../shared/graph'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

let graphs = 0
const freshGraph = (): Promise<string> => graphWithSchema(t.app, `long${++graphs}`)

async function importFiles(graph: string, files: unknown[], options: Record<string, unknown> = {}): Promise<ImportStatus> {
  const { taskId } = await t.app.graph.startImport({ graph, files, ...options }, ADMIN)
  const status = await finished(t.app, taskId)
  for (const f of status.report?.files ?? []) expect(f.lines, `${f.path}: every line accounted for`).toBe(f.imported + f.failed + f.rolledBack)
  return status
}

const file = (s: ImportStatus, path: string): FileReport => s.report!.files.find((f) => f.path === path)!
const ids = async (graph: string) => (await t.app.graph.listVertices(graph, 'person', -1, 1000, { user: 'admin' })).map((v) => v.properties.id)

/** Lines 1 and 2, line 3 longer than a package of 64 bytes and its 1 MiB allowance, lines 4 and 5. */
const LONG = 1024 * 1024 + 200
const text = `1,Ann,30\n2,Bob,31\n3,${'n'.repeat(LONG)},32\n4,Dan,33\n5,Eve,34\n`

describe('a line longer than an import reads', () => {
  it('fails the import naming the file and the line', async () => {
    const g = await freshGraph()
    upload(t.dir, 'long-a.csv', text)
    const s = await importFiles(g, [personFile('long-a.csv')], { packageBytes: 64 })
    expect(s.status).toBe('failed')
    expect(s.report!.reason).toMatch(/^long-a\.csv line 3: too long input line/)
    expect(s.report!.reason).toContain(`it takes ${LONG + 6} bytes with its line end`) // the line's bytes and its newline
    expect(file(s, 'long-a.csv').failures.map((f) => f.line)).toEqual([3])
  })

  it('with continueOnError skips the line as a failed line and imports the rest', async () => {
    const g = await freshGraph()
    upload(t.dir, 'long-b.csv', text)
    const s = await importFiles(g, [personFile('long-b.csv')], { packageBytes: 64, continueOnError: true })
    expect(s.status, s.report?.reason).toBe('succeeded')
    expect(file(s, 'long-b.csv')).toMatchObject({ lines: 5, imported: 4, failed: 1 })
    const [failure] = file(s, 'long-b.csv').failures
    expect(failure.line).toBe(3)
    expect(failure.reason).toMatch(/^too long input line/)
    expect(failure.text.startsWith('3,nnn')).toBe(true)
    expect((await ids(g)).sort()).toEqual([1, 2, 4, 5])
  })

  it('the same in a file decoded from UTF-16', async () => {
    const g = await freshGraph()
    upload(t.dir, 'long-c.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))
    const s = await importFiles(g, [personFile('long-c.csv')], { packageBytes: 64, continueOnError: true })
    expect(s.status, s.report?.reason).toBe('succeeded')
    expect(file(s, 'long-c.csv')).toMatchObject({ lines: 5, imported: 4, failed: 1 })
    expect(file(s, 'long-c.csv').failures.map((f) => f.line)).toEqual([3])
    expect((await ids(g)).sort()).toEqual([1, 2, 4, 5])
  })

  it('a long line at the very end of the file, without a newline, is the last failed line', async () => {
    const g = await freshGraph()
    upload(t.dir, 'long-d.csv', `1,Ann,30\n2,${'n'.repeat(LONG)},31`)
    const s = await importFiles(g, [personFile('long-d.csv')], { packageBytes: 64, continueOnError: true })
    expect(s.status, s.report?.reason).toBe('succeeded')
    expect(file(s, 'long-d.csv')).toMatchObject({ lines: 2, imported: 1, failed: 1 })
    expect(file(s, 'long-d.csv').failures.map((f) => f.line)).toEqual([2])
  })
})
