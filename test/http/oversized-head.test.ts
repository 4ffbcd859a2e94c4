// #9 verification: a request line and headers over Node's 16 KB (a long query string, a big cookie)
// are refused by Node's HTTP parser before fastify routes them. The answer is still the envelope of
// the dialect the path belongs to, with a message that names the problem and what to do; over real
// HTTP, since fastify's inject never goes through the parser.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

const long = 'a'.repeat(20 * 1024)

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.token}`, ...headers } })
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() }
}

describe('a request head over 16 KB', () => {
  it('native: 431 with the error envelope naming the headers', async () => {
    const r = await get(`/api/v1/jobs?text=${long}`)
    expect(r.status).toBe(431)
    expect(r.type).toMatch(/^application\/json/)
    expect(r.body).toEqual({ error: { kind: 'too_large', code: 'headers_too_large', field: 'headers', message: expect.stringMatching(/larger than 16 KB.*send long values in the body/) } })
  })

  it('a big header (a cookie) on a Linkis path: Linkis’s envelope', async () => {
    const r = await get('/api/rest_j/v1/jobhistory/list', { cookie: `linkis_user_session_ticket_id_v1=${long}` })
    expect(r.status).toBe(431)
    expect(r.body).toMatchObject({ method: '/api/jobhistory/list', status: 1, data: {} })
    expect(r.body.message).toMatch(/headers are larger than 16 KB/)
  })

  it('tells a browser to drop its cookies only when its Cookie header is what is too large (a page on another port can bomb them)', async () => {
    const headOf = (headers: Record<string, string>, path = '/api/v1/jobs') => fetch(`${t.url}${path}`, { headers })
    const bombed = await headOf({ cookie: `a=${long}` })
    expect(bombed.status).toBe(431)
    expect(bombed.headers.get('clear-site-data')).toBe('"cookies"')
    const longUrl = await headOf({ cookie: 'linkis_user_session_ticket_id_v1=abc; other_app=1' }, `/api/v1/jobs?text=${long}`)
    expect(longUrl.status).toBe(431)
    // another site can navigate a browser to a long URL: its small cookies (this host's, other apps') stay
    expect(longUrl.headers.get('clear-site-data')).toBeNull()
  })

  it('Rill Flow and TuGraph paths: their own envelopes', async () => {
    const rill = await get(`/flow/get.json?execution_id=${long}`)
    expect(rill.body).toEqual({ error_code: expect.any(Number), error: expect.stringMatching(/larger than 16 KB/) })
    const tugraph = await fetch(`${t.url}/LGraphHttpService/Query/cypher`, { method: 'POST', headers: { authorization: long, 'content-type': 'application/json' }, body: '{}' })
    expect(tugraph.status).toBe(200) // TuGraph answers every error as HTTP 200
    expect(await tugraph.json()).toEqual({ errorCode: '400', errorMessage: expect.stringMatching(/larger than 16 KB/) })
  })

  it('a request that is not HTTP gets a 400 in the native envelope, and the server answers the next one', async () => {
    const { port } = new URL(t.url)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('HELLO /api/v1/health NOT-HTTP\r\n\r\n'))
      let text = ''
      socket.on('data', (d) => (text += d))
      socket.on('close', () => resolve(text))
      socket.on('error', reject)
    })
    const [head, body] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(JSON.parse(body)).toEqual({ error: { kind: 'invalid', code: 'bad_http', field: 'request', message: expect.stringMatching(/^the request is not valid HTTP\/1\.1/) } })
    expect((await t.call('GET', '/api/v1/health')).status).toBe(200)
  })
})
