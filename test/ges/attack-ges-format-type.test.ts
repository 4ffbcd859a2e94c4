// Attack (#9 §6, GES import-graph): vertexset_format / edgeset_format were checked as
// `String(format).toLowerCase() !== 'csv'`, so a JSON value that is not a string reached String():
// `{"toString": 1}` threw inside it ("Cannot convert object to primitive value") and the client got
// 500 GES.9999 "internal error"; `["csv"]` (String gives "csv") was taken for csv and started a job.
// Measured over real HTTP (node out/main/serve.js, as a second, non-admin user): 500 and 200.
// A format must be the string csv (any case), or absent or null; anything else is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { upload } from '../graph/support'
import { gesToken } from './support'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'g1' })).status).toBe(201)
  token = await gesToken(t.url)
  upload(t.dir, 'fmt/v.csv', 'a,person\n')
}, 120_000)
afterAll(() => t.close())

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('attack: a GES import format that is not a string', () => {
  it('v2: an object, an array, a number or a boolean is a 400 naming the field, never a 500 nor a job', async () => {
    const jobsBefore = t.app.store.jobs.list({ limit: 1 }).total
    for (const format of [{ toString: 1 }, { valueOf: 1 }, ['csv'], 1, true, {}]) {
      for (const field of ['vertexset_format', 'edgeset_format']) {
        const r = await post('/v2/p1/graphs/g1/import-graph', { vertexset_path: 'fmt/v.csv', [field]: format })
        expect({ format, field, status: r.status }).toEqual({ format, field, status: 400 })
        expect(r.body).toEqual({ error_code: 'GES.8000', error_msg: `${field} must be csv (the only format JobDesk reads)` })
      }
    }
    expect(t.app.store.jobs.list({ limit: 1 }).total).toBe(jobsBefore)
  })

  it('v1.0: the same in camelCase; "CSV" and null are still taken', async () => {
    const r = await post('/v1.0/p1/graphs/g1/action?action_id=import-graph', { vertexsetPath: 'fmt/v.csv', edgesetFormat: { toString: 1 } })
    expect(r).toEqual({ status: 400, body: { errorCode: 'GES.8000', errorMessage: 'edgesetFormat must be csv (the only format JobDesk reads)' } })
    expect((await post('/v2/p1/graphs/g1/import-graph', { vertexset_path: 'fmt/v.csv', vertexset_format: 'CSV', edgeset_format: null })).status).toBe(200)
  })
})
