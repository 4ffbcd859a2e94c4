// rill-flow-ui as it calls JobDesk: login.json, then the token as a bare `Authorization` header
// (its axios has no authentication scheme), GETs with its cache-busting `_t`; the flow-graph micro app
// sends no header and relies on the session cookie login.json set.
import type { TestApp } from '../support/app'

export interface ConsoleAnswer {
  status: number
  body: any
  headers: Headers
}

export interface ConsoleClient {
  token: string
  /** The session cookie login.json set (`rillflow_session=…`). */
  cookie: string
  /** A console call with `Authorization: <token>`; GETs get `_t` as the UI adds it. */
  call(method: string, path: string, body?: unknown): Promise<ConsoleAnswer>
  /** A call as the micro app makes it: the cookie only. */
  micro(method: string, path: string, body?: unknown, contentType?: string): Promise<ConsoleAnswer>
}

export async function send(url: string, method: string, headers: Record<string, string>, body?: unknown, contentType = 'application/json'): Promise<ConsoleAnswer> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

const withTimestamp = (path: string) => `${path}${path.includes('?') ? '&' : '?'}_t=${Date.now()}`

export async function consoleLogin(t: TestApp, username: string, password: string): Promise<ConsoleClient> {
  const r = await send(`${t.url}/flow/bg/user/login.json`, 'POST', {}, { username, password })
  if (r.status !== 200) throw new Error(`login.json: ${r.status} ${JSON.stringify(r.body)}`)
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]
  const token = r.body.token as string
  return {
    token,
    cookie,
    call: (method, path, body) => send(`${t.url}${method === 'GET' ? withTimestamp(path) : path}`, method, { authorization: token }, body),
    micro: (method, path, body, contentType) => send(`${t.url}${path}`, method, { cookie }, body, contentType),
  }
}
