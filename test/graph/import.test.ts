// Imports through the graph service as a client uses it (reference/tugraph.md §8 items 15–25):
// real app, real engine job, real worker thread, files in the user's upload folder.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FileReport, ImportStatus } from '../../shared/graph'
import type { AppError } from '../../shared/errors'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, knowsFile, PERSON_SCHEMA, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

let graphs = 0
const freshGraph = (schema: unknown = PERSON_SCHEMA): Promise<string> => graphWithSchema(t.app, `g${++graphs}`, schema)

async function importFiles(graph: string, files: unknown[], options: Record<string, unknown> = {}): Promise<ImportStatus> {
  const { taskId } = await t.app.graph.startImport({ graph, files, ...options }, ADMIN)
  const status = await finished(t.app, taskId)
  for (const f of status.report?.files ?? []) expect(f.lines, `${f.path}: every line accounted for`).toBe(f.imported + f.failed + f.rolledBack)
  return status
}

const file = (s: ImportStatus, path: string): FileReport => s.report!.files.find((f) => f.path === path)!
const people = async (graph: string) => {
  const out: Record<string, unknown>[] = []
  for (const v of await t.app.graph.listVertices(graph, 'person', -1, 1000, { user: 'admin' })) out.push({ vid: v.vid, ...v.properties })
  return out
}
const counts = async (graph: string) => {
  const info = await t.app.graph.getGraph(graph, { user: 'admin' })
  return { vertices: info.vertexCount, edges: info.edgeCount }
}
const write = (name: string, content: string | Buffer) => upload(t.dir, name, content)

describe('import (§8.15–17)', () => {
  it('imports a vertex file with a header as a job, reports it, and deletes the files when asked', async () => {
    const g = await freshGraph()
    write('p15.csv', 'id,name,age\n1,Ann,30\n2,Bob,\n3,"Carl",41\n')
    const s = await importFiles(g, [personFile('p15.csv', { header: 1 })], { deleteFiles: true })
    expect(s).toMatchObject({ status: 'succeeded', progress: 1, error: null, graph: g, submitter: 'admin' })
    expect(s.report).toMatchObject({ state: 'succeeded', imported: 3, failed: 0, packagesDone: 1, bytesDone: s.report!.bytesTotal })
    expect(file(s, 'p15.csv')).toMatchObject({ state: 'done', lines: 3, imported: 3, failed: 0, failures: [] })
    expect(await people(g)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: 30 },
      { vid: 1, id: 2, name: 'Bob', age: null },
      { vid: 2, id: 3, name: 'Carl', age: 41 },
    ])
    expect(existsSync(join(t.dir, 'upload_files/admin/p15.csv'))).toBe(false)
    const job = t.app.handlers && (await t.call('GET', `/api/v1/jobs/${s.jobId}`)).body
    expect(job).toMatchObject({ kind: 'import', status: 'succeeded', progress: 1 })
    expect(job.result.files[0]).toMatchObject({ path: 'p15.csv', imported: 3 })
    const results = (await t.call('GET', `/api/v1/jobs/${s.jobId}/results`)).body
    expect(results.map((r: { rowCount: number }) => r.rowCount)).toEqual([1, 0])
    const logs = (await t.call('GET', `/api/v1/jobs/${s.jobId}/logs?from=0&size=100`)).body.lines.map((l: { text: string }) => l.text)
    expect(logs.join('\n')).toMatch(/p15\.csv package 1 .*3 lines, 3 imported, 0 failed/)
  })

  it('imports vertex files before edge files whatever their order, numbering eids per (src, dst)', async () => {
    const g = await freshGraph()
    write('k17.csv', '1,2,2020\n1,2,2021\n2,1,\n')
    write('p17.csv', '2,Bob,\n1,Ann,\n')
    const s = await importFiles(g, [knowsFile('k17.csv'), personFile('p17.csv')])
    expect(s.report!.files.map((f) => f.path)).toEqual(['p17.csv', 'k17.csv'])
    expect(await counts(g)).toEqual({ vertices: 2, edges: 3 })
    const ann = (await t.app.graph.findVertex(g, 'person', 1, { user: 'admin' }))!
    expect(ann.vid).toBe(0) // vids follow primary-key order within a package, as TuGraph sorts it
    const out = await t.app.graph.listEdges(g, ann.vid, 'out', undefined, { user: 'admin' })
    expect(out.map((e) => [e.src, e.dst, e.eid, e.properties.since])).toEqual([
      [0, 1, 0, 2020],
      [0, 1, 1, 2021],
    ])
    expect((await t.app.graph.listEdges(g, ann.vid, 'in', undefined, { user: 'admin' })).map((e) => [e.src, e.dst, e.eid, e.properties.since])).toEqual([[1, 0, 0, null]])
  })
})

