// The graph operations of the native API (#11.5): graphs, schemas, uploaded files (raw chunks over
// HTTP), previews, pre-flight checks and imports, with owner-or-admin and hostile input.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForStatus, type TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let bob: TestUser

const suite = appSuite('bob')
beforeAll(() => ({ t, users: { bob } } = suite))

/** Sends one raw chunk as the Imports page does over HTTP. */
async function chunk(token: string, query: Record<string, string | number | boolean>, body: Buffer | string, type = 'application/octet-stream') {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
  const res = await fetch(`${t.url}/api/v1/files/upload?${q}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) })
  return { status: res.status, body: (await res.json()) as any }
}

const PERSONS = 'id,name,age\n1,Ann,31\n2,Bob,\n3,Cid,x9\n'
const KNOWS = 'src|dst|since\n1|2|2020\n2|3|2021\n1|9|2022\n'
const SCHEMA = [
  { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'age', type: 'INT32', optional: true }] },
  { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
]

describe('graphs', () => {
  it('lists graphs with labels and counts; admins create and drop them, others may not', async () => {
    const list = await t.call('GET', '/api/v1/graphs')
    expect(list.status).toBe(200)
    expect(list.body).toEqual([expect.objectContaining({ name: 'default', vertexCount: 0, edgeCount: 0, labels: [] })])

    const made = await t.call('POST', '/api/v1/graphs', { graph: 'movies', description: 'films' })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ name: 'movies', description: 'films', labels: [] })
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'movies' })).body.error).toMatchObject({ kind: 'conflict', code: 'graph_exists' })
    expect((await t.call('POST', '/api/v1/graphs', { graph: '9lives' })).body.error).toMatchObject({ kind: 'invalid', code: 'invalid_name' })

    const notAdmin = await bob.call('POST', '/api/v1/graphs', { graph: 'bobs' })
    expect(notAdmin.status).toBe(403)
    expect(notAdmin.body.error).toMatchObject({ code: 'not_admin', message: 'Non-admin cannot create graphs.' })
    const notDropped = await bob.call('POST', '/api/v1/graphs/movies/drop')
    expect(notDropped.status).toBe(403)
    expect(notDropped.body.error).toMatchObject({ code: 'not_graph_owner', message: expect.stringMatching(/^Graph \[movies\] belongs to admin/) })
    // an admin may make a graph for a user, who then owns it; an unknown owner is refused
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'bobs_own', owner: 'bob' })).body).toMatchObject({ name: 'bobs_own', owner: 'bob' })
    expect((await bob.call('POST', '/api/v1/graphs/bobs_own/drop')).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'nobodys', owner: 'nobody' })).body.error).toMatchObject({ field: 'owner' })

    expect((await t.call('POST', '/api/v1/graphs/movies/drop')).body).toEqual({ graph: 'movies' })
    expect((await t.call('GET', '/api/v1/graphs')).body.map((g: { name: string }) => g.name)).toEqual(['default'])
    const gone = await t.call('POST', '/api/v1/graphs/movies/drop')
    expect(gone.status).toBe(404)
    expect(gone.body.error).toMatchObject({ code: 'graph_not_found', message: 'Graph [movies] does not exist.' })
  })

  it("takes a graph's size bound at creation (maxSizeGb): writes past it are refused graph_full", async () => {
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'small_g', maxSizeGb: -1 })).body.error).toMatchObject({ kind: 'invalid', field: 'maxSizeGb' })
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'small_g', owner: 'bob', maxSizeGb: 0.0005 })).status).toBe(201) // about 512 KiB
    await bob.call('POST', '/api/v1/graphs/small_g/schema', { schema: [{ label: 'Blob', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 's', type: 'STRING', optional: true }] }] })
    const big = await bob.call('POST', '/api/v1/graphs/small_g/cypher', { script: "UNWIND range(1, 64) AS i CREATE (:Blob {id: i, s: reduce(s = '', k IN range(1, 512) | s + '0123456789abcdef0123456789abcdef')})" })
    expect(big.status).toBe(413)
    expect(big.body.error).toMatchObject({ code: 'graph_full', message: expect.stringContaining('small_g') })
    const count = await bob.call('POST', '/api/v1/graphs/small_g/cypher', { script: 'MATCH (n:Blob) RETURN count(n) AS n' })
    expect(count.body.rows).toEqual([[0]]) // rolled back: nothing stored
  })

  it('creates labels idempotently; a different definition of a label fails the whole call', async () => {
    await t.call('POST', '/api/v1/graphs', { graph: 'schema_g' })
    const first = await t.call('POST', '/api/v1/graphs/schema_g/schema', { schema: SCHEMA })
    expect(first.body).toMatchObject({ created: ['person', 'knows'], skipped: [] })
    expect(first.body.info.labels.map((l: { kind: string; name: string }) => `${l.kind}:${l.name}`)).toEqual(['vertex:person', 'edge:knows'])
    expect((await t.call('POST', '/api/v1/graphs/schema_g/schema', { schema: { schema: SCHEMA } })).body).toMatchObject({ created: [], skipped: ['person', 'knows'] })
    const other = [{ ...SCHEMA[0], primary: 'name' }, { label: 'city', type: 'VERTEX', primary: 'n', properties: [{ name: 'n', type: 'STRING' }] }]
    const clash = await t.call('POST', '/api/v1/graphs/schema_g/schema', { schema: other })
    expect(clash.body.error).toMatchObject({ kind: 'invalid', code: 'schema_not_comparable' })
    expect((await t.call('GET', '/api/v1/graphs/schema_g')).body.labels).toHaveLength(2) // city was not created
    const unknown = await t.call('POST', '/api/v1/graphs/nograph/schema', { schema: SCHEMA })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('graph_not_found')
  })
})

describe('uploaded files', () => {
  it('takes a file in raw chunks, in order, and keeps each user to their own folder', async () => {
    const bytes = Buffer.from(PERSONS)
    expect((await chunk(t.token, { path: 'people/persons.csv', offset: 0, replace: true }, bytes.subarray(0, 10))).body).toMatchObject({ path: 'people/persons.csv', bytes: 10 })
    const done = await chunk(t.token, { path: 'people/persons.csv', offset: 10 }, bytes.subarray(10))
    expect(done.body).toMatchObject({ path: 'people/persons.csv', bytes: bytes.length })
    // uploading it again with replace leaves no bytes of the longer old file behind
    expect((await chunk(t.token, { path: 'people/persons.csv', offset: 0, replace: true }, 'id\n')).body.bytes).toBe(3)
    await chunk(t.token, { path: 'people/persons.csv', offset: 0, replace: true }, bytes)
    await chunk(t.token, { path: 'knows.csv', offset: 0, replace: true }, KNOWS)

    const list = await t.call('GET', '/api/v1/files')
    expect(list.body.map((f: { path: string; bytes: number }) => [f.path, f.bytes])).toEqual([
      ['knows.csv', KNOWS.length],
      ['people/persons.csv', PERSONS.length],
    ])
    expect((await bob.call('GET', '/api/v1/files')).body).toEqual([])
    const notHis = await bob.call('POST', '/api/v1/imports/preview', { path: 'knows.csv', format: 'CSV' })
    expect(notHis.status).toBe(404)

    expect((await t.call('POST', '/api/v1/files/delete', { path: 'knows.csv' })).body).toEqual({ path: 'knows.csv' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'knows.csv' })).body.error.code).toBe('file_not_found')
    await chunk(t.token, { path: 'knows.csv', offset: 0, replace: true }, KNOWS)
  })

  // importsui3: the Imports page checks a loaded config's folders against this list; it listed files only,
  // so an uploaded folder emptied of its files read "not uploaded yet" where an import says it "has no files"
  it('lists the folders with folders=true, each with the files directly in it (0: empty), and files only without it', async () => {
    await chunk(bob.token, { path: 'crew/a.csv', offset: 0, replace: true }, 'id\n1\n')
    await chunk(bob.token, { path: 'crew/deep/b.csv', offset: 0, replace: true }, 'id\n22\n')
    await chunk(bob.token, { path: 'hollow/x.csv', offset: 0, replace: true }, 'id\n')
    expect((await bob.call('POST', '/api/v1/files/delete', { path: 'hollow/x.csv' })).status).toBe(200)
    const plain = await bob.call('GET', '/api/v1/files')
    expect(plain.body.map((f: { kind: string; path: string }) => [f.kind, f.path])).toEqual([
      ['file', 'crew/a.csv'],
      ['file', 'crew/deep/b.csv'],
    ])
    const all = await bob.call('GET', '/api/v1/files?folders=true')
    expect(all.status).toBe(200)
    expect(all.body.map(({ modifiedAt, ...f }: { modifiedAt: number }) => (expect(modifiedAt).toBeGreaterThan(0), f))).toEqual([
      { kind: 'folder', path: 'crew', files: 1, bytes: 5 },
      { kind: 'file', path: 'crew/a.csv', bytes: 5 },
      { kind: 'folder', path: 'crew/deep', files: 1, bytes: 6 },
      { kind: 'file', path: 'crew/deep/b.csv', bytes: 6 },
      { kind: 'folder', path: 'hollow', files: 0, bytes: 0 },
    ])
    const bad = await bob.call('GET', '/api/v1/files?folders=maybe')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body.error)).toContain('folders')
    for (const path of ['crew/a.csv', 'crew/deep/b.csv']) await bob.call('POST', '/api/v1/files/delete', { path })
  })

  it('refuses a file name with an invisible character, naming it, and leaves a file stored under one before reachable', async () => {
    const folder = join(t.dir, 'upload_files', 'admin')
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'old\u200B.csv'), 'id\n1\n') // stored by a version without the rule
    const refused = await chunk(t.token, { path: 'in\u202Evsc.exe', offset: 0, replace: true }, 'x')
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'path_invalid', field: 'path', message: 'path contains U+202E RIGHT-TO-LEFT OVERRIDE at position 3' })
    expect(existsSync(join(folder, 'in\u202Evsc.exe'))).toBe(false)
    // replacing the old file is a write: refused before it empties anything
    expect((await chunk(t.token, { path: 'old\u200B.csv', offset: 0, replace: true }, 'x')).body.error.code).toBe('path_invalid')
    expect(((await t.call('GET', '/api/v1/files')).body as { path: string; bytes: number }[]).find((f) => f.path === 'old\u200B.csv')?.bytes).toBe(5)
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'old\u200B.csv' })).body).toEqual({ path: 'old\u200B.csv' })
  })

  it('refuses path escapes, offsets past the end, huge offsets and bodies that are not bytes', async () => {
    const escape = await chunk(t.token, { path: '../bob/evil.csv', offset: 0 }, 'x')
    expect(escape.status).toBe(403)
    expect(escape.body.error).toMatchObject({ code: 'path_escapes', field: 'path' })
    expect(existsSync(join(t.dir, 'upload_files', 'bob', 'evil.csv'))).toBe(false)
    expect((await chunk(t.token, { path: '/etc/passwd', offset: 0 }, 'x')).body.error).toMatchObject({ code: 'path_invalid' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: '../../jobdesk.db' })).body.error.code).toBe('path_escapes')
    expect(existsSync(join(t.dir, 'jobdesk.db'))).toBe(true)

    const gap = await chunk(t.token, { path: 'gap.csv', offset: 5 }, 'x')
    expect(gap.status).toBe(400)
    expect(gap.body.error).toMatchObject({ code: 'invalid_request', field: 'offset' })
    expect(gap.body.error.message).toMatch(/past the end of gap\.csv \(0 bytes so far\)/)
    const huge = await chunk(t.token, { path: 'gap.csv', offset: 2 ** 40 }, 'x')
    expect(huge.body.error).toMatchObject({ code: 'invalid_request', field: 'offset' })
    const beyond = await chunk(t.token, { path: 'gap.csv', offset: '99999999999999999999' as unknown as number }, 'x')
    expect(beyond.status).toBe(400)
    expect(beyond.body.error.field).toBe('offset')
    expect(existsSync(join(t.dir, 'upload_files', 'admin', 'gap.csv'))).toBe(false)

    const json = await chunk(t.token, { path: 'j.csv', offset: 0 }, '{"a":1}', 'application/json')
    expect(json.status).toBe(415)
    expect(json.body.error).toMatchObject({ code: 'bad_content_type', field: 'content-type' })
    const noAuth = await fetch(`${t.url}/api/v1/files/upload?path=a.csv&offset=0`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' })
    expect(noAuth.status).toBe(401)
  })
})

describe('preview and check', () => {
  it('previews the first rows with the delimiter found, the header names and suggested types', async () => {
    const p = await t.call('POST', '/api/v1/imports/preview', { path: 'knows.csv', format: 'CSV', header: 1 })
    expect(p.status).toBe(200)
    expect(p.body).toMatchObject({ delimiter: '|', header: 1, headerFields: ['src', 'dst', 'since'], complete: true, sampledLines: 3 })
    expect(p.body.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['src:INT64', 'dst:INT64', 'since:INT64'])
    expect(p.body.rows[0]).toEqual({ line: 2, fields: ['1', '2', '2020'] })
    const persons = await t.call('POST', '/api/v1/imports/preview', { path: 'people/persons.csv', format: 'CSV', header: 1, rows: 2 })
    expect(persons.body.rows).toHaveLength(2)
    expect(persons.body.columns.map((c: { type: string; hasEmpty: boolean }) => [c.type, c.hasEmpty])).toEqual([['INT64', false], ['STRING', false], ['STRING', true]])
    const escape = await t.call('POST', '/api/v1/imports/preview', { path: '../../graphs/default.db', format: 'CSV' })
    expect(escape.body.error.code).toBe('path_escapes')
    expect((await t.call('POST', '/api/v1/imports/preview', { path: 'knows.csv', format: 'XML' })).status).toBe(400)
  })

  it('lists the problems of a mapping before anything starts, and an unknown graph as an error', async () => {
    await t.call('POST', '/api/v1/graphs', { graph: 'check_g' })
    const files = [
      { path: 'people/persons.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'], header: 1 },
      { path: 'knows.csv', format: 'CSV', label: 'knows', SRC_ID: 'person', DST_ID: 'person', columns: ['SRC_ID', 'DST_ID', 'since'], header: 1 },
    ]
    // the labels do not exist yet: with them as `schema`, only the bad age value remains (and a different delimiter per file is wrong)
    const withSchema = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', schema: SCHEMA, files: files.slice(0, 1), continueOnError: true })
    expect(withSchema.body.ok).toBe(true)
    expect(withSchema.body.problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'invalid_value', file: 'people/persons.csv', line: 4, message: expect.stringMatching(/1 of the first 3 lines .*line 4: Failed to parse column 3 \[age\] into type INT32/) }),
    ])
    expect(withSchema.body.files[0]).toMatchObject({ path: 'people/persons.csv', label: 'person', sampledLines: 3, failedLines: 1, failures: [{ line: 4, text: '3,Cid,x9' }] })
    const strict = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', schema: SCHEMA, files: files.slice(0, 1) })
    expect(strict.body.ok).toBe(false)
    expect(strict.body.problems[0].severity).toBe('error')

    const noSchema = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files, delimiter: '|' })
    expect(noSchema.body.ok).toBe(false)
    expect(noSchema.body.problems.map((p: { code: string; file: string }) => `${p.code} ${p.file}`)).toEqual(['label_not_found people/persons.csv', 'label_not_found knows.csv'])

    await t.call('POST', '/api/v1/graphs/check_g/schema', { schema: SCHEMA })
    const noPrimary = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], columns: ['SKIP', 'name', 'age'] }] })
    expect(noPrimary.body.problems[0]).toMatchObject({ code: 'invalid_mapping', message: expect.stringContaining('[id] not defined') })
    const badEnds = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[1], SRC_ID: 'city' }], delimiter: '|' })
    expect(badEnds.body.problems[0]).toMatchObject({ code: 'label_not_found', message: 'vertex label [city] not found in schema', file: 'knows.csv' })
    const noVertices = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [files[1]], delimiter: '|' })
    expect(noVertices.body.problems).toEqual([expect.objectContaining({ code: 'missing_vertex', severity: 'error' }), expect.objectContaining({ code: 'missing_vertex' })])
    const missingFile = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], path: 'nope.csv' }] })
    expect(missingFile.body.problems[0]).toMatchObject({ code: 'file_not_found', file: 'nope.csv' })

    // a folder stands for its files: all are planned, the lines of the first 50 are parsed
    mkdirSync(join(t.dir, 'upload_files', 'admin', 'many'), { recursive: true })
    for (let i = 0; i < 52; i++) writeFileSync(join(t.dir, 'upload_files', 'admin', 'many', `p${String(i).padStart(2, '0')}.csv`), `${i},n${i},${i === 51 ? 'bad' : i}\n`)
    const many = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], path: 'many', header: 0 }] })
    expect(many.body.files).toHaveLength(50)
    expect(many.body.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'not_sampled', message: expect.stringContaining('first 50 of 52 files') })])

    // a header longer than the part checked (1 MiB) is not said to be longer than the file (atk16)
    // (1,200 lines of 1.1 kB: the most header lines a mapping may give, 1,000, reach past the first MiB)
    writeFileSync(join(t.dir, 'upload_files', 'admin', 'long.csv'), Array.from({ length: 1200 }, (_, i) => `${i},n${'x'.repeat(1100)},${i}`).join('\n') + '\n')
    const deep = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], path: 'long.csv', header: 1000 }] })
    expect(deep.body.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'header_beyond_sample', message: expect.stringMatching(/^long\.csv: the \d+ lines checked \(its first 1 MiB\) are all header \(header: 1000\)/) })])
    const over = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], path: 'long.csv', header: 200_000 }] })
    expect(over.body.problems).toEqual([expect.objectContaining({ code: 'invalid_mapping', field: 'files[0].header' })])
    const short = await t.call('POST', '/api/v1/imports/check', { graph: 'check_g', files: [{ ...files[0], path: 'people/persons.csv', header: 9 }] })
    expect(short.body.problems[0]).toMatchObject({ severity: 'error', code: 'header_too_large', message: expect.stringContaining('people/persons.csv has 4 lines where 9 header lines were expected') })

    const unknown = await t.call('POST', '/api/v1/imports/check', { graph: 'nograph', files })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('graph_not_found')
    expect(await t.call('GET', '/api/v1/jobs?type=import')).toMatchObject({ body: { total: 0 } }) // nothing started
  })
})

describe('imports', () => {
  it('starts an import, reports per-file counts and the failed lines, and keeps it to its submitter or an admin', async () => {
    await t.call('POST', '/api/v1/graphs', { graph: 'import_g' })
    await t.call('POST', '/api/v1/graphs/import_g/schema', { schema: SCHEMA })
    const start = await t.call('POST', '/api/v1/imports', {
      graph: 'import_g',
      continueOnError: true,
      files: [{ path: 'people/persons.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'], header: 1 }],
    })
    expect(start.status).toBe(201)
    await waitForStatus(t, start.body.jobId, ['succeeded'])
    const status = await t.call('GET', `/api/v1/imports/${start.body.taskId}`)
    expect(status.body).toMatchObject({ status: 'succeeded', graph: 'import_g', report: { imported: 2, failed: 1 } })
    expect(status.body.report.files[0]).toMatchObject({ lines: 3, imported: 2, failed: 1, failures: [{ line: 4, text: '3,Cid,x9', reason: expect.stringContaining('INT32') }] })
    expect((await t.call('GET', '/api/v1/graphs/import_g')).body.vertexCount).toBe(2)

    // another user's import and job answer as unknown ones (#9 §3)
    const peek = await bob.call('GET', `/api/v1/imports/${start.body.taskId}`)
    const unknownTask = await t.call('GET', '/api/v1/imports/no-such-task')
    expect(unknownTask.body.error).toMatchObject({ code: 'import_not_found', message: 'Not a valid task id' })
    expect([peek.status, peek.body]).toEqual([unknownTask.status, unknownTask.body])
    expect(await bob.call('POST', `/api/v1/jobs/${start.body.jobId}/cancel`)).toMatchObject({ status: 404, body: { error: { code: 'job_not_found' } } })

    const unknown = await t.call('POST', '/api/v1/imports', { graph: 'nograph', files: [{ path: 'knows.csv', format: 'CSV', label: 'knows', columns: ['SKIP'] }] })
    expect(unknown.body.error.code).toBe('graph_not_found')
    const escape = await t.call('POST', '/api/v1/imports', { graph: 'import_g', files: [{ path: '../bob/x.csv', format: 'CSV', label: 'person', columns: ['id', 'name'] }] })
    expect(escape.body.error.code).toBe('path_escapes')
  })
})
