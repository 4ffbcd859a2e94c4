// What GES tests do as the GES SDK does: get an IAM token, start import-graph and follow its status.
import { expect } from 'vitest'

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
