// #9 (verification, error codes): a 404 names the missing thing with a snake_case code that clients
// can match on, also for things named in two words (access key, result set, saved script, algorithm
// job), and the codes clients already depend on (job_not_found) keep their spelling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
let job = 0
beforeAll(async () => {
  t = await startTestApp()
  job = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1 as x' })).body.id
  await waitForStatus(t, job, ['succeeded'])
})
afterAll(() => t?.close())

describe('404 codes', () => {
  it.each([
    ['an access key', 'POST', '/api/v1/access-keys/NOSUCHKEY0000000000/revoke', 'access_key_not_found'],
    ['a result set', 'GET', () => `/api/v1/jobs/${job}/results/7`, 'result_set_not_found'],
    ['a saved script', 'GET', '/api/v1/saved-scripts/script?path=nothing/here.sql', 'saved_script_not_found'],
    ['an algorithm job', 'GET', () => `/api/v1/algorithms/jobs/${job}`, 'algorithm_job_not_found'],
    ['a job', 'GET', '/api/v1/jobs/99999', 'job_not_found'],
  ])('names %s in snake_case', async (_what, method, path, code) => {
    const r = await t.call(method, typeof path === 'function' ? path() : path)
    expect(r.status).toBe(404)
    expect(r.body.error).toMatchObject({ kind: 'not_found', code })
    expect(r.body.error.code).toMatch(/^[a-z]+(_[a-z]+)*$/)
  })
})