describe('temporal edges', () => {
  it('take their tid from the temporal property and number eids per tid', async () => {
    const g = await freshGraph({
      schema: [
        PERSON_SCHEMA.schema[0],
        { label: 'paid', type: 'EDGE', properties: [{ name: 'ts', type: 'INT64' }, { name: 'amount', type: 'DOUBLE' }], temporal: 'ts', temporal_order: 'DESC' },
      ],
    })
    write('tp.csv', '1,Ann,\n2,Bob,\n')
    write('te.csv', '1,2,100,5.5\n1,2,100,6\n1,2,200,7\n')
    await importFiles(g, [personFile('tp.csv'), { path: 'te.csv', format: 'CSV', label: 'paid', SRC_ID: 'person', DST_ID: 'person', columns: ['SRC_ID', 'DST_ID', 'ts', 'amount'] }])
    expect((await t.app.graph.listEdges(g, 0, 'out', 'paid', { user: 'admin' })).map((e) => [e.tid, e.eid, e.properties.amount])).toEqual([
      [200, 0, 7],
      [100, 0, 5.5],
      [100, 1, 6],
    ])
  })
})

describe('a folder as a path', () => {
  it('imports every regular file in it, by name', async () => {
    const g = await freshGraph()
    write('folder/b.csv', '2,Bob,\n')
    write('folder/a.csv', '1,Ann,\n')
    const s = await importFiles(g, [personFile('folder')])
    expect(s.report!.files.map((f) => [f.path, f.imported])).toEqual([
      ['folder/a.csv', 1],
      ['folder/b.csv', 1],
    ])
  })
})

describe('imports into one graph', () => {
  it('run one at a time, the second waiting for the first', async () => {
    const g = await freshGraph()
    write('c1.csv', Array.from({ length: 3000 }, (_, i) => `${i},a${i},`).join('\n'))
    write('c2.csv', Array.from({ length: 3000 }, (_, i) => `${i + 3000},b${i},`).join('\n'))
    const a = await t.app.graph.startImport({ graph: g, files: [personFile('c1.csv')], packageBytes: 4096 }, ADMIN)
    const b = await t.app.graph.startImport({ graph: g, files: [personFile('c2.csv')], packageBytes: 4096 }, ADMIN)
    const [sa, sb] = await Promise.all([finished(t.app, a.taskId), finished(t.app, b.taskId)])
    expect([sa.status, sb.status]).toEqual(['succeeded', 'succeeded'])
    expect(await counts(g)).toEqual({ vertices: 6000, edges: 0 })
    const logs = (await t.call('GET', `/api/v1/jobs/${b.jobId}/logs?from=0&size=100`)).body.lines.map((l: { text: string }) => l.text)
    expect(logs).toContain(`waiting for the import running into graph ${g} to end`)
    // the second import's vids all follow the first's: it started after the first ended
    expect((await t.app.graph.findVertex(g, 'person', 3000, { user: 'admin' }))!.vid).toBe(3000)
  })
})

