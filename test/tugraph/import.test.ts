// TuGraph's import flow over real HTTP, as its clients run it (reference/tugraph.md §1.7–§1.9, §8
// items 9–11, 15–26): import_schema, chunked upload, check_file, import_data, import_progress
// polled to the end. What Cypher would show (§8.9's db.vertexLabels, §8.16's count, the values of
// §8.23–25) is read through the graph service until the Cypher engine exists (issue #12).
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { graphFile } from '../../electron/graph/store/catalog'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { ADMIN, knowsFile, PERSON_SCHEMA, personFile } from '../graph/support'
import { expectError, expectOk, tugraphClient, type TuGraphClient } from './support'

let t: TestApp
let c: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  c = tugraphClient(t.url)
  await c.login()
}, 30_000)
afterAll(() => t?.close())

let graphs = 0
/** A new graph (made through the service: creating graphs is Cypher's dbms.graph.createGraph), its schema posted by import_schema. */
async function freshGraph(schema: unknown = PERSON_SCHEMA, owner?: string): Promise<string> {
  const graph = `tg${++graphs}`
  await t.app.graph.createGraph(graph, ADMIN, { owner })
  expect(expectOk(await c.post('import_schema', { graph, description: schema }))).toBe('')
  return graph
}

/**
 * Uploads each file (clearing an earlier one of that name first, as clients must: chunks never
 * truncate), then runs import_data to its end; returns import_progress's final data.
 */
async function runImport(graph: string, files: Record<string, string>, mappings: unknown[], options: Record<string, unknown> = {}): Promise<any> {
  for (const [name, content] of Object.entries(files)) {
    await c.post('clear_cache', { flag: '0', fileName: name }) // "not exists" the first time
    await c.upload(name, content)
  }
  const taskId = await c.importData(mappings, { graph, ...options })
  expect(taskId).toEqual(expect.any(String))
  const data = await c.waitImport(taskId)
  for (const f of data.files) expect(f.lines, `${f.path}: every line accounted for`).toBe(f.imported + f.failed + f.rolledBack)
  return { taskId, ...data }
}

const people = async (graph: string): Promise<Record<string, any>[]> => (await t.app.graph.listVertices(graph, 'person', -1, 1000, { user: 'admin' })).map((v) => ({ vid: v.vid, ...v.properties }))
const labelCounts = async (graph: string) => Object.fromEntries((await t.app.graph.getGraph(graph, { user: 'admin' })).labels.map((l) => [l.name, l.count]))

describe('import_schema (§8.9–11)', () => {
  it('creates the labels (data ""), idempotently; a different definition is "not comparable"', async () => {
    const graph = await freshGraph()
    const info = await t.app.graph.getGraph(graph, { user: 'admin' })
    expect(info.labels.map((l) => [l.kind, l.name, l.id])).toEqual([['vertex', 'person', 0], ['edge', 'knows', 0]])
    expect(expectOk(await c.post('import_schema', { graph, description: PERSON_SCHEMA }))).toBe('')
    const changed = structuredClone(PERSON_SCHEMA)
    changed.schema[0].properties[1].type = 'INT32'
    expectError(await c.post('import_schema', { graph, description: changed }), '400', /not comparable in two schema/)
    expect((await t.app.graph.getGraph(graph, { user: 'admin' })).labels).toHaveLength(2)
  })

  it('takes `schema` for `description` (TuGraph’s docs) and either as JSON text', async () => {
    await t.app.graph.createGraph('tgtext', ADMIN)
    expectOk(await c.post('import_schema', { graph: 'tgtext', schema: JSON.stringify(PERSON_SCHEMA) }))
    expectOk(await c.post('import_schema', { graph: 'tgtext', description: JSON.stringify(PERSON_SCHEMA) }))
    expect((await t.app.graph.getGraph('tgtext', { user: 'admin' })).labels.map((l) => l.name)).toEqual(['person', 'knows'])
  })

  it('refuses a vertex without primary, a property named SKIP, an unknown type, with TuGraph’s texts', async () => {
    const graph = await freshGraph({ schema: [] })
    const vertex = (extra: object) => ({ schema: [{ label: 'v', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }], ...extra }] })
    expectError(await c.post('import_schema', { graph, description: { schema: [{ label: 'v', type: 'VERTEX', properties: [{ name: 'id', type: 'INT64' }] }] } }), '400', /Missing "primary"/)
    expectError(await c.post('import_schema', { graph, description: vertex({ properties: [{ name: 'id', type: 'INT64' }, { name: 'SKIP', type: 'STRING' }] }) }), '400', /SKIP/)
    expectError(await c.post('import_schema', { graph, description: vertex({ properties: [{ name: 'id', type: 'INT' }] }) }), '400', /INT/)
    expect((await t.app.graph.getGraph(graph, { user: 'admin' })).labels).toEqual([])
  })

  it('answers a missing field, a wrong type, bad JSON text and an unknown graph in the envelope', async () => {
    expectError(await c.post('import_schema', { description: PERSON_SCHEMA }), '400', '`graph` is not specified.')
    expectError(await c.post('import_schema', { graph: 'default' }), '400', '`description` is not specified.')
    expectError(await c.post('import_schema', { graph: 'default', description: [1] }), '400', /`description`/)
    expectError(await c.post('import_schema', { graph: 'default', description: '{"schema": [' }), '400', /`description` is not valid JSON/)
    expectError(await c.post('import_schema', { graph: 'no_such_graph', description: PERSON_SCHEMA }), '400', 'Graph [no_such_graph] does not exist.')
  })
})

