// #9.6: each malformed input the attack found answering a generic internal error now gets a 4xx in
// the envelope of the dialect that was called, naming the field; and a caller without credentials
// learns nothing about a body's schema, in any dialect.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_GONE } from '../../shared/errors'
import { startApp, type JobDeskApp } from '../../electron/app'
import { openStore } from '../../electron/store'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'

let t: TestApp
let auth: Record<string, string>
beforeAll(async () => {
  t = await startTestApp()
  auth = { authorization: `Bearer ${t.token}` }
  expect((await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).body.id).toBe(1) // job 1 exists
})
afterAll(() => t.close())

type Dialect = 'native' | 'linkis' | 'rillflow'
const json = { 'content-type': 'application/json' }
const deep = (n: number) => `{"context":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`
const huge = `"${'x'.repeat(17 * 1024 * 1024)}"`

/** The field a dialect's error names: native in `error.field`, Linkis and Rill Flow in the message. */
function expectEnvelope(dialect: Dialect, res: { statusCode: number; json(): any }, field: string): void {
  const body = res.json()
  expect(res.statusCode).toBeGreaterThanOrEqual(400)
  expect(res.statusCode).toBeLessThan(500)
  if (dialect === 'native') {
    expect(Object.keys(body)).toEqual(['error'])
    expect(body.error.kind).not.toBe('internal')
    expect(body.error.field).toBe(field)
  } else if (dialect === 'linkis') {
    expect(Object.keys(body).sort()).toEqual(['data', 'message', 'method', 'status'])
    expect(body.status).not.toBe(0)
    expect(body.message).not.toMatch(/operation failed/)
    expect(body.message.toLowerCase()).toContain(field.toLowerCase())
  } else {
    expect(Object.keys(body).filter((k) => k !== 'pass_through').sort()).toEqual(['error', 'error_code'])
    expect(body.error).not.toBe('internal server error')
    expect(body.error.toLowerCase()).toContain(field.toLowerCase())
  }
}

