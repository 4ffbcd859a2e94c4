import { API_DOCS_PATH, EVENTS_PATH, fillRoutePath, HTTP_ROUTES, LOGIN_PATH, LOGOUT_PATH, routeQuery, type OperationName, type Params, type Result } from '../../../shared/api'
import { ACCOUNT_DISABLED, endsSession, type ErrorBody } from '../../../shared/errors'
import { SESSION_ENDED_EVENT, type AppEvent, type SessionEnded } from '../../../shared/events'
import { TOTAL_HEADER, withTotal } from '../../../shared/listed-total'
import type { UserView } from '../../../shared/model'
import { connectionReport, type ConnectionReport } from './connection'
import { ApiError, type Transport } from './transport'

/** How often the event stream tries again while the server is away. */
const RETRY_MS = { first: 500, max: 2000 }

/** fetch, with a network failure reported (to `report`) as the server being unreachable (not a raw "Failed to fetch"). */
async function reach(url: string, init: RequestInit, report: ConnectionReport): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    report.lost()
    throw new ApiError({ kind: 'unavailable', code: 'unreachable', message: 'JobDesk is not reachable; reconnecting…' })
  }
}

async function readError(res: Response): Promise<ErrorBody> {
  try {
    const body = (await res.json()) as { error?: ErrorBody }
    if (body.error) return body.error
  } catch {
    // not JSON: fall through
  }
  return { kind: 'internal', code: `http_${res.status}`, message: `${res.status} ${res.statusText}` }
}

export async function login(baseUrl: string, username: string, password: string): Promise<{ token: string; user: UserView }> {
  const res = await fetch(`${baseUrl}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!res.ok) throw new ApiError(await readError(res))
  return (await res.json()) as { token: string; user: UserView }
}

/** Revokes the token on the server (sign-out); a token already gone is fine. */
export async function logout(baseUrl: string, token: string): Promise<void> {
  await fetch(`${baseUrl}${LOGOUT_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
}

/**
 * HTTP to the native API with a bearer token; events over a streamed fetch (EventSource cannot send
 * headers). `onUnauthorized` runs when the server says the session is gone (shared/errors.ts
 * endsSession), with the reason the server gave, if any (a disabled account).
 */
export function createHttpTransport(baseUrl: string, token: string, onUnauthorized: (reason?: string) => void): Transport {
  const headers = { authorization: `Bearer ${token}` }
  const report = connectionReport()
  return {
    kind: 'http',
    async send<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>> {
      const route = HTTP_ROUTES[name]
      const { url, rest } = fillRoutePath(route.path, (params ?? {}) as Record<string, unknown>)
      let target = `${baseUrl}${url}`
      const init: RequestInit = { method: route.method, headers: { ...headers } }
      const query = (fields: Record<string, unknown>) => {
        target += routeQuery(fields)
      }
      if (route.body === 'raw') {
        // bytes as the body, everything else in the query (a file chunk: shared/graph-api.ts)
        const { data, ...fields } = rest
        query(fields)
        init.headers = { ...headers, 'content-type': 'application/octet-stream' }
        init.body = data as Uint8Array<ArrayBuffer>
      } else if (route.method === 'GET' || route.method === 'DELETE') {
        query(rest)
      } else {
        init.headers = { ...headers, 'content-type': 'application/json' }
        init.body = JSON.stringify(rest)
      }
      const res = await reach(target, init, report)
      if (!res.ok) {
        const error = await readError(res)
        // only "this session is gone" signs out; a wrong password on a form is that form's error
        if (endsSession(res.status, error.code)) onUnauthorized(sessionEndReason(error))
        throw new ApiError(error)
      }
      const body = (await res.json()) as Result<K>
      // a list page's total (a workflow list's: how many there are beyond the page) rides on its array
      const total = res.headers.get(TOTAL_HEADER)
      return Array.isArray(body) && total !== null ? (withTotal({ items: body, total: Number(total) }) as Result<K>) : body
    },
    subscribe(listener) {
      const controller = new AbortController()
      void streamEvents(`${baseUrl}${EVENTS_PATH}`, headers, listener, controller.signal, onUnauthorized, report)
      return () => controller.abort()
    },
    apiDocsUrl: () => Promise.resolve(`${baseUrl}${API_DOCS_PATH}`), // the server serving this page serves them
  }
}

async function streamEvents(
  url: string,
  headers: Record<string, string>,
  listener: (e: AppEvent) => void,
  signal: AbortSignal,
  onUnauthorized: (reason?: string) => void,
  report: ConnectionReport,
): Promise<void> {
  let delay = RETRY_MS.first
  let interrupted = false
  while (!signal.aborted) {
    try {
      const res = await reach(url, { headers, signal }, report)
      if (res.status === 401) return onUnauthorized(sessionEndReason(await readError(res)))
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`)
      delay = RETRY_MS.first
      if (interrupted) report.restored()
      else report.reached()
      interrupted = true // from here on, an end of the stream is an interruption
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const ended = endedBecause(block)
          if (ended !== null) return onUnauthorized(ended)
          const event = parseEvent(block)
          if (event) listener(event)
        }
      }
    } catch {
      if (signal.aborted) return
      // a refused or failed attempt missed events too (e.g. refused until an admin-set password is changed)
      interrupted = true
    }
    await new Promise((r) => setTimeout(r, delay)) // reconnect, backing off a little
    delay = Math.min(delay * 2, RETRY_MS.max)
  }
}

/** The reason a 401 gives for ending the session, when it gives one (a disabled account), else undefined. */
export const sessionEndReason = (error: ErrorBody): string | undefined => (error.code === ACCOUNT_DISABLED ? error.message : undefined)

/** The reason of a SESSION_ENDED_EVENT block (the server ends the stream after it), or null for any other block. */
function endedBecause(block: string): string | null {
  if (!block.startsWith(`event: ${SESSION_ENDED_EVENT}\n`)) return null
  try {
    return String((JSON.parse(block.slice(block.indexOf('data: ') + 6)) as SessionEnded).reason)
  } catch {
    return ''
  }
}

function parseEvent(block: string): AppEvent | null {
  let type = ''
  let data = ''
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) type = line.slice(7)
    else if (line.startsWith('data: ')) data += line.slice(6)
  }
  return type && data ? ({ type, data: JSON.parse(data) } as AppEvent) : null
}
