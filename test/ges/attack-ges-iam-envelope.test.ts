// Attack (#9 §6, GES dialect's IAM token call): POST /v3/auth/tokens answers its own refusals in
// Keystone's envelope, `{"error": {"code", "title", "message"}}`, as Huawei Cloud's IAM does and as
// the SDKs and curl scripts read it. An error raised before its handler ran (a body over its 64 KiB)
// was sent in GES's data-plane envelope instead,
// `{"errorMessage", "errorCode": "GES.8000"}` (measured over real HTTP: 413 for a 300 KB body), which
// an IAM client reads as an error with no message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 120_000)
afterAll(() => t.close())

const tokens = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('attack: POST /v3/auth/tokens refused before its handler', () => {
  it('a body over its limit is a 413 in Keystone’s envelope', async () => {
    const res = await tokens(JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'x'.repeat(300_000) } } } } }))
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ error: { code: 413, title: 'Payload Too Large', message: expect.stringMatching(/too large/) } })
  })

  it('its handler’s own refusals keep the envelope (a wrong password, a malformed body)', async () => {
    expect(await (await tokens('{')).json()).toMatchObject({ error: { code: 400, title: 'Bad Request' } })
    const wrong = await tokens(JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'nope-nope' } } } } }))
    expect({ status: wrong.status, body: await wrong.json() }).toEqual({ status: 401, body: { error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong.' } } })
  })
})