describe('import_data and import_progress (§8.15–17, §8.26)', () => {
  it('imports an uploaded file asynchronously, reports "1" with a string progress then "2", and deletes the files with flag "1"', async () => {
    const graph = await freshGraph()
    const content = 'id,name,age\n1,Ann,30\n2,Bob,\n3,"Cyd, Jr.",41\n'
    await c.upload('p.csv', content)
    expect(expectOk(await c.post('check_file', { fileName: 'p.csv', flag: '2', fileSize: String(Buffer.byteLength(content)) }))).toEqual({ pass: true })
    const r = await c.post('import_data', {
      graph,
      delimiter: ',',
      continueOnError: false,
      skipPackages: '0',
      flag: '1',
      schema: { files: [personFile('p.csv', { header: 1 })] },
    })
    const { taskId, jobId } = expectOk(r)
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/)
    const first = expectOk(await c.post('import_progress', { taskId }))
    expect(['1', '2']).toContain(first.state)
    if (first.state === '1') expect(first.progress).toMatch(/^(0|1|0\.\d+)(e-\d+)?$/)
    const done = await c.waitImport(taskId)
    expect(done, JSON.stringify(done)).toMatchObject({ state: '2', jobId, status: 'succeeded', graph, imported: 3, failed: 0 })
    expect(done).not.toHaveProperty('progress')
    expect(done).not.toHaveProperty('reason')
    expect(done.files).toEqual([expect.objectContaining({ path: 'p.csv', label: 'person', lines: 3, imported: 3, failed: 0, failures: [] })])
    expect(await people(graph)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: 30 },
      { vid: 1, id: 2, name: 'Bob', age: null },
      { vid: 2, id: 3, name: 'Cyd, Jr.', age: 41 },
    ])
    expect(existsSync(join(t.dir, 'upload_files/admin/p.csv'))).toBe(false)
    // the import is a JobDesk job: the native API shows it
    const job = await t.call('GET', `/api/v1/jobs/${jobId}`)
    expect(job.body).toMatchObject({ kind: 'import', status: 'succeeded', submitter: 'admin' })
  })

  it('imports vertex files before edge files even when the edge file is listed first (§8.17)', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'k.csv': '1,2,2020\n2,1,2021\n', 'v.csv': '1,Ann,30\n2,Bob,41\n' }, [knowsFile('k.csv'), personFile('v.csv')])
    expect(done.state).toBe('2')
    expect(await labelCounts(graph)).toEqual({ person: 2, knows: 2 })
    expect(existsSync(join(t.dir, 'upload_files/admin/k.csv'))).toBe(true) // no flag: the files stay
  })

  it('passes over skipPackages packages, counting their lines as skipped', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'skip.csv': '1,Ann,30\n2,Bob,41\n' }, [personFile('skip.csv')], { skipPackages: 1 })
    expect(done, JSON.stringify(done)).toMatchObject({ state: '2', imported: 0, packagesSkipped: 1 })
    expect(done.files[0]).toMatchObject({ skipped: 2, imported: 0 })
    expect(await people(graph)).toEqual([])
  })

  it('answers an unknown task id with "Not a valid task id" (§8.26) and wants the fields it needs', async () => {
    expectError(await c.post('import_progress', { taskId: 'no-such-task' }), '400', 'Not a valid task id')
    expectError(await c.post('import_progress', {}), '400', '`taskId` is not specified.')
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',' }), '400', '`schema` is not specified.')
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',', schema: {} }), '400', '`schema.files` is not specified.')
    expectError(await c.post('import_data', { graph: 'default', schema: { files: [] } }), '400', '`delimiter` is not specified.')
    expectError(await c.post('import_data', { delimiter: ',', schema: { files: [] } }), '400', '`graph` is not specified.')
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',', continueOnError: 'yes', schema: { files: [] } }), '400', /`continueOnError`/)
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',', skipPackages: 'many', schema: { files: [] } }), '400', /`skipPackages`/)
    expectError(await c.post('import_data', { graph: 'default', delimiter: '', schema: { files: [] } }), '400', 'Delimiter cannot be empty.')
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',', schema: { files: [{ format: 'CSV', label: 'person', columns: ['id'] }] } }), '400', /Missing "path"/)
    const files = Array.from({ length: 1001 }, () => personFile('p.csv'))
    expectError(await c.post('import_data', { graph: 'default', delimiter: ',', schema: { files } }), '400', '"files" lists 1001 files; one import takes at most 1000: import them in several tasks')
  })

  it('answers an unknown graph at once; a missing file or an edge label that does not exist fail the task with TuGraph’s reason', async () => {
    expectError(await c.post('import_data', { graph: 'nope', delimiter: ',', schema: { files: [personFile('p.csv')] } }), '400', 'Graph [nope] does not exist.')
    const graph = await freshGraph()
    const missing = await runImport(graph, {}, [personFile('never-uploaded.csv')])
    expect(missing).toMatchObject({ state: '3', status: 'failed' })
    expect(missing.reason).toMatch(/never-uploaded\.csv/)
    const noLabel = await runImport(graph, { 'e.csv': '1,2,3\n' }, [knowsFile('e.csv', { label: 'likes' })])
    expect(noLabel.state).toBe('3')
    expect(noLabel.reason).toMatch(/likes/)
    // a path the upload folder cannot hold is refused at submit, naming its field (#9 gesreport; test/tugraph/import-data-paths.test.ts)
    expectError(await c.post('import_data', { graph, delimiter: ',', schema: { files: [personFile('../bob/p.csv')] } }), '400', /^schema\.files\[0\]\.path "\.\.\/bob\/p\.csv" leaves your upload folder/)
  })

  it('a record of the task that the graph cannot read is logged with its job, and import_progress still answers (it was swallowed)', async () => {
    const graph = await freshGraph()
    // a task that failed before it ran keeps no report in the job (a path out of the folder did, before
    // import_data refused such paths at submit): a missing file's task, its report taken out of the job
    const escaping = await runImport(graph, {}, [personFile('not-there.csv')])
    expect(escaping.state).toBe('3')
    t.app.store.db.prepare('UPDATE tasks SET output = NULL WHERE job_id = ?').run(escaping.jobId)
    const db = new Database(graphFile(t.dir, graph))
    db.prepare("INSERT OR REPLACE INTO import_tasks (task_id, state, position, files, report, final_report, updated_at) VALUES (?, 'failed', 0, 'rows', '{not json', NULL, 0)").run(escaping.taskId)
    db.close()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const data = expectOk(await c.post('import_progress', { taskId: escaping.taskId }))
      expect(data).toMatchObject({ state: '3', files: [] })
      expect(warn.mock.calls.map((args) => args.join(' '))).toContainEqual(expect.stringMatching(new RegExp(`^jobdesk: job ${data.jobId}: the record of import ${escaping.taskId} could not be read: .*JSON`)))
    } finally {
      warn.mockRestore()
    }
  })
})

