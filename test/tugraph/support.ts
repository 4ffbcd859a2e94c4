// A TuGraph REST client as TuGraph's own clients behave (tugraph-db: src/client/python/TuGraphClient/
// TuGraphRestClient.py, reference/tugraph.md §5): JSON bodies, the raw token in Authorization,
// 1 MiB upload chunks with File-Name/Begin-Pos/Size, import_progress polled until "2" or "3".
import { afterAll, beforeAll, expect } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

export const QUERY = '/LGraphHttpService/Query'
export const CHUNK = 1024 * 1024

export interface Answer {
  status: number
  body: any
  headers: Headers
}

export function tugraphClient(base: string, prefix = QUERY) {
  const client = {
    token: '',
    /** POSTs `body` as JSON (undefined: no body) with the client's token; `headers` override; `signal` hangs up (the promise rejects with its reason). */
    async post(method: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
      const res = await fetch(`${base}${prefix}/${method}`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(client.token ? { authorization: client.token } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // not JSON: the assertion that follows says so
      }
      return { status: res.status, body: parsed, headers: res.headers }
    },
    async login(userName = 'admin', password = '73@TuGraph'): Promise<string> {
      const r = await client.post('login', { userName, password })
      if (r.body?.errorCode !== '200') throw new Error(`login of ${userName}: ${JSON.stringify(r.body)}`)
      client.token = r.body.data.authorization
      return client.token
    },
    /** One chunk at `begin`. */
    chunk(name: string, begin: number, data: Buffer, size = data.length): Promise<Answer> {
      return client.post('upload_files', data, { 'content-type': 'application/octet-stream', 'File-Name': name, 'Begin-Pos': String(begin), Size: String(size) })
    },
    /** Uploads `content` in chunks of `chunkBytes`, in order as TuGraph's clients send them, each answer checked. */
    async upload(name: string, content: string | Buffer, chunkBytes = CHUNK): Promise<void> {
      const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
      const begins: number[] = []
      for (let at = 0; at < data.length; at += chunkBytes) begins.push(at)
      for (const at of begins) {
        const r = await client.chunk(name, at, data.subarray(at, at + chunkBytes))
        if (r.body?.errorCode !== '200') throw new Error(`upload ${name} at ${at}: ${JSON.stringify(r.body)}`)
      }
    },
    /** import_data, returning the task id (or throwing with the answer). */
    async importData(files: unknown[], options: Record<string, unknown> = {}): Promise<string> {
      const r = await client.post('import_data', { graph: 'default', delimiter: ',', continueOnError: false, skipPackages: '0', schema: { files }, ...options })
      if (r.body?.errorCode !== '200') throw new Error(`import_data: ${JSON.stringify(r.body)}`)
      return r.body.data.taskId
    },
    /** Polls import_progress as TuGraph's browser does until the state is "2" or "3"; checks every answer on the way. */
    async waitImport(taskId: string, timeoutMs = 20_000): Promise<any> {
      const end = Date.now() + timeoutMs
      for (;;) {
        const r = await client.post('import_progress', { taskId })
        if (r.body?.errorCode !== '200') throw new Error(`import_progress: ${JSON.stringify(r.body)}`)
        const data = r.body.data
        if (data.state === '2' || data.state === '3') return data
        if (data.state !== '1' || typeof data.progress !== 'string' || !(Number(data.progress) >= 0 && Number(data.progress) <= 1)) {
          throw new Error(`import_progress while running: ${JSON.stringify(data)}`)
        }
        if (Date.now() > end) throw new Error(`import ${taskId} still running: ${JSON.stringify(data)}`)
        await new Promise((res) => setTimeout(res, 25))
      }
    },
  }
  return client
}

export type TuGraphClient = ReturnType<typeof tugraphClient>

/** A test app and a TuGraph client of it signed in as the admin: tugraphAppSuite's. */
export interface TuGraphAppSuite {
  t: TestApp
  tg: TuGraphClient
}

/**
 * An in-process test app (startTestApp, with `options`) for the test file it is called in and a TuGraph
 * client of it logged in as the default admin: started before its tests and closed after (120 s allowed
 * each: a busy machine starts graph workers slowly). The fields are set once that beforeAll has run:
 * take them in a later beforeAll (`beforeAll(() => ({ t, tg } = suite))`) or read them in the tests.
 */
export function tugraphAppSuite(options: Parameters<typeof startTestApp>[0] = {}): TuGraphAppSuite {
  const suite = {} as TuGraphAppSuite
  beforeAll(async () => {
    suite.t = await startTestApp(options)
    suite.tg = tugraphClient(suite.t.url)
    await suite.tg.login()
  }, 120_000)
  afterAll(() => suite.t?.close(), 120_000)
  return suite
}


/** An error in TuGraph's envelope: HTTP 200, errorCode a string, errorMessage, and no data key. */
export function expectError(a: Answer, code: '400' | '401' | '500', message?: string | RegExp): void {
  expect(a.status).toBe(200)
  expect(a.body).toEqual({ errorCode: code, errorMessage: message === undefined ? expect.any(String) : typeof message === 'string' ? message : expect.stringMatching(message) })
}

/** A success in TuGraph's envelope; returns its data. */
export function expectOk(a: Answer): any {
  expect(a.status).toBe(200)
  expect(a.body).toMatchObject({ errorCode: '200', errorMessage: '' })
  expect(Object.keys(a.body).sort()).toEqual(['data', 'errorCode', 'errorMessage'])
  return a.body.data
}
