// GES import-graph and the names a client controls (#9 §1/§3, after attack-ges-label-path and
// attack-ges-dotted-label): schema label and property names are judged by the native schema API's
// rule before anything is created (a 400 in GES's envelope naming schema_path and the label), and
// again by the task (the file may change after the request); the split files get counter names
// inside the job's own work folder, so neither a label the graph already has (made before names were
// checked) nor a symbolic link in place of `.ges-import` can make the import write anywhere else.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, watch } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { GES_IMPORT_EXECUTOR, type GesImportSpec } from '../../electron/graph/ges/ges-import.executor'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser, type TestUser } from '../support/users'
import { upload } from '../graph/support'
import { gesToken } from './support'

/** A label name a graph could get before GES schema names were checked: a path out of the work folder. */
const OLD_LABEL = '/../../../../victim/x'

let t: TestApp
let bob: TestUser
let adminToken: string
let bobToken: string

beforeAll(async () => {
  // graph `old` has a vertex label named like a path, as GES imports made them before the fix (the
  // store itself takes any name; the native schema API and now the GES reader refuse it)
  const dir = tempDir()
  createGraphFile(dir, 'old')
  const g = GraphDb.open('old', graphFile(dir, 'old'))
  g.addLabels([{ label: OLD_LABEL, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }] } as LabelDef])
  g.close()
  t = await startTestApp({ dataDir: dir })
  bob = await addUser(t, 'bob')
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'g1' })).status).toBe(201)
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'bobs', owner: 'bob' })).status).toBe(201)
  adminToken = await gesToken(t.url, 'admin', '73@TuGraph')
  bobToken = await gesToken(t.url, bob.username, bob.password)
}, 120_000)
afterAll(() => t.close())

async function gesCall(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, body: await res.json() }
}

/** Waits for a GES job to end; its v2 status. */
async function ended(graph: string, uuid: string, token: string): Promise<{ status: string; fail_reason: string | null }> {
  await t.app.engine.waitFor(t.app.store.jobs.getByUuid(uuid)!.id)
  return (await gesCall('GET', `/v2/p1/graphs/${graph}/jobs/${uuid}/status`, token)).body
}

const labelsOf = async (graph: string) => (await t.app.graph.getGraph(graph, { user: 'admin' })).labels.map((l) => `${l.kind}:${l.name}`).sort()

const schemaXml = (labels: string) => `<?xml version="1.0"?><PMML version="3.0"><labels>${labels}</labels></PMML>`

describe('GES schema names are judged by the native schema rule before anything is created', () => {
  it('refuses a label with a space, or a property with a dot, with a 400 naming schema_path and the name (v2 and v1.0); no job, the graph keeps its schema', async () => {
    const jobsBefore = (await t.call('GET', '/api/v1/jobs')).body.items.length
    upload(t.dir, 'n/space.xml', schemaXml('<label name="ok"/><label name="my label"><properties><property name="name" dataType="string"/></properties></label>'))
    upload(t.dir, 'n/v.csv', 'v1,my label,ann\n')
    const v2 = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, { schema_path: 'n/space.xml', vertexset_path: 'n/v.csv' })
    expect(v2.status, JSON.stringify(v2.body)).toBe(400)
    expect(v2.body.error_code).toBe('GES.8000')
    // the native schema API's own text after the file and the label
    expect(v2.body.error_msg).toBe('n/space.xml: label "my label": Invalid Label: name can only contain alphabetic and numeric characters and underscore. (schema_path)')

    upload(t.dir, 'n/prop.xml', schemaXml('<label name="person"><properties><property name="a.b" dataType="string"/></properties></label>'))
    const v1 = await gesCall('POST', '/v1.0/p1/graphs/g1/action?action_id=import-graph', adminToken, { schemaPath: 'n/prop.xml', vertexsetPath: 'n/v.csv' })
    expect(v1.status, JSON.stringify(v1.body)).toBe(400)
    expect(v1.body.errorCode).toBe('GES.8000')
    expect(v1.body.errorMessage).toContain('property "a.b" of label person: Invalid Field: name can only contain')
    expect(await labelsOf('g1')).toEqual([])
    expect((await t.call('GET', '/api/v1/jobs')).body.items.length).toBe(jobsBefore)
  })

  it('the task judges the names again (a schema file changed after the request): it fails naming the label and creates nothing', async () => {
    upload(t.dir, 'n/late.xml', schemaXml('<label name="fine"><properties><property name="name" dataType="string"/></properties></label><label name="my.label"/>'))
    upload(t.dir, 'n/late.csv', 'v1,fine,ann\nv2,my.label\n')
    // submitted as the service would after checking a file that was fine then
    const spec: GesImportSpec = { graph: 'g1', user: 'admin', schemaPath: 'n/late.xml', vertexPaths: ['n/late.csv'], edgePaths: [], delimiter: ',' }
    const uuid = randomUUID().replace(/-/g, '')
    await t.app.engine.submit({ uuid, kind: 'import', name: 'late', submitter: 'admin', input: {}, labels: { graph: 'g1', dialect: 'ges' } }, [
      { name: 'import', executor: GES_IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 },
    ])
    const s = await ended('g1', uuid, adminToken)
    expect(s.status).toBe('failed')
    expect(s.fail_reason).toContain('label "my.label": Invalid Label:')
    // v1.0's status says the input was wrong (GES.8000) and which file
    const v1 = (await gesCall('GET', `/v1.0/p1/graphs/g1/jobs/${uuid}/status`, adminToken)).body
    expect(v1).toMatchObject({ status: 'failed', errorCode: 'GES.8000', jobDetail: { schemaPath: [{ path: 'n/late.xml', status: 'failed' }] } })
    expect(await labelsOf('g1')).toEqual([])
  })
})

