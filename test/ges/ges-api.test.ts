// The GES dialect as Huawei Cloud's SDKs and curl users reach it: IAM tokens, AK/SK signatures
// (vectors from an independent signer; tampered query, body or date refused), the job center's
// filters, paging, casing and errors in v2 and v1.0, import-graph with per-file line counts, and
// the data plane's algorithm jobs with GES.8303.
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { ADMIN, finished, knowsFile, personFile, PERSON_SCHEMA, upload } from '../graph/support'
import { sdkDate } from './sdk-signer'
import { gesFilesHeldNoLines, NO_LINES_TO_IMPORT, type ImportPhase } from '../../shared/graph'
import { gesImportProgress } from '../../electron/graph/ges/ges-report'
import { gesSdkSuite } from './support'

const suite = gesSdkSuite()
/** A signed call as the SDK makes it (test/ges/support.ts). */
const signed = suite.signed
let t: TestApp
let ak: string
let sk: string

beforeAll(async () => {
  ;({ t, ak, sk } = suite)
  await t.app.graph.createGraph('movies', ADMIN)
})

async function token(): Promise<string> {
  const res = await fetch(`${t.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: '73@TuGraph', domain: { name: 'admin' } } } }, scope: { project: { name: 'cn-north-4' } } } }),
  })
  expect(res.status).toBe(201)
  return res.headers.get('x-subject-token')!
}

describe('authentication', () => {
  it('IAM tokens: a local password gives X-Subject-Token; a wrong one 401', async () => {
    const tok = await token()
    const list = await fetch(`${t.url}/v2/p1/graphs/jobs`, { headers: { 'X-Auth-Token': tok } })
    expect(list.status).toBe(200)
    const bad = await fetch(`${t.url}/v3/auth/tokens`, { method: 'POST', body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'nope-nope' } } } } }) })
    expect(bad.status).toBe(401)
    expect((await bad.json()).error.code).toBe(401)
    const none = await fetch(`${t.url}/v2/p1/graphs/jobs`, { headers: { 'X-Auth-Token': 'made-up' } })
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ error_code: 'APIGW.0301' })
    const v1 = await fetch(`${t.url}/v1.0/p1/graphs/jobs`)
    expect(v1.status).toBe(401)
    expect(await v1.json()).toMatchObject({ error_code: 'APIGW.0301' })
  })

  it('IAM tokens: a disabled account is told why (401), not that its password is wrong', async () => {
    const gil = await addUser(t, 'gil')
    expect((await t.call('POST', '/api/v1/users/gil', { disabled: true })).status).toBe(200)
    const res = await fetch(`${t.url}/v3/auth/tokens`, { method: 'POST', body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'gil', password: gil.password } } } } }) })
    expect(res.status).toBe(401)
    expect((await res.json()).error).toMatchObject({ code: 401, message: 'the account gil is disabled; ask an admin' })
  })

  // Huawei Cloud's API Gateway refuses credentials before GES sees the call, in its own body on every
  // path; the Python SDK's exception handler reads error_code+error_msg (or errorCode+errorMsg), so
  // a v1.0-style {errorCode, errorMessage} would reach ClientRequestException as a bare "401".
  it('answers a refused signature in API Gateway’s snake_case body on v2, v1.0 and the data plane', async () => {
    for (const path of ['/v2/p1/graphs/jobs', '/v1.0/p1/graphs/jobs', '/ges/v1.0/p1/graphs/movies/jobs/status']) {
      const res = await signed('GET', path, [], undefined, { key: [ak, `${sk.slice(0, -1)}${sk.endsWith('A') ? 'B' : 'A'}`] })
      expect(res.status, path).toBe(401)
      expect(Object.keys(res.body).sort(), path).toEqual(['error_code', 'error_msg', 'request_id'])
      expect(res.body.error_code).toBe('APIGW.0301')
      expect(res.body.error_msg).toMatch(/^Incorrect IAM authentication information: the signature does not match/)
      // the gateway's request id, in the header where the SDK reads it and in the body
      expect(res.body.request_id).toMatch(/^[0-9a-f]{32}$/)
      expect(res.headers.get('x-request-id')).toBe(res.body.request_id)
    }
    // GES's own errors keep each plane's casing
    const v1Unknown = await signed('GET', '/v1.0/p1/graphs/movies/jobs/nope/status')
    expect(v1Unknown.status).toBe(404)
    expect(v1Unknown.body).toMatchObject({ errorCode: 'GES.8011' })
  })

  it('accepts the SDK signature and refuses a changed query, body, date or key', async () => {
    const q: [string, string][] = [['offset', '0'], ['limit', '5'], ['graph_name', 'movies & more']]
    expect((await signed('GET', '/v2/p1/graphs/jobs', q)).status).toBe(200)
    const changedQuery = await signed('GET', '/v2/p1/graphs/jobs', q, undefined, { tamper: (r) => (r.url = r.url.replace('limit=5', 'limit=6')) })
    expect(changedQuery.status).toBe(401)
    expect(changedQuery.body.error_msg).toMatch(/signature does not match/)
    const old = await signed('GET', '/v2/p1/graphs/jobs', q, undefined, { date: sdkDate(Date.now() - 16 * 60 * 1000) })
    expect(old.status).toBe(401)
    expect(old.body.error_msg).toMatch(/15 minutes/)
    expect((await signed('GET', '/v2/p1/graphs/jobs', q, undefined, { date: sdkDate(Date.now() - 14 * 60 * 1000) })).status).toBe(200)
    expect((await signed('GET', '/v2/p1/graphs/jobs', q, undefined, { key: [ak, `${sk}x`] })).status).toBe(401)
    expect((await signed('GET', '/v2/p1/graphs/jobs', q, undefined, { key: ['NOSUCHKEY', sk] })).status).toBe(401)
    const body = { edgeset_path: 'nowhere/edges.csv' }
    const changedBody = await signed('POST', '/v2/p1/graphs/movies/import-graph', [], body, { tamper: (r) => (r.body = JSON.stringify({ edgeset_path: 'other.csv' })) })
    expect(changedBody.status).toBe(401)
    // the same body untampered passes the signature and reaches the import's own checks
    const honest = await signed('POST', '/v2/p1/graphs/movies/import-graph', [], body)
    expect(honest.status).toBe(404)
    expect(honest.body.error_msg).toMatch(/does not exist in your upload folder/)
    expect(honest.body.error_code).toBe('GES.8000') // a bad parameter: it said GES.8011, the unknown job's code
  })

  it('signs paths with odd characters, and stops a revoked key', async () => {
    expect((await signed('GET', '/v2/p%20x/graphs/jobs')).status).toBe(200)
    const extra = await t.call('POST', '/api/v1/access-keys', {})
    const keys = await t.call('GET', '/api/v1/access-keys')
    expect(keys.body.every((k: any) => k.secretKey === undefined)).toBe(true)
    expect((await signed('GET', '/v2/p1/graphs/jobs', [], undefined, { key: [extra.body.accessKey, extra.body.secretKey] })).status).toBe(200)
    expect((await t.call('POST', `/api/v1/access-keys/${extra.body.accessKey}/revoke`)).body.revokedAt).toBeGreaterThan(0)
    expect((await signed('GET', '/v2/p1/graphs/jobs', [], undefined, { key: [extra.body.accessKey, extra.body.secretKey] })).status).toBe(401)
    const bob = await addUser(t, 'bob')
    expect((await bob.call('POST', `/api/v1/access-keys/${ak}/revoke`)).status).toBe(404) // not his
  })
})

describe('the job center', () => {
  let algoJob: any
  let failedJob: any

  beforeAll(async () => {
    await t.app.graph.importSchema('movies', PERSON_SCHEMA, ADMIN)
    upload(t.dir, 'p.csv', '1,Ann,30\n2,Bob,31\n3,Cid,32\n')
    upload(t.dir, 'k.csv', '1,2,2000\n2,3,2001\n3,1,oops\n')
    const { taskId } = await t.app.graph.startImport({ graph: 'movies', files: [personFile('p.csv'), knowsFile('k.csv')], continueOnError: true }, ADMIN)
    await finished(t.app, taskId)
    const started = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: { kind: 'graph', graph: 'movies' } })
    algoJob = await waitForStatus(t, started.body.id, ['succeeded'])
    const bad = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'SSSP', source: { kind: 'file', path: 'k.csv' }, params: { ROOT: '9' } })
    failedJob = await waitForStatus(t, bad.body.id, ['failed'])
  }, 60_000)

  it('lists every job in v2 snake_case with paging', async () => {
    const all = await signed('GET', '/v2/p1/graphs/jobs', [['limit', '100']])
    expect(all.body.job_count).toBeGreaterThanOrEqual(3)
    const imp = all.body.job_list.find((j: any) => j.job_name === 'ImportGraph')
    expect(imp).toMatchObject({ status: 'success', job_type: 'GraphManagement', related_graph: 'movies' })
    expect(imp.begin_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
    expect(imp.job_detail.vertexset_path[0]).toMatchObject({ path: 'p.csv', status: 'success', total_lines: 3, failed_lines: 0, successful_lines: 3 })
    expect(imp.job_detail.edgeset_path[0]).toMatchObject({ path: 'k.csv', status: 'partFailed', total_lines: 3, failed_lines: 1, successful_lines: 2 })
    const pr = all.body.job_list.find((j: any) => j.job_id === algoJob.uuid)
    expect(pr).toMatchObject({ job_type: 'Algorithm', job_name: 'PageRank', status: 'success' })
    expect(pr.job_detail).toBeUndefined()
    const page1 = await signed('GET', '/v2/p1/graphs/jobs', [['offset', '0'], ['limit', '2']])
    const page2 = await signed('GET', '/v2/p1/graphs/jobs', [['offset', '2'], ['limit', '2']])
    expect(page1.body.job_list).toHaveLength(2)
    expect(page1.body.job_count).toBe(all.body.job_count)
    expect(page2.body.job_list[0].job_id).toBe(all.body.job_list[2].job_id)
    expect((await signed('GET', '/v2/p1/graphs/jobs')).body.job_list.length).toBeLessThanOrEqual(10) // limit defaults to 10
  })

  it('filters by status, graph and dates', async () => {
    const ids = async (q: [string, string][], v1 = false) => {
      const r = await signed('GET', v1 ? '/v1.0/p1/graphs/jobs' : '/v2/p1/graphs/jobs', [...q, ['limit', '100']])
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return (v1 ? r.body.jobList : r.body.job_list).map((j: any) => j.job_id ?? j.jobId)
    }
    expect(await ids([['status', 'failed']])).toEqual([failedJob.uuid])
    expect(await ids([['status', 'success'], ['graph_name', 'movies']])).toContain(algoJob.uuid)
    expect(await ids([['status', 'success'], ['graph_name', 'movies']])).not.toContain(failedJob.uuid)
    expect(await ids([['status', 'waiting']])).toEqual([])
    expect(await ids([['graph_name', 'elsewhere']])).toEqual([])
    const today = new Date().toISOString().slice(0, 10)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    expect(await ids([['start_time', today], ['end_time', today]])).toContain(algoJob.uuid)
    expect(await ids([['start_time', tomorrow]])).toEqual([])
    // v1.0 names the dates startTime/endTime; graph_name stays snake_case
    expect(await ids([['startTime', tomorrow]], true)).toEqual([])
    expect(await ids([['startTime', today], ['graph_name', 'movies']], true)).toContain(algoJob.uuid)
  })

  // newer GES v1.0 documents add partiallyFailed (jobapis.md §C.1); v2 documents four words only
  it('says partiallyFailed in v1.0 for an import with failed lines, success in v2, and filters by it', async () => {
    const imp = (await signed('GET', '/v2/p1/graphs/jobs', [['graph_name', 'movies'], ['limit', '100']])).body.job_list.find((j: any) => j.job_name === 'ImportGraph')
    expect(imp.status).toBe('success')
    expect((await signed('GET', `/v2/p1/graphs/movies/jobs/${imp.job_id}/status`)).body.status).toBe('success')
    const v1 = await signed('GET', `/v1.0/p1/graphs/movies/jobs/${imp.job_id}/status`)
    expect(v1.body).toMatchObject({ jobId: imp.job_id, status: 'partiallyFailed', errorCode: null, jobDetail: { edgesetPath: [{ status: 'partFailed', failedLines: 1 }] } })
    const v1List = async (q: [string, string][]) => (await signed('GET', '/v1.0/p1/graphs/jobs', [...q, ['graph_name', 'movies'], ['limit', '100']])).body.jobList
    expect((await v1List([])).find((j: any) => j.jobId === imp.job_id).status).toBe('partiallyFailed')
    // the filter and the status agree: partiallyFailed lists it, success does not (but still the PageRank job)
    expect((await v1List([['status', 'partiallyFailed']])).map((j: any) => j.jobId)).toEqual([imp.job_id])
    const successes = (await v1List([['status', 'success']])).map((j: any) => j.jobId)
    expect(successes).toContain(algoJob.uuid)
    expect(successes).not.toContain(imp.job_id)
    expect((await signed('GET', '/v2/p1/graphs/jobs', [['status', 'success'], ['graph_name', 'movies'], ['limit', '100']])).body.job_list.map((j: any) => j.job_id)).toContain(imp.job_id)
    const v2Partial = await signed('GET', '/v2/p1/graphs/jobs', [['status', 'partiallyFailed']])
    expect([v2Partial.status, v2Partial.body.error_msg]).toEqual([400, 'status must be one of running, waiting, success, failed, not "partiallyFailed"'])
  })

  it('answers v1.0 in camelCase and both versions’ errors in their shapes', async () => {
    const v1 = await signed('GET', '/v1.0/p1/graphs/jobs', [['limit', '100']])
    expect(v1.body).toMatchObject({ errorCode: null, errorMessage: null })
    expect(v1.body.jobCount).toBeGreaterThanOrEqual(3)
    const imp = v1.body.jobList.find((j: any) => j.jobName === 'ImportGraph')
    expect(imp).toMatchObject({ jobType: 'GraphManagement', relatedGraph: 'movies' })
    expect(imp.jobDetail.edgesetPath[0]).toMatchObject({ totalLines: 3, failedLines: 1, successfulLines: 2 })
    const bad2 = await signed('GET', '/v2/p1/graphs/jobs', [['limit', 'ten']])
    expect(bad2.status).toBe(400)
    expect(bad2.body).toEqual({ error_code: 'GES.8000', error_msg: expect.stringMatching(/limit must be an integer/) })
    const bad1 = await signed('GET', '/v1.0/p1/graphs/jobs', [['startTime', '2024/01/01']])
    expect(bad1.status).toBe(400)
    expect(bad1.body).toEqual({ errorCode: 'GES.8000', errorMessage: expect.stringMatching(/startTime must be a date in the form yyyy-MM-dd/) })
    expect((await signed('GET', '/v2/p1/graphs/jobs', [['status', 'done']])).body.error_msg).toMatch(/status must be one of/)
    // names of Object's members are no status either (they used to pass and filter nothing) (#15, acceptance trial)
    for (const status of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const res = await signed('GET', '/v2/p1/graphs/jobs', [['status', status]])
      expect([res.status, res.body.error_msg], status).toEqual([400, `status must be one of running, waiting, success, failed, not "${status}"`])
    }
    expect((await signed('GET', '/v2/p1/graphs/jobs', [['end_time', '2024-02-30']])).status).toBe(400)
  })

  it('shows one job’s status in both versions', async () => {
    const v2 = await signed('GET', `/v2/p1/graphs/movies/jobs/${algoJob.uuid}/status`)
    expect(v2.body).toMatchObject({ job_id: algoJob.uuid, status: 'success', job_name: 'PageRank', related_graph: 'movies', fail_reason: null })
    const v1 = await signed('GET', `/v1.0/p1/graphs/movies/jobs/${failedJob.uuid}/status`)
    // a failed job's errorCode and errorMessage say why (its input file was bad: GES.8000)
    expect(v1.body).toMatchObject({ jobId: failedJob.uuid, status: 'failed', errorCode: 'GES.8000', errorMessage: expect.stringMatching(/k.csv line 3/), failReason: expect.stringMatching(/k.csv line 3: the weight "oops" is not a number/) })
    const missing = await signed('GET', '/v2/p1/graphs/movies/jobs/nope/status')
    expect(missing.status).toBe(404)
    expect(missing.body.error_code).toBe('GES.8011')
  })

  it('shows a user only their own jobs', async () => {
    const eve = await addUser(t, 'eve')
    const res = await fetch(`${t.url}/v3/auth/tokens`, { method: 'POST', body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'eve', password: eve.password } } } } }) })
    const tok = res.headers.get('x-subject-token')!
    const list = await (await fetch(`${t.url}/v2/p1/graphs/jobs`, { headers: { 'X-Auth-Token': tok } })).json()
    expect(list).toEqual({ job_count: 0, job_list: [] })
    expect((await fetch(`${t.url}/v2/p1/graphs/movies/jobs/${algoJob.uuid}/status`, { headers: { 'X-Auth-Token': tok } })).status).toBe(404)
  })
})

describe('import-graph', () => {
  const schema = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PMML version="3.0" xmlns="http://www.dmg.org/PMML-3-0" xmlns:xsi="http://www.w3.org/2001/XMLSchema_instance">
  <labels>
    <label name="user"><properties>
      <property name="Name" cardinality="single" dataType="string"/>
      <property name="Age" cardinality="single" dataType="int"/>
    </properties></label>
    <label name="movie"><properties>
      <property name="Title" cardinality="single" dataType="string"/>
    </properties></label>
    <label name="rate"><properties>
      <property name="Score" cardinality="single" dataType="int"/>
    </properties></label>
  </labels>
</PMML>`

  it('imports GES schema XML and CSVs, reporting each file’s lines (a bad line counted)', async () => {
    await t.app.graph.createGraph('hkmovie', ADMIN)
    upload(t.dir, 'bucket/hk/schema.xml', schema)
    upload(t.dir, 'bucket/hk/vertex.csv', 'Vivian,user,Vivian,25\nEric,user,Eric,x40\nLove,movie,Love Story\nZed,alien,Zed\n')
    upload(t.dir, 'bucket/hk/edge.csv', 'Vivian,Love,rate,5\nEric,Love,rate,4\nNobody,Love,rate,3\n')
    const started = await signed('POST', '/v2/p1/graphs/hkmovie/import-graph', [], {
      schema_path: 'obs://bucket/hk/schema.xml',
      vertexset_path: 'bucket/hk/vertex.csv',
      vertexset_format: 'csv',
      edgeset_path: 'bucket/hk/edge.csv',
      edgeset_format: 'csv',
      delimiter: ',',
      log_dir: 'bucket/hk/log',
      offline: false,
    })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const jobId = started.body.job_id
    expect(jobId).toMatch(/^[0-9a-f]{32}$/)
    const job = t.app.store.jobs.getByUuid(jobId)!
    await t.app.engine.waitFor(job.id)
    const status = await signed('GET', `/v2/p1/graphs/hkmovie/jobs/${jobId}/status`)
    expect(status.body).toMatchObject({ status: 'success', job_name: 'ImportGraph', job_type: 'GraphManagement', related_graph: 'hkmovie' })
    const d = status.body.job_detail
    expect(d.schema_path[0]).toMatchObject({ path: 'bucket/hk/schema.xml', status: 'success' })
    // Eric's age is not an int (the import fails it); Zed's label is not in the schema (the split fails it)
    expect(d.vertexset_path[0]).toMatchObject({ path: 'bucket/hk/vertex.csv', status: 'partFailed', total_lines: 4, failed_lines: 2, successful_lines: 2 })
    expect(d.vertexset_path[0].cause).toMatch(/line 4: label alien/)
    // Eric was not imported, so his edge fails in the import; Nobody is in no vertex file
    expect(d.edgeset_path[0]).toMatchObject({ path: 'bucket/hk/edge.csv', status: 'partFailed', total_lines: 3, failed_lines: 2, successful_lines: 1 })
    const info = await t.app.graph.getGraph('hkmovie', { user: 'admin' })
    expect(info.labels.map((l) => `${l.kind}:${l.name}:${l.count}`).sort()).toEqual(['edge:rate:1', 'vertex:movie:1', 'vertex:user:1'])
    const v1 = await signed('GET', `/v1.0/p1/graphs/hkmovie/jobs/${jobId}/status`)
    expect(v1.body.status).toBe('partiallyFailed')
    expect(v1.body.jobDetail.vertexsetPath[0]).toMatchObject({ totalLines: 4, failedLines: 2, successfulLines: 2 })
    const partial = await signed('GET', '/v1.0/p1/graphs/jobs', [['status', 'partiallyFailed'], ['graph_name', 'hkmovie']])
    expect(partial.body.jobList.map((j: any) => j.jobId)).toEqual([jobId])
    // the native status (the Imports page's): the import's report as report, the GES files beside it (#9 gesreport: report was {ges, report})
    const native = await t.call('GET', `/api/v1/imports/${jobId}`)
    expect(native.body.ges.vertices[0]).toMatchObject({ path: 'bucket/hk/vertex.csv', status: 'partFailed', total_lines: 4, failed_lines: 2, successful_lines: 2 })
    expect(native.body.ges.schema[0]).toMatchObject({ path: 'bucket/hk/schema.xml', status: 'success' })
    expect(native.body.report).toMatchObject({ state: 'succeeded', imported: 3, files: expect.any(Array) })
    expect(native.body.progress).toBe(1)
  })

  // importsui3: the job's bytes read and in all were those of the parts the files were split into, so an edge
  // file whose every line failed in the split (no part) was in neither: 33 B of 33 B for 83 B of files
  it('counts every GES file in the job’s bytes, an edge file whose every line failed too', async () => {
    await t.app.graph.createGraph('hkbytes', ADMIN)
    const vertex = 'Vivian,user,Vivian,25\nLove,movie,Love Story\n'
    const edge = 'Nobody,Love,rate,3\nVivian,Noone,rate,4\n'
    upload(t.dir, 'bucket/hkbytes/schema.xml', schema)
    upload(t.dir, 'bucket/hkbytes/vertex.csv', vertex)
    upload(t.dir, 'bucket/hkbytes/edge.csv', edge)
    const started = await signed('POST', '/v2/p1/graphs/hkbytes/import-graph', [], { schema_path: 'bucket/hkbytes/schema.xml', vertexset_path: 'bucket/hkbytes/vertex.csv', edgeset_path: 'bucket/hkbytes/edge.csv' })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const jobId = started.body.job_id
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(jobId)!.id)
    const native = await t.call('GET', `/api/v1/imports/${jobId}`)
    expect(native.body.ges.edges[0]).toMatchObject({ path: 'bucket/hkbytes/edge.csv', status: 'failed', total_lines: 2, failed_lines: 2 })
    const bytes = Buffer.byteLength(vertex) + Buffer.byteLength(edge)
    expect([native.body.report.bytesDone, native.body.report.bytesTotal]).toEqual([bytes, bytes])
    expect(native.body.progress).toBe(1)
  })

  // #9: while the import ran its live bytes were those of the split parts (no label column, no line the
  // split refused), after it those of the client's files: one unit, the client's files', all along
  it('says its bytes read and in all in its GES files’ bytes while it runs, as after', async () => {
    await t.app.graph.createGraph('hklive', ADMIN)
    const lines = Array.from({ length: 150_000 }, (_, i) => (i % 10 === 9 ? `x${i},alien,nobody\n` : `u${i},user,Name${i},${i % 90}\n`)).join('')
    upload(t.dir, 'bucket/hklive/schema.xml', schema)
    upload(t.dir, 'bucket/hklive/vertex.csv', lines)
    const bytes = Buffer.byteLength(lines)
    const started = await signed('POST', '/v2/p1/graphs/hklive/import-graph', [], { schema_path: 'bucket/hklive/schema.xml', vertexset_path: 'bucket/hklive/vertex.csv' })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const jobId = started.body.job_id
    const live: { phase: ImportPhase; bytesDone: number; bytesTotal: number; progress: number }[] = []
    const routeProgress: number[] = []
    for (;;) {
      const s = await t.app.graph.importStatus(jobId)
      if (s.status !== 'queued' && s.status !== 'running') break
      if (s.live) live.push({ ...s.live, progress: s.progress })
      routeProgress.push((await signed('GET', `/v2/p1/graphs/hklive/jobs/${jobId}/status`, [])).body.job_progress)
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(live.length).toBeGreaterThan(0)
    for (const l of live) {
      // until the split's worker has sized the files (its first word) nothing is known, and nothing else is said
      if (l.bytesTotal === 0) expect(l).toMatchObject({ phase: 'splitting', bytesDone: 0, progress: 0 })
      else expect(l.bytesTotal).toBe(bytes)
      expect(l.bytesDone).toBeLessThanOrEqual(bytes)
      expect(l.progress).toBeCloseTo(gesImportProgress(l.phase, l.bytesDone / bytes), 2) // the native job's progress: the same share of the same bytes, in its phase's part of the job
    }
    for (const p of routeProgress) expect(p >= 0 && p <= 1).toBe(true)
    const native = await t.call('GET', `/api/v1/imports/${jobId}`)
    expect([native.body.report.bytesDone, native.body.report.bytesTotal]).toEqual([bytes, bytes])
    expect((await signed('GET', `/v2/p1/graphs/hklive/jobs/${jobId}/status`, [])).body.job_progress).toBe(1)
  })

  // #9: files with no line to place ended a succeeded job with no import run, which the Imports page
  // showed as "0 B of 0 B": the job says what happened (NO_LINES_TO_IMPORT), with the bytes it read
  it('says "nothing to import" of files that hold no data lines, and succeeds', async () => {
    await t.app.graph.createGraph('hkempty', ADMIN)
    upload(t.dir, 'bucket/hkempty/schema.xml', schema)
    upload(t.dir, 'bucket/hkempty/vertex.csv', '')
    upload(t.dir, 'bucket/hkempty/edge.csv', '\n\n')
    const started = await signed('POST', '/v2/p1/graphs/hkempty/import-graph', [], { schema_path: 'bucket/hkempty/schema.xml', vertexset_path: 'bucket/hkempty/vertex.csv', edgeset_path: 'bucket/hkempty/edge.csv' })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const job = t.app.store.jobs.getByUuid(started.body.job_id)!
    await t.app.engine.waitFor(job.id)
    const native = await t.call('GET', `/api/v1/imports/${started.body.job_id}`)
    expect(native.body).toMatchObject({ status: 'succeeded', report: null })
    expect(gesFilesHeldNoLines(native.body.ges)).toBe(true)
    const logs = (await t.call('GET', `/api/v1/jobs/${job.id}/logs?from=0&size=100`)).body.lines.map((l: { text: string }) => l.text)
    expect(logs).toContain(`${NO_LINES_TO_IMPORT} (2 B read)`)
  })

  // GES documents a file whose every line failed as `failed` and says nothing of the job's status
  // then: a job that imported none of the lines it was given, all of them failing, fails (#9), saying
  // how many failed and the first errors; v2 and v1.0 both say failed, never success or partiallyFailed.
  it('fails an import whose every line failed in the import, naming how many failed and the first errors', async () => {
    await t.app.graph.createGraph('hkbad', ADMIN)
    upload(t.dir, 'bucket/hkbad/schema.xml', schema)
    upload(t.dir, 'bucket/hkbad/vertex.csv', 'Eric,user,Eric,x40\nAmy,user,Amy,old\nIan,user,Ian,4.5\n')
    const started = await signed('POST', '/v2/p1/graphs/hkbad/import-graph', [], { schema_path: 'bucket/hkbad/schema.xml', vertexset_path: 'bucket/hkbad/vertex.csv' })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const jobId = started.body.job_id
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(jobId)!.id)
    const status = await signed('GET', `/v2/p1/graphs/hkbad/jobs/${jobId}/status`)
    expect(status.body, JSON.stringify(status.body)).toMatchObject({ status: 'failed', job_name: 'ImportGraph' })
    expect(status.body.fail_reason).toMatch(/^task import: none of the 3 lines of the files was imported: all 3 failed; first: bucket\/hkbad\/vertex\.csv: .*"x40": Eric,Eric,x40; bucket\/hkbad\/vertex\.csv: .*"old": Amy,Amy,old; /)
    expect(status.body.job_detail.vertexset_path[0]).toMatchObject({ path: 'bucket/hkbad/vertex.csv', status: 'failed', total_lines: 3, failed_lines: 3, successful_lines: 0 })
    const v1 = await signed('GET', `/v1.0/p1/graphs/hkbad/jobs/${jobId}/status`)
    expect(v1.body.status).toBe('failed')
    expect((await t.app.graph.getGraph('hkbad', { user: 'admin' })).labels.find((l) => l.name === 'user')?.count).toBe(0)
  })

  it('takes v1.0’s action?action_id=import-graph with a camelCase body', async () => {
    upload(t.dir, 'bucket/hk2/vertex.csv', 'Amy,user,Amy,30\n')
    const started = await signed('POST', '/v1.0/p1/graphs/hkmovie/action', [['action_id', 'import-graph']], { vertexsetPath: 'bucket/hk2/vertex.csv', vertexsetFormat: 'csv' })
    expect(started.body).toMatchObject({ errorCode: null, jobId: expect.stringMatching(/^[0-9a-f]{32}$/) })
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(started.body.jobId)!.id)
    const v1 = await signed('GET', `/v1.0/p1/graphs/hkmovie/jobs/${started.body.jobId}/status`)
    expect(v1.body).toMatchObject({ status: 'success', jobDetail: { vertexsetPath: [{ path: 'bucket/hk2/vertex.csv', totalLines: 1, successfulLines: 1, failedLines: 0 }] } })
    // a schema file that is not one is refused at once with GES.8000 naming the field (the schema is
    // read when the request comes; a job failing on its schema later says GES.8000 in its status too:
    // ges-import-paths.test.ts)
    upload(t.dir, 'bucket/hk3/schema.xml', 'not a schema')
    const badSchema = await signed('POST', '/v1.0/p1/graphs/hkmovie/action', [['action_id', 'import-graph']], { schemaPath: 'bucket/hk3/schema.xml', vertexsetPath: 'bucket/hk2/vertex.csv' })
    expect(badSchema.status).toBe(400)
    expect(badSchema.body).toEqual({ errorCode: 'GES.8000', errorMessage: 'bucket/hk3/schema.xml: not a GES schema file (no <labels> element) (schemaPath)' }) // v1.0's name for the field
    const wrong = await signed('POST', '/v1.0/p1/graphs/hkmovie/action', [['action_id', 'export-graph']], {})
    expect(wrong.status).toBe(400)
    expect(wrong.body.errorCode).toBe('GES.8000')
    const noGraph = await signed('POST', '/v2/p1/graphs/nograph/import-graph', [], { vertexset_path: 'bucket/hk2/vertex.csv' })
    expect(noGraph.status).toBe(404)
    expect(noGraph.body.error_code).toBe('GES.7000')
  })
})