describe('bad lines (§8.18–21)', () => {
  const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `${from + i},p${from + i},${20 + i}`).join('\n') + '\n'

  it('without continueOnError fails on a bad line, keeps earlier packages and rolls back the failing one', async () => {
    const g = await freshGraph()
    write('p18.csv', lines(6) + '7,Bad,x\n' + lines(3, 8))
    const s = await importFiles(g, [personFile('p18.csv')], { packageBytes: 40 })
    expect(s.status).toBe('failed')
    const committed = (await people(g)).map((p) => p.id)
    const f = file(s, 'p18.csv')
    expect(f).toMatchObject({ state: 'failed', failed: 1, imported: committed.length })
    expect(committed.length).toBeGreaterThan(0)
    expect(committed).not.toContain(7)
    expect(f.failures).toEqual([{ line: 7, text: '7,Bad,x', reason: 'Failed to parse column 3 [age] into type INT32: the error item is "x"' }])
    expect(f.rolledBack).toBeGreaterThan(0) // the failing package's other lines were not committed
    // JobDesk's words count data lines and say what was rolled back (import-report-words.test.ts); TuGraph's are kept for its dialect
    expect(s.report!.reason).toMatch(
      new RegExp(`^p18\\.csv line 7: Failed to parse column 3 \\[age\\] into type INT32: the error item is "x"\n>Error line:\n\t7,Bad,x\np18\\.csv: ${committed.length} data lines imported; the package of its lines ${committed.length + 1}–\\d+ was rolled back: its line 7 failed and its other ${f.rolledBack} data lines? w(as|ere) not imported\\.\n$`),
    )
    expect(s.report!.tugraphReason).toBe(
      `p18.csv line 7: Failed to parse column 3 [age] into type INT32: the error item is "x"\n>Error line:\n\t7,Bad,x\n were not imported successfully.\np18.csv was imported ${committed.length} lines.\n`,
    )
    expect(s.error).toContain('Failed to parse column 3 [age] into type INT32')
  })

  it('with continueOnError skips and reports the bad line, imports the rest', async () => {
    const g = await freshGraph()
    write('p19.csv', lines(6) + '7,Bad,x\n' + lines(3, 8))
    const s = await importFiles(g, [personFile('p19.csv')], { packageBytes: 40, continueOnError: true })
    expect(s.status).toBe('succeeded')
    expect(file(s, 'p19.csv')).toMatchObject({ lines: 10, imported: 9, failed: 1, failures: [{ line: 7, text: '7,Bad,x' }] })
    expect((await people(g)).map((p) => p.id).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10])
  })

  it('duplicate primary keys: fail without continueOnError; with it the existing vertex wins, also within a package', async () => {
    const g = await freshGraph()
    write('p20a.csv', '1,Ann,30\n')
    await importFiles(g, [personFile('p20a.csv')])
    write('p20b.csv', '5,Eve,\n1,Zed,99\n')
    const strict = await importFiles(g, [personFile('p20b.csv')])
    expect(strict.status).toBe('failed')
    expect(strict.report!.reason).toContain('vertex unique index conflict: [id] = 1 exists in label [person]')
    expect(await counts(g)).toEqual({ vertices: 1, edges: 0 })
    write('p20c.csv', '5,Eve,\n1,Zed,99\n5,Eva,1\n')
    const lenient = await importFiles(g, [personFile('p20c.csv')], { continueOnError: true })
    expect(lenient.status).toBe('succeeded')
    expect(file(lenient, 'p20c.csv').failures.map((f) => [f.line, f.reason])).toEqual([
      [2, 'vertex unique index conflict: [id] = 1 exists in label [person]'],
      [3, 'vertex unique index conflict: [id] = 5 exists in label [person]'],
    ])
    expect(await people(g)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: 30 },
      { vid: 1, id: 5, name: 'Eve', age: null },
    ])
  })

  it('edges with a missing endpoint: fail with "Missing src uid"; with continueOnError they are skipped and reported', async () => {
    const g = await freshGraph()
    write('p21.csv', '1,Ann,\n2,Bob,\n')
    write('k21.csv', '1,2,1\n9,2,2\n1,8,3\n')
    const strict = await importFiles(g, [personFile('p21.csv'), knowsFile('k21.csv')])
    expect(strict.status).toBe('failed')
    expect(strict.report!.reason).toBe('k21.csv line 2: Missing src uid 9\n>Error line:\n\t9,2,2\nImported in full: p21.csv.\nk21.csv: 0 data lines imported; the package of its lines 1–3 was rolled back: its line 2 failed and its other 2 data lines were not imported.\n')
    expect(strict.report!.tugraphReason).toMatch(/^k21\.csv line 2: Missing src uid 9\n>Error line:\n\t9,2,2\np21\.csv were not imported successfully\.\nk21\.csv was imported 0 lines\.\n$/)
    expect(await counts(g)).toEqual({ vertices: 2, edges: 0 })
    const lenient = await importFiles(g, [knowsFile('k21.csv')], { continueOnError: true })
    expect(file(lenient, 'k21.csv')).toMatchObject({ imported: 1, failed: 2 })
    expect(file(lenient, 'k21.csv').failures.map((f) => f.reason)).toEqual(['Missing src uid 9', 'Missing dst uid 8'])
    expect(await counts(g)).toEqual({ vertices: 2, edges: 1 })
  })
})

