// A JSON body over 64 kB is parsed in a worker thread (services/json-parser.ts, #9 §2): by the app's
// JSON parser (the native API, Linkis) and by TuGraph's and GES's own. A client must not tell: the
// same answers and refusals as for the body parsed on the main thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INLINE_JSON_CHARS } from '../../electron/services/json-parser'
import { startTestApp, type TestApp } from '../support/app'
import { tugraphClient } from '../tugraph/support'
import { notJsonMessage } from '../../electron/http/client-json'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

/** `json` (an object's text) with a string field added first that takes it past INLINE_JSON_CHARS. */
const long = (json: string): string => `{"pad":"${'p'.repeat(INLINE_JSON_CHARS)}",${json.slice(1)}`

const post = async (url: string, payload: string) => {
  const res = await t.app.server.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, payload })
  return { status: res.statusCode, body: res.json() }
}

describe('a long JSON body answers as a short one', () => {
  it('native API: the same refusals naming the field, and the job made from it', async () => {
    const refused = {
      'a prototype key': '{"type":"script","__proto__":{"isAdmin":true}}',
      'a constructor holding prototype': '{"type":"script","x":{"constructor":{"prototype":{}}}}',
      'bad JSON': '{"type":"script","code":}',
      'too deep': `{"type":"script","x":${'['.repeat(120)}${']'.repeat(120)}}`,
    }
    for (const [what, body] of Object.entries(refused)) {
      const short = await post('/api/v1/jobs', body)
      expect(short.status, what).toBeGreaterThanOrEqual(400)
      expect(await post('/api/v1/jobs', long(body)), what).toEqual(short)
    }
    const many = await post('/api/v1/jobs', `{"type":"script","x":[${'{},'.repeat(330_000)}{}]}`)
    expect(many.status).toBe(413)
    expect(many.body.error).toMatchObject({ code: 'too_many_containers', field: 'body' })
    // accepted: the script job runs the code sent (a byte order mark before it is skipped, as fastify's parser skips it)
    const code = `echo ${'x'.repeat(INLINE_JSON_CHARS)} | wc -c`
    const made = await post('/api/v1/jobs', `\ufeff${JSON.stringify({ type: 'script', language: 'shell', code })}`)
    expect(made.status).toBe(201)
    const job = (await t.app.server.inject({ method: 'GET', url: `/api/v1/jobs/${made.body.id}`, headers: { authorization: `Bearer ${t.token}` } })).json()
    expect(job.input.code).toBe(code)
  })

  it('TuGraph: the same refusals, bad JSON named with its position', async () => {
    const c = tugraphClient(t.url)
    await c.login()
    const bad = long('{"graph":"default","description":}')
    let words = ''
    try {
      JSON.parse(bad)
    } catch (e) {
      words = notJsonMessage('body', e as SyntaxError) // every dialect's words (#9 LOW: TuGraph had its own)
    }
    expect((await c.post('import_schema', bad)).body).toEqual({ errorCode: '400', errorMessage: words })
    const proto = '{"graph":"default","__proto__":{}}'
    expect((await c.post('import_schema', long(proto))).body).toEqual((await c.post('import_schema', proto)).body)
    const list = (await c.post('import_schema', `[${'1,'.repeat(INLINE_JSON_CHARS)}2]`)).body
    expect(list).toEqual((await c.post('import_schema', '[1]')).body)
  })
})
