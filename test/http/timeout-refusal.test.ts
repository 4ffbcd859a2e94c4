// A script job's timeout is checked in one place (#9 LOW): every bad value, whatever its range, gets the
// same code and the same message naming the field and the range, over the native API, IPC's service
// call and Linkis's jobRunningTimeout label (in the Message envelope).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SCRIPT_TIMEOUT_SECONDS } from '../../shared/api'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t.close())

const RANGE = `must be a number of seconds greater than 0 and at most ${MAX_SCRIPT_TIMEOUT_SECONDS} (7 days)`
const job = { type: 'script', language: 'shell', code: 'echo hi' }

describe('timeoutSeconds: one check, one code, one message', () => {
  it.each([0, -1, null, '10', MAX_SCRIPT_TIMEOUT_SECONDS + 1, 1e20, true])('native submit with timeoutSeconds %j → bad_timeout naming the range', async (timeoutSeconds) => {
    const res = await t.call('POST', '/api/v1/jobs', { ...job, timeoutSeconds })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatchObject({ kind: 'invalid', code: 'bad_timeout', field: 'timeoutSeconds', message: `timeoutSeconds ${RANGE}` })
  })

  it('the operation the desktop window calls over IPC says the same', async () => {
    const actor = { username: 'admin', isAdmin: true } as never
    for (const timeoutSeconds of [0, MAX_SCRIPT_TIMEOUT_SECONDS + 1]) {
      await expect(async () => t.app.handlers['jobs.submit']({ ...job, timeoutSeconds } as never, actor)).rejects.toMatchObject({ code: 'bad_timeout', message: `timeoutSeconds ${RANGE}` })
    }
  })

  it('the range itself is taken', async () => {
    for (const timeoutSeconds of [0.5, MAX_SCRIPT_TIMEOUT_SECONDS]) {
      const res = await t.call('POST', '/api/v1/jobs', { ...job, timeoutSeconds })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
  })

  it.each(['-1', String(MAX_SCRIPT_TIMEOUT_SECONDS + 1), 'soon'])('Linkis jobRunningTimeout %j → the same words in the Message envelope (0 is none)', async (jobRunningTimeout) => {
    const linkis = linkisClient(t.url)
    await linkis.login()
    const r = await linkis.call('POST', '/entrance/submit', { executionContent: { code: 'echo hi', runType: 'sh' }, labels: { engineType: 'shell-1', jobRunningTimeout } })
    expect(r.status).toBe(412)
    expect(r.body).toMatchObject({ status: 2, data: {} })
    expect(r.body.message).toContain(`labels.jobRunningTimeout ${RANGE}, or 0 for none; not ${JSON.stringify(jobRunningTimeout)}`)
  })
})