describe('bounded reports (#9 §2)', () => {
  it('lists at most 1,000 failed lines in a whole report (100 per file) and counts all of them', async () => {
    const g = await freshGraph()
    const bad = (n: number) => Array.from({ length: n }, (_, i) => `${i},p,x${'9'.repeat(2000)}`).join('\n') + '\n'
    const paths = Array.from({ length: 12 }, (_, i) => `many${i}.csv`)
    for (const path of paths) write(path, bad(120))
    const s = await importFiles(g, paths.map((path) => personFile(path)), { continueOnError: true })
    expect(s.status).toBe('failed') // every line failed: nothing was imported (import-nothing-fails.test.ts)
    expect(s.report!.failed).toBe(12 * 120)
    expect(s.report!.files.map((f) => [f.failed, f.failures.length])).toEqual(paths.map((_, i) => [120, i < 10 ? 100 : 0]))
    const failure = s.report!.files[0].failures[0]
    expect(failure.reason).toBe(`Failed to parse column 3 [age] into type INT32: the error item is "x${'9'.repeat(63)}… (2001 characters)"`)
    expect(failure.text).toHaveLength(1001) // cut at 1,000 characters and an ellipsis
    const results = (await t.call('GET', `/api/v1/jobs/${s.jobId}/results`)).body
    expect(results.map((r: { rowCount: number }) => r.rowCount)).toEqual([12, 1000])
  })

  it('quotes 64 characters of a long key in "unique index conflict" and "Missing src uid"', async () => {
    const g = await freshGraph({
      schema: [
        { label: 'tag', type: 'VERTEX', primary: 'name', properties: [{ name: 'name', type: 'STRING' }] },
        { label: 'tagged', type: 'EDGE', properties: [], constraints: [['tag', 'tag']] },
      ],
    })
    const long = 'k'.repeat(5000)
    write('tags.csv', `${long}\n${long}\n`)
    write('tagged.csv', `${long},${long}\nz${long},${long}\n`)
    const s = await importFiles(
      g,
      [
        { path: 'tags.csv', format: 'CSV', label: 'tag', columns: ['name'] },
        { path: 'tagged.csv', format: 'CSV', label: 'tagged', SRC_ID: 'tag', DST_ID: 'tag', columns: ['SRC_ID', 'DST_ID'] },
      ],
      { continueOnError: true },
    )
    const shown = `${'k'.repeat(64)}… (5000 characters)`
    expect(s.report!.files.map((f) => f.failures.map((l) => l.reason))).toEqual([
      [`vertex unique index conflict: [name] = ${shown} exists in label [tag]`],
      [`Missing src uid z${'k'.repeat(63)}… (5001 characters)`],
    ])
  })

  it('keeps the report of a running import up to date package by package', async () => {
    const g = await freshGraph()
    const paths = ['live0.csv', 'live1.csv', 'live2.csv']
    // 4,000 lines a file in 256-byte packages: some 600 packages, a run long enough to be seen running on a loaded machine
    paths.forEach((path, i) => write(path, Array.from({ length: 4000 }, (_, j) => `${i * 10_000 + j},p,${j % 50 === 0 ? 'x' : 1}`).join('\n') + '\n'))
    const { taskId } = await t.app.graph.startImport({ graph: g, files: paths.map((path) => personFile(path)), packageBytes: 256, continueOnError: true }, ADMIN)
    const seen: ImportStatus['report'][] = []
    for (;;) {
      const s = await t.app.graph.importStatus(taskId)
      if (s.status !== 'queued' && s.status !== 'running') break
      if (s.live && s.report) seen.push(structuredClone(s.report))
      await new Promise((r) => setTimeout(r, 5))
    }
    const end = await finished(t.app, taskId)
    expect(seen.length).toBeGreaterThan(2)
    for (const r of seen) {
      expect(r!.files.map((f) => f.path)).toEqual(paths)
      expect(r!.imported).toBe(r!.files.reduce((n, f) => n + f.imported, 0))
      expect(r!.failed).toBe(r!.files.reduce((n, f) => n + f.failed, 0))
      for (const f of r!.files) expect(f.failures).toHaveLength(f.failed)
    }
    const progressed = seen.filter((r) => r!.imported > 0)
    expect(progressed.length).toBeGreaterThan(1) // the copy follows the packages, not only the start
    expect(progressed.some((r) => r!.files[1].imported > 0 && r!.files[0].imported === 3920)).toBe(true)
    expect(end.report).toMatchObject({ imported: 3 * 3920, failed: 3 * 80 })
  })
})

