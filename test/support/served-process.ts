// The app in its own process (test/support/serve-worker.ts), for tests that must see it survive:
// hostile input, kill -9 and restart on the same data, and a status probe that keeps answering.
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, expect } from 'vitest'
import { supportScriptArgs } from './support-script'
import { tempDir } from './temp-store'

export interface ServedProcess {
  url: string
  child: ChildProcess
  /** Bearer token of the default admin. */
  token: string
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string | null>
  kill(signal?: NodeJS.Signals): Promise<void>
}

/** Starts the app on `dataDir` in a child process and signs in as the default admin. */
export async function startServedProcess(dataDir: string): Promise<ServedProcess> {
  const child = spawn(process.execPath, [...supportScriptArgs('serve-worker'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<number | string | null>((ok) => child.once('exit', (code, signal) => ok(code ?? signal)))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the app did not print its URL within 60 s')), 60_000) // a loaded CI machine is slow to start it
    void exited.then((code) => fail(new Error(`the app exited (${code}) before listening`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      ok(line.trim())
    })
  })
  const login = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }),
  })
  const { token } = (await login.json()) as { token: string }
  return {
    url,
    child,
    token,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}

/** The app of one test file: the process started last on the file's data dir. */
export interface ServedApp extends ServedProcess {
  /** The file's data dir, removed after its tests. */
  readonly dir: string
  /** Starts the app on `dir` (again, after `kill`: a restart on the same data). */
  start(): Promise<void>
}

/**
 * One app in its own process for a test file, on a fresh data dir: started before the file's tests
 * (with `{ start: false }`, by the test calling `start()`), killed after them, and its data removed.
 * `url`, `token`, `child` and `exited` are those of the process started last; reading them before a
 * start throws. `timeoutMs` bounds the start before the tests (the config's hookTimeout by default).
 */
export function servedProcessSuite(o: { start?: boolean; timeoutMs?: number } = {}): ServedApp {
  const dir = tempDir()
  let current: ServedProcess | undefined
  const now = (): ServedProcess => {
    if (!current) throw new Error('the app is not started yet: call start() first')
    return current
  }
  const app: ServedApp = {
    dir,
    get url() {
      return now().url
    },
    get token() {
      return now().token
    },
    get child() {
      return now().child
    },
    get exited() {
      return now().exited
    },
    async kill(signal) {
      await current?.kill(signal)
    },
    async start() {
      current = await startServedProcess(dir)
    },
  }
  if (o.start !== false) beforeAll(() => app.start(), o.timeoutMs)
  afterAll(async () => {
    await current?.kill()
    rmSync(dir, { recursive: true, force: true })
  })
  return app
}

export interface ProbeReport {
  /** Probes sent while the work ran. */
  count: number
  /** The slowest answer (ms), or Infinity when a probe got no answer at all. */
  maxMs: number
  /** The answer time (ms) 99% of probes beat (Infinity when a probe got no answer). */
  p99Ms: number
  failures: string[]
}

// The probe loop runs in a worker thread of its own: measured from the test's main thread, a probe
// also waited for whatever the test itself was doing (building a 200,000-item body, reading a large
// answer), and such waits were counted against the server (a 767 ms probe while the server's own
// stall watch saw nothing over 220 ms). CommonJS, evaluated as is: no loader needed.
const PROBE_LOOP = `
const { parentPort, workerData: { url, token, everyMs } } = require('node:worker_threads')
let running = true
parentPort.once('message', () => (running = false))
const times = []
const failures = []
const probe = () => fetch(url + '/api/v1/health', { headers: { authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(5000) })
;(async () => {
  // unmeasured: the thread's first fetch loads the HTTP client and opens a connection (100 ms and more on a loaded machine)
  await probe().then((res) => res.arrayBuffer(), () => undefined)
  parentPort.postMessage({ type: 'ready' })
  while (running) {
    const started = performance.now()
    try {
      const res = await probe()
      await res.arrayBuffer()
      if (res.status !== 200) failures.push('health answered ' + res.status)
      times.push(performance.now() - started)
    } catch (e) {
      failures.push(String(e))
      times.push(Infinity)
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
  parentPort.postMessage({ type: 'report', times, failures })
})()
`