describe('bad lines, counted and explained (§8.18–22, issue item 3)', () => {
  it('fails on a bad value without continueOnError: state "3", TuGraph’s reason, the package rolled back, the line reported', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'bad.csv': '1,Ann,30\nx,Bob,41\n3,Cyd,50\n' }, [personFile('bad.csv')])
    expect(done.state).toBe('3')
    expect(done.reason).toMatch(/was imported \d+ lines/)
    // the line and its value: /x/ alone also matched a failure before any line was read ("does not exist"), whose report lists no files
    expect(done.reason).toMatch(/^bad\.csv line 2: .*"x"/)
    expect(await people(graph)).toEqual([])
    expect(done.files[0], JSON.stringify(done)).toMatchObject({ lines: 3, imported: 0, failed: 1, rolledBack: 2 })
    expect(done.files[0].failures).toEqual([{ line: 2, text: 'x,Bob,41', reason: expect.any(String) }])
  })

  it('skips and reports the bad line with continueOnError: state "2", the good rows in', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'bad.csv': '1,Ann,30\nx,Bob,41\n3,Cyd,50\n' }, [personFile('bad.csv')], { continueOnError: true })
    expect(done, JSON.stringify(done)).toMatchObject({ state: '2', imported: 2, failed: 1 })
    expect(done.files[0].failures).toEqual([{ line: 2, text: 'x,Bob,41', reason: expect.any(String) }])
    expect((await people(graph)).map((p) => p.id)).toEqual([1, 3])
  })

  // TuGraph ends such an import "2" with 0 rows (reference/tugraph.md §3; its users lose rows unawares,
  // issue #166): JobDesk's job failed, so import_progress says "3", with why (test/graph/import-nothing-fails.test.ts)
  it('every line bad with continueOnError: "3", nothing was imported, with 0 imported, every line failed and listed', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'allbad.csv': 'x,Ann,30\ny,Bob,41\nz,Cyd,50\n' }, [personFile('allbad.csv')], { continueOnError: true })
    expect(done, JSON.stringify(done)).toMatchObject({ state: '3', imported: 0, failed: 3 })
    expect(done.reason).toMatch(/^nothing was imported: all 3 data lines failed \(first: allbad\.csv line 1: /)
    expect(done.files[0].failures.map((f: any) => [f.line, f.text])).toEqual([[1, 'x,Ann,30'], [2, 'y,Bob,41'], [3, 'z,Cyd,50']])
    expect(await people(graph)).toEqual([])
  })

  it('duplicate primary keys: "3" with "unique index conflict"; with continueOnError one vertex, the existing one kept (§8.20)', async () => {
    const graph = await freshGraph()
    const failed = await runImport(graph, { 'dup.csv': '1,Ann,30\n1,Other,99\n' }, [personFile('dup.csv')])
    expect(failed.state).toBe('3')
    expect(failed.reason).toMatch(/unique index conflict/)
    await runImport(graph, { 'one.csv': '1,Ann,30\n' }, [personFile('one.csv')])
    const skipped = await runImport(graph, { 'dup.csv': '1,Other,99\n2,Bob,41\n' }, [personFile('dup.csv')], { continueOnError: true })
    expect(skipped, JSON.stringify(skipped)).toMatchObject({ state: '2', imported: 1, failed: 1 })
    expect((await people(graph)).map((p) => [p.id, p.name])).toEqual([[1, 'Ann'], [2, 'Bob']])
  })

  it('edges to a missing vertex: "3" with "Missing src uid"; with continueOnError skipped (§8.21)', async () => {
    const graph = await freshGraph()
    await runImport(graph, { 'v.csv': '1,Ann,30\n' }, [personFile('v.csv')])
    const failed = await runImport(graph, { 'e.csv': '9,1,2020\n' }, [knowsFile('e.csv')])
    expect(failed.state).toBe('3')
    expect(failed.reason).toMatch(/Missing src uid/)
    const skipped = await runImport(graph, { 'e.csv': '1,9,2020\n1,1,2021\n' }, [knowsFile('e.csv')], { continueOnError: true })
    expect(skipped, JSON.stringify(skipped)).toMatchObject({ state: '2', imported: 1, failed: 1 })
    expect(skipped.files[0].failures[0].reason).toMatch(/Missing dst uid/)
    expect(await labelCounts(graph)).toEqual({ person: 1, knows: 1 })
  })

  it('a header larger than the file fails with "HEADER too large" (§8.22)', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'h.csv': 'id,name,age\n1,Ann,30\n' }, [personFile('h.csv', { header: 5 })])
    expect(done.state).toBe('3')
    expect(done.reason).toMatch(/HEADER too large/)
  })
})