describe('split files are named by counters inside the job’s work folder', () => {
  it('imports lines of a label the graph already has under a path-like name, writing nothing outside the work folder', async () => {
    const victim = upload(t.dir, 'x.csv', 'keep\n', 'victim')
    upload(t.dir, 'o/v.csv', `v1,${OLD_LABEL},ann\nv2,${OLD_LABEL},bo\n`)
    const started = await gesCall('POST', '/v2/p1/graphs/old/import-graph', adminToken, { vertexset_path: 'o/v.csv' })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const s = await ended('old', started.body.job_id, adminToken)
    expect(s, JSON.stringify(s)).toMatchObject({ status: 'success' })
    expect((await t.app.graph.getGraph('old', { user: 'admin' })).labels.find((l) => l.name === OLD_LABEL)?.count).toBe(2)
    expect(readFileSync(victim, 'utf8')).toBe('keep\n')
    expect(readdirSync(join(t.dir, 'upload_files', 'victim'))).toEqual(['x.csv'])
    expect(readdirSync(join(t.dir, 'upload_files', 'admin', '.ges-import'))).toEqual([]) // the work folder is gone
  })

  it('refuses to work when .ges-import is a symbolic link out of the user’s folder, and writes nothing where it points', async () => {
    const outside = join(t.dir, 'outside')
    mkdirSync(outside)
    mkdirSync(join(t.dir, 'upload_files', 'bob'), { recursive: true })
    symlinkSync(outside, join(t.dir, 'upload_files', 'bob', '.ges-import'))
    upload(t.dir, 'b/schema.xml', schemaXml('<label name="person"><properties><property name="name" dataType="string"/></properties></label>'), 'bob')
    upload(t.dir, 'b/v.csv', 'v1,person,ann\n', 'bob')
    const seen: string[] = []
    const watcher = watch(outside, (_event, name) => seen.push(String(name))) // the old executor made <job>/ there, wrote, then removed it
    try {
      const started = await gesCall('POST', '/v2/p1/graphs/bobs/import-graph', bobToken, { schema_path: 'b/schema.xml', vertexset_path: 'b/v.csv' })
      expect(started.status, JSON.stringify(started.body)).toBe(200)
      const s = await ended('bobs', started.body.job_id, bobToken)
      expect(s.status).toBe('failed')
      expect(s.fail_reason).toMatch(/symbolic link outside your upload folder/)
      await new Promise((r) => setTimeout(r, 200)) // let any inotify event arrive
    } finally {
      watcher.close()
    }
    expect(seen).toEqual([])
    expect(readdirSync(outside)).toEqual([])
    expect(await labelsOf('bobs')).toEqual([])
    expect(existsSync(join(t.dir, 'upload_files', 'bob', '.ges-import'))).toBe(true) // bob's link is his; left as it was
  })
})

