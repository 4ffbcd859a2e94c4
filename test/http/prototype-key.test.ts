// #9.6: a JSON body with a `__proto__` key (or a `constructor` holding `prototype`) is refused in
// every dialect's envelope saying which field name is refused — it used to answer only "Body is
// not valid JSON", which sent users looking for a syntax error that is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN } from '../graph/support'
import { tugraphClient } from '../tugraph/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const PROTO = '{"type":"script","__proto__":{"isAdmin":true}}'
const CONSTRUCTOR = '{"context":{"constructor":{"prototype":{"isAdmin":true}}}}'
const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
  t.app.server.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}`, ...headers }, payload })

describe('a prototype key in a JSON body is refused by name', () => {
  it('native: 400 invalid, field body, naming __proto__', async () => {
    const res = await post('/api/v1/jobs', PROTO)
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ kind: 'invalid', code: 'prototype_key', field: 'body', message: expect.stringMatching(/field name "__proto__" is not allowed/) })
    const ctor = await post('/api/v1/jobs', CONSTRUCTOR)
    expect(ctor.json().error.message).toMatch(/"constructor" holding "prototype" is not allowed/)
  })

  it('Linkis: its envelope with the reason', async () => {
    const res = await post('/api/rest_j/v1/entrance/submit', PROTO)
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.json().status).not.toBe(0)
    expect(res.json()).toMatchObject({ method: expect.any(String), message: expect.stringMatching(/__proto__" is not allowed/) })
  })

  it('Rill Flow: its envelope with the reason, for a JSON body and for a text body', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const res = await post('/flow/submit.json?descriptor_id=a:b', PROTO, { 'content-type': type })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: expect.stringMatching(/__proto__" is not allowed/) })
      expect(res.json().error).not.toMatch(/not valid JSON/i)
    }
    // written with escapes, the key is the same key (text without either form parses without a reviver)
    const escaped = await post('/flow/submit.json?descriptor_id=a:b', '{"\\u005f_proto__":{"isAdmin":true}}', { 'content-type': 'text/plain' })
    expect(escaped.json()).toMatchObject({ error: expect.stringMatching(/__proto__" is not allowed/) })
  })

  it('TuGraph: its envelope (errorCode 400) with the reason', async () => {
    const c = tugraphClient(t.url)
    const res = await c.post('login', '{"userName":"admin","password":"73@TuGraph","__proto__":{"x":1}}')
    expect(res.body).toMatchObject({ errorCode: '400', errorMessage: expect.stringMatching(/__proto__" is not allowed/) })
  })

  it('GES: its envelope with the reason', async () => {
    await t.app.graph.createGraph('g1', ADMIN)
    const iam = await fetch(`${t.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: '73@TuGraph' } } } } }),
    })
    const res = await fetch(`${t.url}/v2/p1/graphs/g1/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Auth-Token': iam.headers.get('x-subject-token')! }, body: '{"__proto__":{"x":1}}' })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toMatch(/__proto__\\" is not allowed/)
  })
})
