// #9 §6: an integer query parameter is plain decimal digits, with a leading `-` only where negatives
// are valid, in every dialect: `0x10`, `2e0`, `+1`, ` 5`, `5 `, `1.0` and `-0` where no negative is
// allowed are refused with a 4xx naming the parameter in the dialect's envelope (they were coerced to
// a number before: Ajv's coerceTypes for the native API, trimming parsers in Rill Flow and Linkis),
// as path ids already are (ids.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
let auth: Record<string, string>
beforeAll(async () => {
  t = await startTestApp()
  auth = { authorization: `Bearer ${t.token}` }
  expect((await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).body.id).toBe(1) // job 1 exists
})
afterAll(() => t.close())

type Dialect = 'native' | 'linkis' | 'rillflow'

const get = (url: string) => t.app.server.inject({ method: 'GET', url, headers: auth })

/** The spellings of a number that are not plain decimal digits (each as it goes into a URL). */
const SPELLINGS = ['0x10', '2e0', '%2B1', '%205', '5%20', '1.0', '0b1', '1_0']

/** Each route with an integer query parameter `{}` stands for, and what a plain value gives there. */
const ROUTES: [Dialect, string, string][] = [
  ['native', '/api/v1/jobs?limit={}', 'limit'],
  ['native', '/api/v1/jobs?offset={}', 'offset'],
  ['native', '/api/v1/jobs/1/logs?from={}', 'from'],
  ['native', '/api/v1/jobs/1/tasks?limit={}', 'limit'],
  ['rillflow', '/flow/get_execution_ids.json?service_id=shop:order&page={}', 'page'],
  ['rillflow', '/flow/get_execution_ids.json?service_id=shop:order&count={}', 'count'],
  ['rillflow', '/flow/get_execution_count.json?service_id=shop:order&start_time_offset={}', 'start_time_offset'],
  ['rillflow', '/flow/bg/get_execution_ids.json?page={}', 'page'],
  ['linkis', '/api/rest_j/v1/jobhistory/list?pageNow={}', 'pageNow'],
  ['linkis', '/api/rest_j/v1/jobhistory/list?pageSize={}', 'pageSize'],
  ['linkis', '/api/rest_j/v1/entrance/1/log?fromLine={}', 'fromLine'],
]

/** The field a dialect's error names: native in `error.field`, Linkis and Rill Flow in the message. */
function expectRefusal(dialect: Dialect, res: { statusCode: number; json(): any }, field: string): void {
  const body = res.json()
  expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
  expect(res.statusCode).toBeLessThan(500)
  if (dialect === 'native') {
    expect(Object.keys(body)).toEqual(['error'])
    expect(body.error).toMatchObject({ kind: 'invalid', field })
  } else if (dialect === 'linkis') {
    expect(Object.keys(body).sort()).toEqual(['data', 'message', 'method', 'status'])
    expect(body.status).not.toBe(0)
    expect(body.message).toContain(field)
  } else {
    expect(Object.keys(body).filter((k) => k !== 'pass_through').sort()).toEqual(['error', 'error_code'])
    expect(body.error).toContain(field)
  }
}

describe('integer query parameters take plain decimal digits only', () => {
  it.each(ROUTES)('%s %s: a plain number is taken', async (_dialect, url) => {
    const res = await get(url.replace('{}', '16'))
    expect(res.statusCode, res.body).toBe(200)
  })

  it.each(ROUTES)('%s %s: other spellings are refused naming %s', async (dialect, url, field) => {
    for (const spelling of SPELLINGS) {
      const res = await get(url.replace('{}', spelling))
      expect(res.statusCode, `${spelling}: ${res.body}`).not.toBe(200)
      expectRefusal(dialect, res, field)
    }
  })

  it('a plain number out of the schema’s range is still refused by the schema (native)', async () => {
    for (const url of ['/api/v1/jobs?limit=0', '/api/v1/jobs/1/logs?size=5001', '/api/v1/jobs/1/tasks?limit=99999999999999999']) {
      const res = await get(url)
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400)
      expect(res.json().error).toMatchObject({ kind: 'invalid', field: url.includes('size') ? 'size' : 'limit' })
    }
  })

  it('a leading - is refused where no negative is valid, taken where one is', async () => {
    expectRefusal('native', await get('/api/v1/jobs?offset=-0'), 'offset')
    expectRefusal('native', await get('/api/v1/jobs?limit=-1'), 'limit')
    expectRefusal('rillflow', await get('/flow/get_execution_ids.json?page=-1'), 'page')
    expectRefusal('linkis', await get('/api/rest_j/v1/jobhistory/list?pageNow=-1'), 'pageNow')
    // Rill Flow's start_time_offset and Linkis's fromLine are Java ints: a negative is valid there
    expect((await get('/flow/get_execution_count.json?service_id=shop:order&start_time_offset=-5')).statusCode).toBe(200)
    expect((await get('/api/rest_j/v1/entrance/1/log?fromLine=-5')).statusCode).toBe(200)
    expectRefusal('rillflow', await get('/flow/get_execution_count.json?start_time_offset=%2D%205'), 'start_time_offset')
    expectRefusal('linkis', await get('/api/rest_j/v1/entrance/1/log?fromLine=--5'), 'fromLine')
  })
})
