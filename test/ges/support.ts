// What GES tests do as the GES SDK does: get an IAM token or sign with an access key, start
// import-graph and follow its status.
import { afterAll, beforeAll, expect } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { queryString, sdkSign } from './sdk-signer'

/** An IAM token as the GES SDK gets one (POST /v3/auth/tokens, password method, the user's own domain); the default admin's by default. */
export async function gesToken(url: string, name = 'admin', password = '73@TuGraph'): Promise<string> {
  const res = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name, password, domain: { name } } } }, scope: { project: { name: 'p' } } } }),
  })
  expect(res.status).toBe(201)
  return res.headers.get('x-subject-token')!
}

/**
 * Starts import-graph on `graph` (POST /v2/p1/graphs/:graph/import-graph with `body`, e.g.
 * `{ schema_path, vertexset_path }`) as `token` and polls its status every 500 ms until it has
 * ended; resolves with its job id and final status (`success`, `failed`, …).
 */
export async function importGraph(url: string, token: string, graph: string, body: Record<string, unknown>): Promise<{ jobId: string; status: string }> {
  const res = await fetch(`${url}/v2/p1/graphs/${graph}/import-graph`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: JSON.stringify(body),
  })
  const { job_id: jobId } = (await res.json()) as { job_id: string }
  for (;;) {
    const s = (await (await fetch(`${url}/v2/p1/graphs/${graph}/jobs/${jobId}/status`, { headers: { 'x-auth-token': token } })).json()) as { status: string }
    if (s.status !== 'running' && s.status !== 'pending') return { jobId, status: s.status }
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** POSTs `body` (JSON, or text as is with `contentType`) to the native API of `app` with its admin token. */
export const nativePost = (app: { url: string; token: string }, path: string, body: string | object, contentType = 'application/json'): Promise<Response> =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

/** A GES answer: status, body (parsed JSON, null when empty) and headers. */
export interface GesAnswer {
  status: number
  body: any
  headers: Headers
}

/** A test file's app with an access key of its admin's, and calls signed with it. */
export interface GesSdkSuite {
  t: TestApp
  /** The access key's id (AK) and secret (SK). */
  ak: string
  sk: string
  /** The Host the signature covers (the app's, host:port). */
  host: string
  /**
   * `method path?query` with `body` as JSON, signed as Huawei Cloud's SDK signs it (X-Project-Id
   * p1): with `key` instead of the suite's, `date` instead of now; `tamper` changes the URL or body
   * after signing.
   */
  signed(method: string, path: string, query?: [string, string][], body?: unknown, o?: { key?: [string, string]; date?: string; tamper?: (r: { url: string; body?: string }) => void }): Promise<GesAnswer>
}

/** Starts a JobDesk app for a test file and makes admin an access key ('python sdk') before its tests; closes the app after them. */
export function gesSdkSuite(): GesSdkSuite {
  const suite: GesSdkSuite = {
    async signed(method, path, query = [], body, o = {}) {
      const text = body === undefined ? undefined : JSON.stringify(body)
      const [a, s] = o.key ?? [suite.ak, suite.sk]
      const headers = sdkSign(a, s, { method, host: suite.host, path, query, body: text, date: o.date, headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' } })
      const r = { url: `${suite.t.url}${path}${queryString(query)}`, body: text }
      o.tamper?.(r)
      const res = await fetch(r.url, { method, headers, body: r.body })
      const raw = await res.text()
      return { status: res.status, body: raw ? JSON.parse(raw) : null, headers: res.headers }
    },
  } as GesSdkSuite
  beforeAll(async () => {
    suite.t = await startTestApp()
    suite.host = new URL(suite.t.url).host
    const made = await suite.t.call('POST', '/api/v1/access-keys', { description: 'python sdk' })
    expect(made.status).toBe(201)
    suite.ak = made.body.accessKey
    suite.sk = made.body.secretKey
  }, 60_000)
  afterAll(() => suite.t?.close())
  return suite
}