/**
 * Sends an authenticated `GET /api/v1/health` every `everyMs` while `work` runs and reports the slowest
 * answer. The measure: a status probe answers in under 200 ms whatever else the server does.
 * The probes come from a worker thread (PROBE_LOOP), a client that does nothing else.
 */
export async function probeWhile<T>(url: string, token: string, work: () => Promise<T>, everyMs = 50): Promise<{ result: T; probe: ProbeReport }> {
  const prober = new Worker(PROBE_LOOP, { eval: true, workerData: { url, token, everyMs } })
  type ProbeMessage = { type: 'ready' } | { type: 'report'; times: number[]; failures: string[] }
  const next = (type: ProbeMessage['type']) =>
    new Promise<ProbeMessage>((ok, fail) => {
      const onMessage = (m: ProbeMessage) => {
        if (m.type !== type) return
        prober.off('message', onMessage)
        ok(m)
      }
      prober.on('message', onMessage)
      prober.once('error', fail)
    })
  await next('ready') // the work starts once probes are being measured
  const answered = next('report') as Promise<{ times: number[]; failures: string[] }>
  try {
    const result = await work()
    return { result, probe: await stopProbes() }
  } catch (e) {
    await stopProbes().catch(() => undefined)
    throw e
  }

  async function stopProbes(): Promise<ProbeReport> {
    prober.postMessage('stop')
    const { times, failures } = await answered
    await prober.terminate()
    const sorted = [...times].sort((a, b) => a - b)
    return {
      count: times.length,
      maxMs: sorted.at(-1) ?? 0,
      p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
      failures,
    }
  }
}

/**
 * Submits a script job (`language`: shell, python, sql) to `app` as the admin and waits (polling
 * every half second) until it has ended; resolves with its id. For tests that read back what a job
 * left (a log at its cap, a wide result set).
 */
export async function runScriptJob(app: ServedProcess, language: 'shell' | 'python' | 'sql', code: string, timeoutSeconds = 300): Promise<number> {
  const headers = { authorization: `Bearer ${app.token}` }
  const res = await fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'script', language, code, timeoutSeconds }),
  })
  const jobId = ((await res.json()) as { id: number }).id
  for (;;) {
    const job = (await (await fetch(`${app.url}/api/v1/jobs/${jobId}`, { headers })).json()) as { status: string }
    if (job.status !== 'queued' && job.status !== 'running') return jobId
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** runScriptJob for a shell script. */
export const runShellJob = (app: ServedProcess, code: string, timeoutSeconds = 300): Promise<number> => runScriptJob(app, 'shell', code, timeoutSeconds)

/** Reads each of `paths` from `app` at once (with `headers`, the admin's token by default); resolves with their statuses. */
export function readAll(app: ServedProcess, paths: string[], headers: Record<string, string> = { authorization: `Bearer ${app.token}` }): Promise<number[]> {
  return Promise.all(
    paths.map(async (path) => {
      const res = await fetch(`${app.url}${path}`, { headers })
      await res.arrayBuffer()
      return res.status
    }),
  )
}

/**
 * Runs `work` while probing `app` (probeWhile) and asserts the measure (#9 §2): the process
 * lives, every probe answered, the slowest under `limitMs`. Resolves with what `work` resolved with.
 */
export async function underProbe<T>(app: ServedProcess, work: () => Promise<T>, limitMs = 200): Promise<T> {
  const { result, probe } = await probeWhile(app.url, app.token, work)
  expect(app.child.exitCode).toBe(null)
  expect(probe.failures).toEqual([])
  expect(probe.maxMs).toBeLessThan(limitMs)
  return result
}