describe('formats and value rules (§8.22–25)', () => {
  it('fails a header larger than the file with "HEADER too large."', async () => {
    const g = await freshGraph()
    write('p22.csv', 'id\n1,Ann,\n')
    const s = await importFiles(g, [personFile('p22.csv', { header: 3 })])
    expect(s.status).toBe('failed')
    expect(s.report!.reason).toBe('HEADER too large.\np22.csv: 0 data lines imported.\n')
    expect(s.report!.tugraphReason).toBe('HEADER too large.\n were not imported successfully.\np22.csv was imported 0 lines.\n')
  })

  it('imports JSON lines: positions follow columns, SKIP takes one, null only where optional', async () => {
    const g = await freshGraph()
    write('p23.json', '["skip me", 1, "Ann", 30]\n["x", "2", "Bob", null]\n["x", 3, null, 1]\n["x", 4, "Dan"]\n[5, "Eve"]\n{"id": 6}\nnot json\n')
    const s = await importFiles(g, [{ path: 'p23.json', format: 'JSON', label: 'person', columns: ['SKIP', 'id', 'name', 'age'] }], { continueOnError: true })
    expect(await people(g)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: 30 },
      { vid: 1, id: 2, name: 'Bob', age: null },
    ])
    expect(file(s, 'p23.json').failures.map((f) => `${f.line}: ${f.reason}`)).toEqual([
      '3: json reading failed, error msg : column 3 [name] is null but not optional',
      '4: json reading failed, error msg : column 4 [age] is missing (the array has 3 elements)',
      '5: json reading failed, error msg : column 2 [id] as INT64: the error item is "Eve"',
      '6: json reading failed, error msg : the line is not a JSON array',
      expect.stringMatching(/^7: json parsing failed, error msg : /),
    ])
  })

  it('takes DATETIME as YYYY-MM-DD HH:MM:SS[.ffffff] only, and keeps DATE verbatim', async () => {
    const g = await freshGraph({
      schema: [{ label: 'ev', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT32' }, { name: 'd', type: 'DATE' }, { name: 'at', type: 'DATETIME' }] }],
    })
    write('e24.csv', '1,2022-06-17,2022-06-17 13:56:07\n2,2022-06-17,2022-06-17 13:56:07.123456\n3,2022-06-17,2022-06-17T13:56:07\n4,17/06/2022,2022-06-17 13:56:07\n')
    const s = await importFiles(g, [{ path: 'e24.csv', format: 'CSV', label: 'ev', columns: ['id', 'd', 'at'] }], { continueOnError: true })
    const rows = (await t.app.graph.listVertices(g, 'ev', -1, 100, { user: 'admin' })).map((v) => v.properties)
    expect(rows).toEqual([
      { id: 1, d: '2022-06-17', at: '2022-06-17 13:56:07' },
      { id: 2, d: '2022-06-17', at: '2022-06-17 13:56:07.123456' },
    ])
    expect(file(s, 'e24.csv').failures.map((f) => f.reason)).toEqual([
      'Failed to parse column 3 [at] into type DATETIME: the error item is "2022-06-17T13:56:07" (a DATETIME is YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff)',
      'Failed to parse column 2 [d] into type DATE: the error item is "17/06/2022" (a DATE is YYYY-MM-DD)',
    ])
  })

  it('reads quoted fields with "" escapes and multi-character delimiters, and skips SKIP columns', async () => {
    const g = await freshGraph()
    write('p25.csv', '1||"a, ""b"""||junk||30\n2|| Bob ||"x||y"||\n')
    await importFiles(g, [personFile('p25.csv', { columns: ['id', 'name', 'SKIP', 'age'] })], { delimiter: '||' })
    expect(await people(g)).toEqual([
      { vid: 0, id: 1, name: 'a, "b"', age: 30 },
      { vid: 1, id: 2, name: 'Bob', age: null },
    ])
  })

  it('applies every value rule with TuGraph messages, one failed line each', async () => {
    const types = ['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'DATE', 'DATETIME', 'STRING', 'BLOB', 'FLOAT_VECTOR', 'POINT']
    const g = await freshGraph({
      schema: [{ label: 'all', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT32' }, ...types.map((type) => ({ name: type.toLowerCase(), type, optional: true }))] }],
    })
    const good = ['true', '-128', '32767', '-2147483648', '9223372036854775807', '1.5', '2.5e-3', '2020-02-29', '2020-02-29 23:59:59', '"s, t"', 'aGk=', '"1.5,2"', '']
    const bad = ['maybe', '128', '32768', '2147483648', '9223372036854775808', 'inf', '1.2.3', '2021-02-29', '2020-02-29 23:60:00', null, '%%%', '"1"', 'POINT(1 2)']
    const rows = [`1,${good.join(',')}`, ...bad.map((b, i) => (b === null ? null : `${i + 2},${good.map((v, k) => (k === i ? b : v)).join(',')}`)).filter((r) => r !== null)]
    write('all.csv', rows.join('\n'))
    const s = await importFiles(g, [{ path: 'all.csv', format: 'CSV', label: 'all', columns: ['id', ...types.map((t) => t.toLowerCase())] }], { continueOnError: true })
    const [v] = await t.app.graph.listVertices(g, 'all', -1, 100, { user: 'admin' })
    expect(v.properties).toMatchObject({ bool: true, int8: -128, int64: 9223372036854775807n, double: 0.0025, string: 's, t', float_vector: [1.5, 2], point: null })
    expect(file(s, 'all.csv').failures.map((f) => f.reason.replace(/: .*/, ''))).toEqual(
      types.filter((_, i) => bad[i] !== null).map((type) => `Failed to parse column ${types.indexOf(type) + 2} [${type.toLowerCase()}] into type ${type}`),
    )
  })
})

describe('bad input', () => {
  it('names the line of an unclosed quote and of invalid UTF-8, ignores a BOM and CRLF', async () => {
    const g = await freshGraph()
    const bytes = Buffer.concat([Buffer.from('\ufeffid,name,age\r\n1,Ann,\r\n2,"Bob,\r\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from(',\r\n4,Dan,40\r\n')])
    write('bad.csv', bytes)
    const s = await importFiles(g, [personFile('bad.csv', { header: 1 })], { continueOnError: true })
    expect(await people(g)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: null },
      { vid: 1, id: 4, name: 'Dan', age: 40 },
    ])
    const f = file(s, 'bad.csv')
    expect(f.failures.map((x) => [x.line, x.reason])).toEqual([
      [3, 'Unclosed quote in column 2: a quoted field must end with a quote on the same line'],
      [4, 'the line is not valid UTF-8 (from byte 3 of the line)'],
    ])
    expect(f.notes).toContain('a UTF-8 byte-order mark at the start of the file was ignored')
    const strict = await importFiles(await freshGraph(), [personFile('bad.csv', { header: 1 })])
    expect(strict.report!.reason).toMatch(/^bad\.csv line 3: Unclosed quote/)
  })

  it('notes an empty file and a header-only file, and imports nothing from them', async () => {
    const g = await freshGraph()
    write('empty.csv', '')
    write('head.csv', 'id,name,age\n')
    const s = await importFiles(g, [personFile('empty.csv'), personFile('head.csv', { header: 1 })])
    expect(s.status).toBe('succeeded')
    expect(file(s, 'empty.csv')).toMatchObject({ lines: 0, notes: ['read as UTF-8 (no encoding given)', 'the file is empty'] })
    expect(file(s, 'head.csv')).toMatchObject({ lines: 0, notes: ['read as UTF-8 (no encoding given)', 'the file holds only its header'] })
  })

  it('refuses at once an unknown graph, an unknown label, a wrong SRC_ID label, a constraint violation and an unmapped required property', async () => {
    const g = await freshGraph({ ...PERSON_SCHEMA, schema: [...PERSON_SCHEMA.schema, { label: 'city', type: 'VERTEX', primary: 'name', properties: [{ name: 'name', type: 'STRING' }] }] })
    write('x.csv', '1,2,3\n')
    const refuse = (graph: string, files: unknown[]) => t.app.graph.startImport({ graph, files }, ADMIN).then(() => 'started', (e: { code: string; message: string }) => `${e.code}: ${e.message}`)
    expect(await refuse('nosuch', [personFile('x.csv')])).toBe('graph_not_found: Graph [nosuch] does not exist.')
    expect(await refuse(g, [knowsFile('x.csv', { label: 'likes' })])).toBe('label_not_found: Edge Label [likes] does not exist.')
    expect(await refuse(g, [knowsFile('x.csv', { SRC_ID: 'animal' })])).toBe('label_not_found: vertex label [animal] not found in schema')
    expect(await refuse(g, [knowsFile('x.csv', { DST_ID: 'city' })])).toBe(
      'constraint_violation: Does not meet the edge constraints: edge label [knows] allows (person, person); x.csv maps (person, city)',
    )
    expect(await refuse(g, [personFile('x.csv', { columns: ['id', 'SKIP', 'age'] })])).toBe('invalid_mapping: All fields (except optional) should be defined, [name] not defined (x.csv)')
    expect(await refuse(g, [personFile('x.csv', { columns: ['id', 'nick', 'age'] })])).toBe('invalid_mapping: field name [nick] not found in label [person]')
    expect(await refuse(g, [personFile('../x.csv')])).toBe('path_escapes: files[0].path "../x.csv" leaves your upload folder ("..")')
    expect(await refuse(g, [personFile('none.csv')])).toBe('file_not_found: files[0].path "none.csv" does not exist in your upload folder')
    expect(await refuse(g, [{ label: 'person', columns: ['id'] }])).toMatch(/^invalid_mapping: Missing "path" or "format" or "label" or "columns" in json/)
    expect(await refuse(g, [knowsFile('x.csv', { columns: ['SRC_ID', 'since'] })])).toBe('invalid_mapping: DST_ID should be defined in edge file')
    const wide = await t.app.graph.startImport({ graph: g, files: [personFile('x.csv'), personFile('x.csv', { columns: ['id', 'name', 'age', ...Array(1024).fill('SKIP')] })] }, ADMIN).catch((e: AppError) => e)
    expect(wide).toMatchObject({ code: 'invalid_mapping', field: 'files[1].columns', message: '"columns" cannot list more than 1026 columns (a label\'s 1024 properties, SRC_ID and DST_ID), given [1027]' })
  })

  it('refuses more than 1,000 files in one import, naming "files" and the bound, by the service and the native API (#9 §2)', async () => {
    const g = await freshGraph()
    const files = Array.from({ length: 1001 }, () => personFile('x.csv'))
    const many = await t.app.graph.startImport({ graph: g, files }, ADMIN, { deferChecks: true }).catch((e: AppError) => e)
    expect(many).toMatchObject({ code: 'invalid_mapping', field: 'files', message: '"files" lists 1001 files; one import takes at most 1000: import them in several tasks' })
    const native = await t.call('POST', '/api/v1/imports', { graph: g, files })
    expect(native.status).toBe(400)
    expect(JSON.stringify(native.body)).toMatch(/files.*1000/)
  })

  it('checked late (as TuGraph does), a bad request ends as a failed task with TuGraph reason', async () => {
    const { taskId } = await t.app.graph.startImport({ graph: 'nosuch', files: [personFile('x.csv')] }, ADMIN, { deferChecks: true })
    const s = await finished(t.app, taskId)
    expect(s.status).toBe('failed')
    expect(s.error).toContain('Graph [nosuch] does not exist.\nNo file was imported: the import stopped before it reached any.\n')
  })

  it('fails a line too long for a package with "too long input line", naming the line (import-long-line.test.ts)', async () => {
    const g = await freshGraph()
    write('long.csv', `1,${'n'.repeat(1024 * 1024 + 100)},\n`)
    const s = await importFiles(g, [personFile('long.csv')], { packageBytes: 64 })
    expect(s.report!.reason).toMatch(/^long\.csv line 1: too long input line: it takes 1048680 bytes with its line end, and an import reads lines of up to \d+\n>Error line:\n\t1,nnn/)
    expect(s.report!.reason).toMatch(/\nlong\.csv: 0 data lines imported\.\n$/)
    expect(s.report!.tugraphReason).toMatch(/\n were not imported successfully\.\nlong\.csv was imported 0 lines\.\n$/)
  })
})

describe('skipPackages and resuming by task id', () => {
  const rows = (ids: number[]) => ids.map((i) => `${i},p${i},`).join('\n') + '\n'

  it('passes over the first packages and counts their lines as skipped', async () => {
    const g = await freshGraph()
    write('skip.csv', rows([1, 2, 3, 4, 5, 6]))
    const s = await importFiles(g, [personFile('skip.csv')], { packageBytes: 16, skipPackages: 2 })
    const f = file(s, 'skip.csv')
    expect(s.report!.packagesSkipped).toBe(2)
    expect(f.skipped + f.lines).toBe(6)
    expect((await people(g)).length).toBe(f.imported)
    expect(f.imported).toBeLessThan(6)
  })

  it('resumes a failed task after its committed packages, with the counts of both runs', async () => {
    const g = await freshGraph()
    write('resume.csv', rows([1, 2, 3, 4]) + '5,Bad,x\n' + rows([6, 7, 8]))
    const first = await importFiles(g, [personFile('resume.csv')], { packageBytes: 16 })
    expect(first.status).toBe('failed')
    const committed = first.report!.imported
    const { taskId, jobId } = await t.app.graph.startImport({ graph: g, files: [personFile('resume.csv')], packageBytes: 16, continueOnError: true }, ADMIN, { taskId: first.taskId })
    expect([taskId, jobId]).toEqual([first.taskId, first.jobId])
    const second = await finished(t.app, taskId)
    expect(second.error).toBe(null)
    expect(second.status).toBe('succeeded')
    expect(file(second, 'resume.csv')).toMatchObject({ lines: 8, imported: 7, failed: 1 })
    expect(second.report!.imported).toBe(7)
    expect((await people(g)).map((p) => p.id).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 6, 7, 8])
    const logs = (await t.call('GET', `/api/v1/jobs/${jobId}/logs?from=0&size=500`)).body.lines.map((l: { text: string }) => l.text).join('\n')
    expect(logs).toContain(`resuming task ${taskId} after package`)
    expect(logs).toContain(`${committed} lines imported`)
    await expect(t.app.graph.startImport({ graph: 'default', files: [] }, ADMIN, { taskId })).rejects.toThrow(/went into graph g\d+, not default/)
  })

  it('answers an unknown task id with "Not a valid task id"', async () => {
    await expect(t.app.graph.importStatus('nope')).rejects.toMatchObject({ code: 'import_not_found', message: 'Not a valid task id' })
  })
})

describe('graphs', () => {
  it('lists graphs with labels and counts; creates and drops them as admin only', async () => {
    const g = await freshGraph()
    write('pg.csv', '1,Ann,\n')
    await importFiles(g, [personFile('pg.csv')])
    const listed = (await t.app.graph.listGraphs({ user: 'admin' })).find((x) => x.name === g)!
    expect(listed).toMatchObject({ vertexCount: 1, edgeCount: 0 })
    expect(listed.labels.map((l) => [l.kind, l.id, l.name, l.count])).toEqual([
      ['vertex', 0, 'person', 1],
      ['edge', 0, 'knows', 0],
    ])
    expect((await t.app.graph.listGraphs({ user: 'admin' })).map((x) => x.name)).toContain('default')
    const bob = { username: 'bob', isAdmin: false }
    await expect(t.app.graph.createGraph('bobs', bob)).rejects.toMatchObject({ code: 'not_admin', message: 'Non-admin cannot create graphs.' })
    await expect(t.app.graph.dropGraph(g, bob)).rejects.toMatchObject({ code: 'not_graph_owner' }) // owner or admin (graph-rights.ts)
    await expect(t.app.graph.createGraph(g, ADMIN)).rejects.toMatchObject({ code: 'graph_exists' })
    await t.app.graph.dropGraph(g, ADMIN)
    await expect(t.app.graph.getGraph(g, { user: 'admin' })).rejects.toMatchObject({ code: 'graph_not_found', message: `Graph [${g}] does not exist.` })
  })
})