describe('formats and values (§8.23–25)', () => {
  it('imports JSON lines; null only where optional (§8.23)', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'p.json': '[1,"Ann",30]\n[2,"Bob",null]\n[3,null,40]\n' }, [personFile('p.json', { format: 'JSON' })], { continueOnError: true })
    expect(done, JSON.stringify(done)).toMatchObject({ state: '2', imported: 2, failed: 1 })
    expect(done.files[0].failures[0].line).toBe(3)
    expect(await people(graph)).toEqual([
      { vid: 0, id: 1, name: 'Ann', age: 30 },
      { vid: 1, id: 2, name: 'Bob', age: null },
    ])
  })

  it('takes DATETIME as YYYY-MM-DD HH:MM:SS[.ffffff] only and keeps DATE verbatim (§8.24)', async () => {
    const graph = await freshGraph({
      schema: [{ label: 'ev', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'at', type: 'DATETIME' }, { name: 'on', type: 'DATE', optional: true }] }],
    })
    const file = '1,2022-06-17 13:56:07,2022-06-17\n2,2022-06-17 13:56:07.123456,\n3,2022-06-17T13:56:07,\n'
    const done = await runImport(graph, { 'ev.csv': file }, [{ path: 'ev.csv', format: 'CSV', label: 'ev', columns: ['id', 'at', 'on'] }], { continueOnError: true })
    expect(done, JSON.stringify(done)).toMatchObject({ state: '2', imported: 2, failed: 1 })
    expect(done.files[0].failures[0]).toMatchObject({ line: 3, text: '3,2022-06-17T13:56:07,' })
    const rows = (await t.app.graph.listVertices(graph, 'ev', -1, 10, { user: 'admin' })).map((v) => v.properties)
    expect(rows).toEqual([
      { id: 1, at: '2022-06-17 13:56:07', on: '2022-06-17' },
      { id: 2, at: '2022-06-17 13:56:07.123456', on: null },
    ])
  })

  it('reads quoted fields with "" escapes and a multi-character delimiter (§8.25)', async () => {
    const graph = await freshGraph()
    const done = await runImport(graph, { 'q.csv': '1||"a, ""b"""||30\n2||plain||\n' }, [personFile('q.csv')], { delimiter: '||' })
    expect(done.state).toBe('2')
    expect((await people(graph)).map((p) => p.name)).toEqual(['a, "b"', 'plain'])
  })
})