// #9, fixges4: a vertexset_path or edgeset_path may name a folder; its files were listed and each
// resolved (a realpath and stats) on the main thread, however many: 20,000 files took 7.4 s there
// (load 22; readdir and sort 337 ms of it), and each became an entry of the job's report.
describe('a folder of more files than an import reads', () => {
  it('is refused at submit naming the field and the cap (1,000, the native import\'s check), creating no job', async () => {
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'folders' })).status).toBe(201)
    for (let i = 0; i <= 1000; i++) upload(t.dir, `many/v${i}.csv`, `v${i},person\n`)
    upload(t.dir, 'many-schema.xml', schemaXml('<label name="person"/>'))
    const jobsBefore = (await t.call('GET', '/api/v1/jobs')).body.total
    const started = await gesCall('POST', '/v2/p1/graphs/folders/import-graph', adminToken, { schema_path: 'many-schema.xml', vertexset_path: 'many' })
    expect(started.status, JSON.stringify(started.body)).toBe(400)
    expect(started.body.error_code).toBe('GES.8000')
    expect(started.body.error_msg).toMatch(/^vertexset_path "many": .*more than 1000 files/)
    // the cap counts both fields' files, as one import's
    upload(t.dir, 'e1.csv', 'v0,v1,knows\n')
    const both = await gesCall('POST', '/v1.0/p1/graphs/folders/action?action_id=import-graph', adminToken, { vertexsetPath: 'e1.csv', edgesetPath: 'many/' })
    expect(both.status, JSON.stringify(both.body)).toBe(400)
    expect(both.body.errorMessage).toMatch(/^edgesetPath "many": .*more than 1000 files/) // v1.0's name for it (newuser trial L3)
    expect((await t.call('GET', '/api/v1/jobs')).body.total).toBe(jobsBefore)
  })

  it('the task counts again (a folder grown since the submit): it fails naming the folder and the cap, creating nothing', async () => {
    const spec: GesImportSpec = { graph: 'folders', user: 'admin', schemaPath: 'many-schema.xml', vertexPaths: ['many'], edgePaths: [], delimiter: ',' }
    const uuid = randomUUID().replace(/-/g, '')
    await t.app.engine.submit({ uuid, kind: 'import', name: 'grown', submitter: 'admin', input: {}, labels: { graph: 'folders', dialect: 'ges' } }, [
      { name: 'import', executor: GES_IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 },
    ])
    const s = await ended('folders', uuid, adminToken)
    expect(s).toMatchObject({
      status: 'failed',
      fail_reason: 'task import: vertexset_path many: the files of vertexset_path and edgeset_path are more than 1,000, the most one import-graph reads; import them in several imports',
    })
    expect(await labelsOf('folders')).toEqual([])
  })
})

