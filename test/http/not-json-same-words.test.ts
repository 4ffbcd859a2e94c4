// New-user LOW (#9): a body that is not JSON was refused in different words by each dialect: the native
// API and Rill Flow say "body is not valid JSON: <where the parser stopped>" (client-json.ts
// notJsonMessage), TuGraph said "the request body is not valid JSON: <V8's message, quoting the body>"
// and GES "the request body is not valid JSON" with no position (IAM: "The request body is not JSON.").
// Every dialect now says notJsonMessage's words, each in its own envelope.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { gesToken } from '../ges/support'
import { tugraphClient } from '../tugraph/support'
import { INLINE_JSON_CHARS } from '../../electron/services/json-parser'

let t: TestApp
const suite = appSuite()
beforeAll(() => ({ t } = suite))

const NOT_JSON = '{city: 1}'
const WORDS = /^body is not valid JSON: Expected property name or '\}' in JSON at position 1(?: \(line 1 column 2\))?$/
const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  return { status: r.status, body: (await r.json()) as any }
}

describe('a body that is not JSON', () => {
  it('native: the words every dialect says', async () => {
    const r = await t.call('POST', '/api/v1/jobs', NOT_JSON)
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(WORDS)
  })

  it('TuGraph: the same words in its envelope, short and long bodies alike, none of the body echoed', async () => {
    const c = tugraphClient(t.url)
    await c.login()
    const short = await c.post('import_schema', NOT_JSON)
    expect(short.body).toEqual({ errorCode: '400', errorMessage: expect.stringMatching(WORDS) })
    const long = await c.post('import_schema', `{city: "${'x'.repeat(INLINE_JSON_CHARS)}"}`)
    expect(long.body).toEqual(short.body)
    const login = await c.post('login', NOT_JSON)
    expect(login.body.errorMessage).toMatch(WORDS)
  })

  it('GES: the same words in its envelopes (v2 and IAM’s token call)', async () => {
    const token = await gesToken(t.url)
    const v2 = await post('/v2/p1/graphs/default/import-graph', NOT_JSON, { 'x-auth-token': token })
    expect(v2.status).toBe(400)
    expect(v2.body).toMatchObject({ error_code: 'GES.8000', error_msg: expect.stringMatching(WORDS) })
    const iam = await post('/v3/auth/tokens', NOT_JSON)
    expect(iam.status).toBe(400)
    expect(iam.body.error.message).toMatch(WORDS)
  })
})