describe('malformed input gets its dialect’s envelope and a 4xx naming the field', () => {
  it.each<[string, Dialect, string, string, Record<string, string>, string | undefined, string]>([
    ['offset=1e20', 'native', 'GET', '/api/v1/jobs?offset=1e20', {}, undefined, 'offset'],
    ['a log position of 1e20', 'native', 'GET', '/api/v1/jobs/1/logs?from=1e20', {}, undefined, 'from'],
    ['pageNow=1e20', 'linkis', 'GET', '/api/rest_j/v1/jobhistory/list?pageNow=1e20', {}, undefined, 'pageNow'],
    ['fromLine=1e20', 'linkis', 'GET', '/api/rest_j/v1/entrance/1/log?fromLine=1e20', {}, undefined, 'fromLine'],
    ['page=1e20', 'rillflow', 'GET', '/flow/get_execution_ids.json?page=1e20', {}, undefined, 'page'],
    ['time=1e20', 'rillflow', 'GET', '/flow/get_execution_ids.json?time=1e20', {}, undefined, 'time'],
    ['a repeated query parameter', 'native', 'GET', '/api/v1/jobs?limit=1&limit=2', {}, undefined, 'limit'],
    ['a repeated query parameter', 'linkis', 'GET', '/api/rest_j/v1/jobhistory/list?status=Running&status=Failed', {}, undefined, 'status'],
    ['a repeated query parameter', 'rillflow', 'GET', '/flow/get.json?execution_id=a&execution_id=b', {}, undefined, 'execution_id'],
    ['a bad %-escape in the query', 'native', 'GET', '/api/v1/jobs?text=%E0%A4%A', {}, undefined, 'text'],
    ['a bad %-escape in the query', 'linkis', 'GET', '/api/rest_j/v1/jobhistory/list?creator=%ZZ', {}, undefined, 'creator'],
    ['a bad %-escape in the query', 'rillflow', 'GET', '/flow/get.json?execution_id=%FF', {}, undefined, 'execution_id'],
    ['a bad %-escape in the path', 'native', 'GET', '/api/v1/jobs/%E0%A4%A', {}, undefined, 'url'],
    ['a bad %-escape in the path', 'linkis', 'GET', '/api/rest_j/v1/entrance/%E0%A4%A/status', {}, undefined, 'url'],
    ['a bad %-escape in the path', 'rillflow', 'GET', '/flow/%E0%A4%A.json', {}, undefined, 'url'],
    ['a 17 MB body', 'native', 'POST', '/api/v1/jobs', json, huge, 'body'],
    ['a 17 MB body', 'linkis', 'POST', '/api/rest_j/v1/entrance/submit', json, huge, 'body'],
    ['a 17 MB body', 'rillflow', 'POST', '/flow/submit.json?descriptor_id=a:b', json, huge, 'body'],
    ['an unsupported content type', 'native', 'POST', '/api/v1/jobs', { 'content-type': 'application/xml' }, '<job/>', 'content-type'],
    ['an unsupported content type', 'linkis', 'POST', '/api/rest_j/v1/entrance/submit', { 'content-type': 'application/xml' }, '<job/>', 'content-type'],
    ['JSON nested 5,000 deep', 'native', 'POST', '/api/v1/workflows/submit', json, deep(5000), 'body'],
    ['JSON nested 5,000 deep', 'linkis', 'POST', '/api/rest_j/v1/entrance/submit', json, deep(5000), 'body'],
    ['JSON nested 5,000 deep', 'rillflow', 'POST', '/flow/mapping_evaluation.json', json, deep(5000), 'body'],
    ['broken JSON', 'native', 'POST', '/api/v1/jobs', json, '{"type":', 'body'],
    ['broken JSON', 'linkis', 'POST', '/api/rest_j/v1/entrance/submit', json, '{"type":', 'body'],
    ['a __proto__ key', 'native', 'POST', '/api/v1/jobs', json, '{"type":"script","__proto__":{"isAdmin":true}}', 'body'],
    ['non-object mapping rules', 'rillflow', 'POST', '/flow/mapping_evaluation.json', json, '{"mappings":[1,null,"x"]}', 'mappings[0]'],
    ['an unknown route', 'native', 'GET', '/api/v1/no-such-thing', {}, undefined, 'no route'],
    ['an unknown route', 'linkis', 'GET', '/api/rest_j/v1/entrance/no/such/thing', {}, undefined, 'no route'],
    ['an unknown route', 'rillflow', 'POST', '/flow/no_such_thing.json', {}, undefined, 'no route'],
  ])('%s (%s)', async (_what, dialect, method, url, headers, payload, field) => {
    const res = await t.app.server.inject({ method: method as 'GET', url, headers: { ...auth, ...headers }, payload })
    if (dialect === 'native' && field === 'no route') {
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('no_route')
      return
    }
    expectEnvelope(dialect, res, field)
  })

  it('an unknown route keeps its status: 404 in each envelope', async () => {
    const linkis = await t.app.server.inject({ method: 'GET', url: '/api/rest_j/v1/nope', headers: auth })
    expect(linkis.statusCode).toBe(404)
    expect(linkis.json()).toMatchObject({ method: '/api/nope', status: 1, data: {} })
    const rill = await t.app.server.inject({ method: 'GET', url: '/flow/nope.json' })
    expect(rill.statusCode).toBe(404)
    expect(rill.json()).toEqual({ error_code: 30101, error: 'no route GET /flow/nope.json' })
  })
})

describe('credentials are checked before the body', () => {
  it('native: a caller without a token gets 401, not the schema', async () => {
    for (const payload of ['{}', '{"type":', deep(5000)]) {
      const res = await t.app.server.inject({ method: 'POST', url: '/api/v1/jobs', headers: json, payload })
      expect(res.statusCode).toBe(401)
      expect(res.json().error).toMatchObject({ kind: 'unauthenticated', code: SESSION_GONE })
    }
    const big = await t.app.server.inject({ method: 'POST', url: '/api/v1/settings/server', headers: json, payload: huge })
    expect(big.statusCode).toBe(401)
  })

  it('Linkis: a caller without a session gets status -1, not a parse or validation error', async () => {
    for (const payload of ['{}', '{"executionContent":', huge]) {
      const res = await t.app.server.inject({ method: 'POST', url: '/api/rest_j/v1/entrance/submit', headers: json, payload })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ status: -1, message: expect.stringMatching(/not logged in/) })
    }
  })

  it('Rill Flow with a token required: 401 before the body is read', async () => {
    const dir = tempDir()
    const store = openStore(join(dir, 'jobdesk.db'))
    store.settings.set(SETTING_KEYS.rillflowRequireToken, true)
    store.close()
    let app: JobDeskApp | undefined
    try {
      app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
      for (const payload of ['{"mappings":[1]}', deep(5000), huge]) {
        const res = await app.server.inject({ method: 'POST', url: '/flow/mapping_evaluation.json', headers: json, payload })
        expect(res.statusCode).toBe(401)
        expect(res.json()).toMatchObject({ error_code: 30104 })
      }
    } finally {
      await app?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
