// Attack (#9 §6, every dialect): a path parameter over fastify's 100 characters, or a malformed
// %-escape in the path, was refused with fastify's own sentence, which quotes the whole path:
// `'/ges/v1.0/p1/graphs/g1/jobs/xxxx…' is exceeding the max param length`. Measured over real HTTP
// (GES DELETE of a 5,000-character job id): a 5,100-character error message, and as long as the
// 16 KB head allows. The error is a 400 naming the url as its field, its message quoting at most a
// cut of the path (as every other message quotes a client's value: cut, not whole).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 120_000)
afterAll(() => t.close())

const LONG = 'x'.repeat(5000)
/** The longest message a refusal of a long path may send: its sentence and a cut of the path. */
const MAX_MESSAGE = 400

describe('attack: a path too long for its parameter, or with a malformed %-escape', () => {
  it('native: 400 bad_url, the message quoting a cut of the path', async () => {
    for (const path of [`/api/v1/jobs/${LONG}`, `/api/v1/jobs/%ff${LONG}`]) {
      const r = await t.call('GET', path)
      expect(r.status).toBe(400)
      expect(r.body.error).toMatchObject({ code: 'bad_url', field: 'url' })
      expect(r.body.error.message.length, r.body.error.message.slice(0, 100)).toBeLessThan(MAX_MESSAGE)
      expect(r.body.error.message).toMatch(/^'\/api\/v1\/jobs\/(%ff)?x+…' is (exceeding the max param length|not a valid url component)/)
    }
  })

  it('GES: the same in its envelope', async () => {
    const res = await fetch(`${t.url}/ges/v1.0/p1/graphs/g1/jobs/${LONG}`, { method: 'DELETE' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errorCode: string; errorMessage: string }
    expect(body.errorCode).toBe('GES.8000')
    expect(body.errorMessage.length).toBeLessThan(MAX_MESSAGE)
  })
})