describe('the data plane', () => {
  it('names vertices by their GES ids in an algorithm’s rows and in its source parameter', async () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PMML version="3.0" xmlns="http://www.dmg.org/PMML-3-0"><labels>
  <label name="movie"><properties><property name="Title" cardinality="single" dataType="string"/></properties></label>
  <label name="user"><properties><property name="Name" cardinality="single" dataType="string"/></properties></label>
  <label name="rate"><properties><property name="Score" cardinality="single" dataType="int"/></properties></label>
</labels></PMML>`
    await t.app.graph.createGraph('rates', ADMIN)
    upload(t.dir, 'bucket/rates/schema.xml', xml)
    upload(t.dir, 'bucket/rates/vertex.csv', 'm1,movie,Love Story\nm2,movie,Heat\nu1,user,Vivian\n')
    upload(t.dir, 'bucket/rates/edge.csv', 'u1,m1,rate,5\nu1,m2,rate,4\n')
    const imported = await signed('POST', '/v2/p1/graphs/rates/import-graph', [], { schema_path: 'bucket/rates/schema.xml', vertexset_path: 'bucket/rates/vertex.csv', edgeset_path: 'bucket/rates/edge.csv' })
    expect(imported.status, JSON.stringify(imported.body)).toBe(200)
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(imported.body.job_id)!.id)
    const rows = async (body: unknown) => {
      const run = await signed('POST', '/ges/v1.0/p1/graphs/rates/action', [['action_id', 'execute-algorithm']], body)
      expect(run.status, JSON.stringify(run.body)).toBe(200)
      await t.app.engine.waitFor(t.app.store.jobs.getByUuid(run.body.jobId)!.id)
      const status = await signed('GET', `/ges/v1.0/p1/graphs/rates/jobs/${run.body.jobId}/status`)
      expect(status.body.status, JSON.stringify(status.body)).toBe('success')
      return status.body.data.outputs.data as unknown[][]
    }
    const ranks = await rows({ algorithmName: 'pagerank', parameters: {} })
    expect(ranks.map((r) => r[0])).toEqual(['m1', 'm2', 'u1'])
    // doubles keep their full precision on the data plane (the document shows no rounding)
    for (const r of ranks) expect(typeof r[1]).toBe('number')
    expect(ranks.reduce((a, r) => a + (r[1] as number), 0)).toBeCloseTo(1, 9)
    expect(await rows({ algorithmName: 'sssp', parameters: { source: 'u1' } })).toEqual([['u1', 0], ['m1', 1], ['m2', 1]])
    expect(await rows({ algorithmName: 'connected_component', parameters: {} })).toEqual([['m1', 'm1'], ['m2', 'm1'], ['u1', 'm1']])
    const unknown = await signed('POST', '/ges/v1.0/p1/graphs/rates/action', [['action_id', 'execute-algorithm']], { algorithmName: 'sssp', parameters: { source: '0' } })
    const job = t.app.store.jobs.getByUuid(unknown.body.jobId)!
    await t.app.engine.waitFor(job.id)
    const failed = await signed('GET', `/ges/v1.0/p1/graphs/rates/jobs/${unknown.body.jobId}/status`)
    // a failed job answers a GES code: its parameter was wrong, GES.8000 (it was null)
    expect(failed.body).toMatchObject({ status: 'failed', errorCode: 'GES.8000', errorMessage: expect.stringContaining('ROOT: vertex "0" is not in the graph') })
    const v1 = await signed('GET', `/v1.0/p1/graphs/rates/jobs/${unknown.body.jobId}/status`)
    expect(v1.body).toMatchObject({ status: 'failed', errorCode: 'GES.8000', errorMessage: expect.stringContaining('ROOT: vertex "0"') })
    // a succeeded job has none
    const ok = (await signed('GET', '/ges/v1.0/p1/graphs/rates/jobs/status')).body.jobs.find((j: any) => j.status === 'success')
    const okStatus = await signed('GET', `/ges/v1.0/p1/graphs/rates/jobs/${ok.jobId}/status`)
    expect(okStatus.body).toMatchObject({ status: 'success', errorCode: null })
  })

  it('runs an algorithm, pages its rows in the job status, lists and cancels with GES.8303', async () => {
    const run = await signed('POST', '/ges/v1.0/p1/graphs/movies/action', [['action_id', 'execute-algorithm']], { algorithmName: 'pagerank', parameters: { alpha: 0.85, max_iterations: 20, convergence: 0.00001, directed: true } })
    expect(run.status, JSON.stringify(run.body)).toBe(200)
    const job = t.app.store.jobs.getByUuid(run.body.jobId)!
    await t.app.engine.waitFor(job.id)
    const page = await signed('GET', `/ges/v1.0/p1/graphs/movies/jobs/${run.body.jobId}/status`, [['offset', '1'], ['limit', '2']])
    expect(page.body.status).toBe('success')
    expect(page.body.data.outputs).toMatchObject({ columns: ['VID', 'VALUE'], data_return_size: 2, data_offset: 1, data_total_size: 3 })
    expect(page.body.data.outputs.data).toHaveLength(2)
    const list = await signed('GET', '/ges/v1.0/p1/graphs/movies/jobs/status')
    expect(list.body.jobs.find((j: any) => j.jobId === run.body.jobId)).toMatchObject({ status: 'success', taskType: 'Algorithm', canStop: false, progress: '100' })
    const finishedCancel = await signed('DELETE', `/ges/v1.0/p1/graphs/movies/jobs/${run.body.jobId}`)
    expect(finishedCancel.status).toBe(400)
    expect(finishedCancel.body).toEqual({ errorCode: 'GES.8303', errorMessage: `can not find job to cancel, id is ${run.body.jobId}` })
    expect((await signed('DELETE', '/ges/v1.0/p1/graphs/movies/jobs/unknown')).body.errorCode).toBe('GES.8303')
    const other = await signed('GET', `/ges/v1.0/p1/graphs/hkmovie/jobs/${run.body.jobId}/status`)
    expect(other.status).toBe(404)
    const unknown = await signed('POST', '/ges/v1.0/p1/graphs/movies/action', [['action_id', 'execute-algorithm']], { algorithmName: 'node2vec' })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errorMessage).toMatch(/not supported/)
  })

  it('names the GES parameter the caller sent, not the Explorer one it maps to (#15, acceptance trial)', async () => {
    const bad = await signed('POST', '/ges/v1.0/p1/graphs/movies/action', [['action_id', 'execute-algorithm']], { algorithmName: 'pagerank', parameters: { alpha: 'high' } })
    expect([bad.status, bad.body]).toEqual([400, { errorCode: 'GES.8000', errorMessage: 'parameters.alpha: must be a number, not "high"' }])
    const missing = await signed('POST', '/ges/v1.0/p1/graphs/movies/action', [['action_id', 'execute-algorithm']], { algorithmName: 'sssp', parameters: {} })
    expect([missing.status, missing.body]).toEqual([400, { errorCode: 'GES.8000', errorMessage: 'parameters.source: is required' }])
    // Explorer's own names keep Explorer's parameter names
    const explorer = await signed('POST', '/ges/v1.0/p1/graphs/movies/action', [['action_id', 'execute-algorithm']], { algorithmName: 'PageRank', parameters: { DAMPING: 'high' } })
    expect(explorer.body.errorMessage).toBe('DAMPING: must be a number, not "high" (params.DAMPING)')
  })

  it('cancels a running algorithm job', async () => {
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) lines.push(`${i},n,${i}`)
    upload(t.dir, 'big/v.csv', lines.join('\n'))
    const edges: string[] = []
    for (let i = 0; i < 3000; i++) edges.push(`${i},${(i + 1) % 3000},e`, `${i},${(i * 7 + 1) % 3000},e`)
    upload(t.dir, 'big/e.csv', edges.join('\n'))
    await t.app.graph.createGraph('big', ADMIN)
    upload(t.dir, 'big/schema.xml', '<labels><label name="n"><properties><property name="k" dataType="int"/></properties></label><label name="e"></label></labels>')
    const imp = await signed('POST', '/v2/p1/graphs/big/import-graph', [], { schema_path: 'big/schema.xml', vertexset_path: 'big/v.csv', edgeset_path: 'big/e.csv' })
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(imp.body.job_id)!.id)
    const run = await signed('POST', '/ges/v1.0/p1/graphs/big/action', [['action_id', 'execute-algorithm']], { algorithmName: 'BetweennessCentrality', parameters: {} })
    const job = t.app.store.jobs.getByUuid(run.body.jobId)!
    await waitForStatus(t, job.id, ['running'])
    expect((await signed('DELETE', `/ges/v1.0/p1/graphs/big/jobs/${run.body.jobId}`)).body).toEqual({})
    const ended = await waitForStatus(t, job.id, ['cancelled', 'succeeded'], 5000)
    expect(ended.status).toBe('cancelled')
    expect((await signed('GET', `/v2/p1/graphs/big/jobs/${run.body.jobId}/status`)).body).toMatchObject({ status: 'failed', fail_reason: expect.stringMatching(/cancel/) })
    // GES documents no cancelled state nor its code: the document's code of a failed request
    expect((await signed('GET', `/ges/v1.0/p1/graphs/big/jobs/${run.body.jobId}/status`)).body).toMatchObject({ status: 'failed', errorCode: 'GES.9999', errorMessage: expect.stringMatching(/cancel/) })
  })
})

// #9 §2: a list holds a bounded amount per job (job-views.ts); one job's status holds all of it
describe('lists cut a large job, its status does not', () => {
  it('cuts rawRequest and job_detail in the lists, stating each cut, and shows the whole report in the status', async () => {
    await t.app.graph.createGraph('wide', ADMIN)
    await t.app.graph.importSchema('wide', PERSON_SCHEMA, ADMIN)
    const names = Array.from({ length: 60 }, (_, i) => `wide/person-file-with-a-long-name-${String(i).padStart(2, '0')}.csv`)
    names.forEach((name, i) => upload(t.dir, name, `${i},P${i},${20 + i}\n`))
    const { taskId } = await t.app.graph.startImport({ graph: 'wide', files: names.map((n) => personFile(n)) }, ADMIN)
    await finished(t.app, taskId)
    const data = (await signed('GET', '/ges/v1.0/p1/graphs/wide/jobs/status')).body
    expect(data.jobCount).toBe(1)
    const raw = JSON.parse(data.jobs[0].rawRequest)
    expect(raw).toMatchObject({ truncated: true, chars: expect.any(Number), head: expect.any(String) })
    expect(raw.chars).toBeGreaterThan(4096)
    expect(raw.head).toHaveLength(4096)
    expect(raw.head).toContain(names[0])

    const v2 = (await signed('GET', '/v2/p1/graphs/jobs', [['graph_name', 'wide']])).body.job_list[0]
    const listed = v2.job_detail.vertexset_path
    expect(v2.job_detail).toMatchObject({ truncated: true, file_count: 60 })
    expect(listed.length).toBeGreaterThan(0)
    expect(listed.length).toBeLessThan(60)
    expect(listed[0]).toMatchObject({ path: names[0], status: 'success', total_lines: 1, successful_lines: 1 })
    expect(JSON.stringify(v2.job_detail).length).toBeLessThan(4096 + 200)
    const v1 = (await signed('GET', '/v1.0/p1/graphs/jobs', [['graph_name', 'wide']])).body.jobList[0]
    expect(v1.jobDetail).toMatchObject({ truncated: true, fileCount: 60 })

    const whole = (await signed('GET', `/v2/p1/graphs/wide/jobs/${v2.job_id}/status`)).body
    expect(whole.status).toBe('success')
    expect(whole.job_detail.truncated).toBeUndefined()
    expect(whole.job_detail.vertexset_path.map((f: any) => f.path)).toEqual(names)
  })

  it('names a script job by its language in the list (the one field of an input a list reads)', async () => {
    const made = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'python', code: 'print(1)' })
    await waitForStatus(t, made.body.id, ['succeeded', 'failed'])
    const uuid = t.app.store.jobs.get(made.body.id)!.uuid
    const job = (await signed('GET', '/v2/p1/graphs/jobs', [['limit', '1000']])).body.job_list.find((j: any) => j.job_id === uuid)
    expect(job).toMatchObject({ job_type: 'Script', job_name: 'RunPython' })
  })
})