// #9 last check (HIGH, MEDIUM): a folder as schema_path answered 500 GES.9999 "internal error" (the
// schema reader met EISDIR); a folder with no files, a 1,001-file folder and "" were taken at submit
// and the job failed later, where the native import and TuGraph's import_data refuse them at once.
describe('GES import-graph paths are refused at submit as the other imports refuse them', () => {
  const jobCount = async () => (await t.call('GET', '/api/v1/jobs')).body.total as number
  beforeAll(() => {
    upload(t.dir, 'crew/schema.xml', schemaXml('<label name="person"/>'))
    upload(t.dir, 'g/v.csv', 'v1,person\n')
    upload(t.dir, 'g/e.csv', 'v1,v1,knows\n')
    mkdirSync(join(t.dir, 'upload_files', 'admin', 'bare'), { recursive: true })
    upload(t.dir, 'hollow/sub/deep.csv', 'v2,person\n') // a folder whose only entry is a sub-folder
  })

  it('a folder as schema_path: 400 GES.8000 naming schema_path (v2) or schemaPath (v1.0), no job', async () => {
    const before = await jobCount()
    for (const schema of ['crew', 'crew/', 'bare', 'many']) {
      const v2 = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, { schema_path: schema, vertexset_path: 'g/v.csv', edgeset_path: 'g/e.csv', vertexset_format: 'csv', edgeset_format: 'csv' })
      expect(v2.status, JSON.stringify(v2.body)).toBe(400)
      expect(v2.body).toEqual({ error_code: 'GES.8000', error_msg: `schema_path ${JSON.stringify(schema.replace(/\/$/, ''))} is a folder, not a file` })
    }
    const v1 = await gesCall('POST', '/v1.0/p1/graphs/g1/action?action_id=import-graph', adminToken, { schemaPath: 'crew', vertexsetPath: 'g/v.csv' })
    expect(v1.status, JSON.stringify(v1.body)).toBe(400)
    expect(v1.body).toEqual({ errorCode: 'GES.8000', errorMessage: 'schemaPath "crew" is a folder, not a file' })
    expect(await jobCount()).toBe(before)
  })

  it('a folder with no files in it (only a sub-folder, or empty) as vertexset_path or edgeset_path: refused naming the field, no job', async () => {
    const before = await jobCount()
    const cases: [Record<string, string>, string, string][] = [
      [{ vertexset_path: 'hollow' }, 'vertexset_path', 'hollow/'],
      [{ vertexset_path: 'g/v.csv', edgeset_path: 'hollow/' }, 'edgeset_path', 'hollow/'],
      [{ vertexset_path: 'bare', edgeset_path: 'g/e.csv' }, 'vertexset_path', 'bare/'],
    ]
    for (const [body, field, folder] of cases) {
      const v2 = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, body)
      expect(v2.status, JSON.stringify(v2.body)).toBe(404) // as a missing file is (file_not_found), and as the native import answers it
      expect(v2.body.error_msg).toBe(`${field} "${folder}" is a folder with no files in it (files in its sub-folders are not read): nothing to import; upload files into it or remove its mapping`)
    }
    expect(await jobCount()).toBe(before)
  })

  it('the task refuses a folder emptied since the submit in the same words, creating nothing', async () => {
    const spec: GesImportSpec = { graph: 'g1', user: 'admin', vertexPaths: ['g/v.csv'], edgePaths: ['bare'], delimiter: ',' }
    const uuid = randomUUID().replace(/-/g, '')
    await t.app.engine.submit({ uuid, kind: 'import', name: 'emptied', submitter: 'admin', input: {}, labels: { graph: 'g1', dialect: 'ges' } }, [
      { name: 'import', executor: GES_IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 },
    ])
    const s = await ended('g1', uuid, adminToken)
    expect(s).toMatchObject({ status: 'failed', fail_reason: expect.stringContaining('edgeset_path "bare/" is a folder with no files in it') })
    expect(await labelsOf('g1')).toEqual([])
  })

  it('an empty path is refused naming its field; null is a path not given (GES: each of the three is optional)', async () => {
    const before = await jobCount()
    for (const field of ['schema_path', 'vertexset_path', 'edgeset_path']) {
      const body: Record<string, string | null> = { vertexset_path: 'g/v.csv', edgeset_path: 'g/e.csv', [field]: '' }
      const v2 = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, body)
      expect(v2.status, JSON.stringify(v2.body)).toBe(400)
      expect(v2.body.error_msg).toMatch(new RegExp(`^${field} is empty`))
    }
    const v1 = await gesCall('POST', '/v1.0/p1/graphs/g1/action?action_id=import-graph', adminToken, { schemaPath: 'obs://', vertexsetPath: 'g/v.csv' })
    expect(v1.status, JSON.stringify(v1.body)).toBe(400)
    expect(v1.body.errorMessage).toMatch(/^schemaPath is empty/)
    const none = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, { schema_path: null, vertexset_path: null, edgeset_path: null })
    expect(none.status, JSON.stringify(none.body)).toBe(400)
    expect(none.body.error_msg).toMatch(/give vertexset_path, edgeset_path or both/)
    expect(await jobCount()).toBe(before)
    const schemaNull = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, { schema_path: null, vertexset_path: 'g/v.csv' })
    expect(schemaNull.status, JSON.stringify(schemaNull.body)).toBe(200)
    await ended('g1', schemaNull.body.job_id, adminToken)
  })
})

// #9 gesreport (LOW): a bad path said "(path)", not which of the request's paths it was
describe('GES import-graph path errors name the field the path came from', () => {
  it('schema_path, vertexset_path and edgeset_path each by name', async () => {
    upload(t.dir, 'f/v.csv', 'v1,person,ann\n')
    const cases: [Record<string, string>, string][] = [
      [{ schema_path: '../s.xml', vertexset_path: 'f/v.csv' }, 'schema_path'],
      [{ vertexset_path: 'f/v.csv/x.csv' }, 'vertexset_path'],
      [{ vertexset_path: 'f/v.csv', edgeset_path: '/etc/passwd' }, 'edgeset_path'],
      [{ vertexset_path: 'file:///etc/passwd' }, 'vertexset_path'],
    ]
    for (const [body, field] of cases) {
      const v2 = await gesCall('POST', '/v2/p1/graphs/g1/import-graph', adminToken, body)
      expect([400, 403], JSON.stringify(v2.body)).toContain(v2.status) // path_escapes is 403
      expect(v2.body.error_msg, JSON.stringify(body)).toMatch(new RegExp(`^${field} `)) // the shared words lead with the field
      if (body[field].startsWith('file:')) expect(v2.body.error_msg).toContain('is a URL (file:)')
    }
  })
})
