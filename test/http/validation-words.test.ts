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

  it('says what a body that is no object is', async () => {
    expect((await refusal('POST', '/api/v1/saved-scripts/move', [1])).message).toBe('body must be an object')
  })
})
