// newuser trial L3: GES v1.0's import-graph takes camelCase fields (schemaPath, vertexsetPath, …) but
// its errors named the v2 snake_case ones (`vertexset_path "../../etc" leaves…`, "schema_path must be a
// path"). Each error now names the field as the client sent it: v1.0 camelCase, v2 snake_case.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GES_IMPORT_EXECUTOR, type GesImportSpec } from '../../electron/graph/ges/ges-import.executor'
import { GES_IMPORT_FIELDS } from '../../electron/graph/ges/ges-import.service'
import { startTestApp, type TestApp } from '../support/app'
import { upload } from '../graph/support'
import { gesToken } from './support'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'g1' })).status).toBe(201)
  token = await gesToken(t.url, 'admin', '73@TuGraph')
}, 120_000)
afterAll(() => t.close())

async function gesPost(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(body) })
  return { status: res.status, text: await res.text() }
}
const v1 = (body: unknown) => gesPost('/v1.0/p1/graphs/g1/action?action_id=import-graph', body)
const v2 = (body: unknown) => gesPost('/v2/p1/graphs/g1/import-graph', body)

describe('GES import-graph errors name the field as the client sent it', () => {
  it('v1.0: a path leaving the folder names vertexsetPath', async () => {
    const r = await v1({ vertexsetPath: '../../etc', edgesetPath: 'e.csv' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('vertexsetPath')
    expect(r.text).not.toMatch(/vertexset_path|schema_path|edgeset_path/)
  })

  it('v1.0: wrong types name schemaPath, edgesetFormat; no path names neither snake_case field', async () => {
    const wrongType = await v1({ schemaPath: 5, vertexsetPath: 'v.csv' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.text).toMatch(/schemaPath must be a path/)
    const format = await v1({ vertexsetPath: 'v.csv', edgesetFormat: 'xml' })
    expect(format.text).toMatch(/edgesetFormat must be csv/)
    const none = await v1({})
    expect(none.text).toMatch(/give vertexsetPath, edgesetPath or both/)
    for (const r of [wrongType, format, none]) expect(r.text).not.toMatch(/vertexset_path|schema_path|edgeset_path|_format/)
  })

  it('v2 keeps its snake_case names', async () => {
    const r = await v2({ vertexset_path: '../../etc' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('vertexset_path')
    expect((await v2({ schema_path: 5, vertexset_path: 'v.csv' })).text).toMatch(/schema_path must be a path/)
  })
})

// #9: the submit's errors named the client's fields, but a failure while the import ran (a file gone or
// a folder emptied or grown since the submit) still said schema_path, vertexset_path, edgeset_path
describe('GES import-graph failures while it runs name the field as the request sent it', () => {
  /** Runs a GES import task of `spec` (as the submit stores it) and resolves with the job's error. */
  async function runTask(spec: GesImportSpec): Promise<string | null> {
    const uuid = randomUUID().replace(/-/g, '')
    const job = await t.app.engine.submit({ uuid, kind: 'import', name: 'late', submitter: 'admin', input: {}, labels: { graph: 'g1', dialect: 'ges' } }, [
      { name: 'import', executor: GES_IMPORT_EXECUTOR, spec: spec as unknown as Record<string, unknown>, maxAttempts: 1 },
    ])
    await t.app.engine.waitFor(job.id)
    return t.app.store.jobs.get(job.id)!.error
  }

  it('a v1.0 request keeps its camelCase names for its task; v2 its snake_case ones', async () => {
    upload(t.dir, 'named/v.csv', 'a,person\n')
    const sent = JSON.parse((await v1({ vertexsetPath: 'named/v.csv' })).text) as { jobId: string }
    const task = t.app.store.jobs.tasks(t.app.store.jobs.getByUuid(sent.jobId)!.id)[0]
    expect((task.spec as unknown as GesImportSpec).names).toEqual(GES_IMPORT_FIELDS.v1)
    const sent2 = JSON.parse((await v2({ vertexset_path: 'named/v.csv' })).text) as { job_id: string }
    expect((t.app.store.jobs.tasks(t.app.store.jobs.getByUuid(sent2.job_id)!.id)[0].spec as unknown as GesImportSpec).names).toEqual(GES_IMPORT_FIELDS.v2)
  })

  it('v1.0: a schema file gone and a folder emptied since the submit are named schemaPath and edgesetPath', async () => {
    upload(t.dir, 'late/v.csv', 'a,person\n')
    mkdirSync(join(t.dir, 'upload_files', 'admin', 'late', 'emptied'), { recursive: true })
    const base = { graph: 'g1', user: 'admin', vertexPaths: ['late/v.csv'], delimiter: ',', names: GES_IMPORT_FIELDS.v1 }
    expect(await runTask({ ...base, schemaPath: 'late/gone.xml', edgePaths: [] })).toContain('schemaPath "late/gone.xml" does not exist in your upload folder')
    const emptied = await runTask({ ...base, edgePaths: ['late/emptied'] })
    expect(emptied).toContain('edgesetPath "late/emptied/" is a folder with no files in it')
    expect(emptied).not.toMatch(/_path/)
  })

  it('v1.0: a folder grown past 1,000 files since the submit names vertexsetPath and edgesetPath', async () => {
    for (let i = 0; i <= 1000; i++) upload(t.dir, `grown/f${i}.csv`, '')
    const error = await runTask({ graph: 'g1', user: 'admin', vertexPaths: ['grown'], edgePaths: [], delimiter: ',', names: GES_IMPORT_FIELDS.v1 })
    expect(error).toContain('vertexsetPath grown: the files of vertexsetPath and edgesetPath are more than 1,000')
  })

  it('a task stored without names (before they were kept) says v2’s', async () => {
    const error = await runTask({ graph: 'g1', user: 'admin', schemaPath: 'late/gone.xml', vertexPaths: ['late/v.csv'], edgePaths: [], delimiter: ',' })
    expect(error).toContain('schema_path "late/gone.xml" does not exist')
  })
})
