// Refusals of the request schemas in words (#13.6): the message names the field first and says what
// it allows ("retries must be a whole number from 0 to 10"), instead of JSON Schema's keywords
// and regexes; every dialect's envelope and the app's forms show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t.close())

/** The error envelope of a refused call. */
async function refusal(method: string, path: string, body?: unknown): Promise<{ code: string; field?: string; message: string }> {
  const res = await t.call(method, path, body)
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  return res.body.error
}

describe('schema refusals in words', () => {
  it('names the field and says what it allows', async () => {
    const job = { type: 'script', language: 'shell', code: 'echo hi' }
    expect(await refusal('POST', '/api/v1/jobs', { ...job, retries: -1 })).toEqual({
      kind: 'invalid',
      code: 'invalid_request',
      field: 'retries',
      message: 'retries must be a whole number from 0 to 10',
    })
    // timeoutSeconds has one check of its own, whatever the value (timeout-refusal.test.ts)
    expect((await refusal('POST', '/api/v1/jobs', { ...job, timeoutSeconds: 0 })).message).toMatch(/^timeoutSeconds must be a number of seconds greater than 0 and at most \d+ \(7 days\)$/)
    expect((await refusal('POST', '/api/v1/jobs', { ...job, retries: 11 })).message).toBe('retries must be a whole number from 0 to 10')
    expect((await refusal('POST', '/api/v1/jobs', { ...job, language: 'cobol' })).message).toMatch(/^language must be one of "shell", /)
    expect((await refusal('POST', '/api/v1/jobs', { type: 'script', language: 'shell' })).message).toBe('code is required')
    expect((await refusal('POST', '/api/v1/graphs', { graph: 'g'.repeat(80) })).message).toBe('graph must be 1 to 64 characters')
    expect((await refusal('POST', '/api/v1/saved-scripts/move', { from: 'a', to: '' })).message).toBe('to must not be empty')
    expect((await refusal('POST', '/api/v1/saved-scripts/move', { from: 'a', to: 'b', x: 1 })).message).toBe('body has a field "x" that is not taken here')
    const alias = await refusal('POST', '/api/v1/workflows', { text: 'x', alias: 'bad alias!' })
    expect(alias).toMatchObject({ field: 'alias', message: 'alias may have only letters and digits (A–Z, a–z, 0–9), no spaces or other signs' })
    // an integer query parameter is refused before Ajv coerces it (validation.ts): what came is said too
    expect((await refusal('GET', '/api/v1/jobs?limit=abc')).message).toMatch(/^limit must be a whole number from 1 to \d+ in plain decimal digits, not "abc"$/)
  })

  // a new user's attack: a misspelt field was dropped silently, so `timeoutSecond: 60` ran with the one-day default
  it('refuses a field a native write does not take, naming it, with the field meant where one is close', async () => {
    const job = { type: 'script', language: 'shell', code: 'echo hello' }
    expect(await refusal('POST', '/api/v1/jobs', { ...job, timeoutSecond: 60 })).toEqual({
      kind: 'invalid',
      code: 'invalid_request',
      field: 'timeoutSecond',
      message: 'body has a field "timeoutSecond" that is not taken here; did you mean "timeoutSeconds"?',
    })
    expect(await refusal('POST', '/api/v1/jobs', { ...job, bogus: 1 })).toMatchObject({ field: 'bogus', message: 'body has a field "bogus" that is not taken here' })
    expect((await refusal('POST', '/api/v1/jobs', { ...job, priority: 'high' })).field).toBe('priority')
    // the other native writes whose bodies took anything
    expect((await refusal('POST', '/api/v1/me/password', { oldPassword: 'a', newPassword: 'abcdefgh', confirm: 'abcdefgh' })).field).toBe('confirm')
    expect((await refusal('POST', '/api/v1/workflows/validate', { text: 'x', alias: 'a' })).field).toBe('alias')
    expect((await refusal('POST', '/api/v1/workflows', { text: 'x', aliass: 'a' })).message).toBe('body has a field "aliass" that is not taken here; did you mean "alias"?')
    expect((await refusal('POST', '/api/v1/workflows/submit', { descriptorId: 'x', contxt: {} })).field).toBe('contxt')
    expect((await refusal('POST', '/api/v1/executions/1/redo', { task: ['a'] })).message).toBe('body has a field "task" that is not taken here; did you mean "tasks"?')
    expect((await refusal('POST', '/api/v1/settings/server', { allowRemote: false, allowedHosts: [], allowedOrigins: [], rillflowRequireToken: false, rillflowTokenRequiredByUsers: false })).field).toBe('rillflowTokenRequiredByUsers')
    expect((await refusal('POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: {}, proxyUser: {} })).message).toBe('body has a field "proxyUser" that is not taken here; did you mean "proxyUsers"?')
    expect((await refusal('POST', '/api/v1/graphs/default/schema', { schema: [], graph: 'default' })).field).toBe('graph')
    // a field inside a nested object is named by its whole path
    expect((await refusal('POST', '/api/v1/saved-scripts', { path: 'a', language: 'shell', code: '', expect: { id: 1, updatedAt: 0, x: 1 } })).field).toBe('expect.x')
    // the fields each route takes still pass (a cypher script names its graph)
    expect((await t.call('POST', '/api/v1/jobs', { ...job, name: 'n', timeoutSeconds: 60, retries: 0, variables: {} })).status).toBe(201)
    expect((await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'cypher', code: 'RETURN 1', graph: 'default' })).status).toBe(201)
  })

  it('says what a body that is no object is', async () => {
    expect((await refusal('POST', '/api/v1/saved-scripts/move', [1])).message).toBe('body must be an object')
  })
})