describe('owner or admin', () => {
  it('shows a user’s import to them and to admins only; resuming another’s task id is refused', async () => {
    const u = await addUser(t, 'carol')
    const u2 = await addUser(t, 'dave')
    // graphs belong to their owner (graph-rights.ts): the admin makes one for carol and one for dave
    const graph = await freshGraph(PERSON_SCHEMA, u.username)
    const daves = await freshGraph(PERSON_SCHEMA, u2.username)
    const carol = tugraphClient(t.url)
    await carol.login(u.username, u.password)
    await carol.upload('mine.csv', '1,Ann,30\n')
    const taskId = await carol.importData([personFile('mine.csv')], { graph })
    expect((await carol.waitImport(taskId)).state).toBe('2')
    expect(expectOk(await c.post('import_progress', { taskId })).state).toBe('2') // admin
    const dave = tugraphClient(t.url)
    await dave.login(u2.username, u2.password)
    // another user's task id answers as an unknown one (#9 §3)
    expectError(await dave.post('import_progress', { taskId }), '400', 'Not a valid task id')
    const answer = async (id: string) => {
      const { status, body } = await dave.post('import_progress', { taskId: id })
      return { status, body } // not the headers: their Date may tick between the two
    }
    expect(await answer(taskId)).toEqual(await answer('no-such-task'))
    await dave.upload('mine.csv', '2,Bob,41\n')
    expectError(await dave.post('import_data', { graph: daves, delimiter: ',', taskId, schema: { files: [personFile('mine.csv')] } }), '400', 'Not a valid task id')
    // carol's file is hers: dave's import of "mine.csv" reads dave's folder
    expectError(await dave.post('import_data', { graph, delimiter: ',', schema: { files: [personFile('mine.csv')] } }), '400', /belongs to carol/)
    const own = await dave.importData([personFile('mine.csv')], { graph: daves })
    expect((await dave.waitImport(own)).state).toBe('2')
    expect((await people(graph)).map((p) => p.name)).toEqual(['Ann'])
    expect((await people(daves)).map((p) => p.name)).toEqual(['Bob'])
  })
})
