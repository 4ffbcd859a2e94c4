// newuser trial L3: GES v1.0's import-graph takes camelCase fields (schemaPath, vertexsetPath, …) but
// its errors named the v2 snake_case ones (`vertexset_path "../../etc" leaves…`, "schema_path must be a
// path"). Each error now names the field as the client sent it: v1.0 camelCase, v2 snake_case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
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
