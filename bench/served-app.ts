// The app as `serve` runs it, in a process of its own (bench/rest-servers.ts), and what the benches
// that drive it over HTTP share: its CPU time from /proc, the admin's token, and a status probe
// timed from a worker thread while other work runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { Worker } from 'node:worker_threads'

/** This checkout: the tree whose bench/rest-servers.ts startServer runs unless told another. */
const HERE = resolve(import.meta.dirname, '..')
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (Linux: 100). */
const TICKS_PER_SECOND = 100

/** A server of bench/rest-servers.ts in its own process. */
export interface Server {
  url: string
  child: ChildProcess
}

/**
 * Starts bench/rest-servers.ts of checkout `tree` (this one by default; another to compare code
 * before and after, bench/rest-ab.ts) with `args` (`['jobdesk', dataDir]` or `['bare']`); resolves
 * once it prints its URL. `env`: added to this process's environment for it (builtWorkersOf's).
 */
export async function startServer(args: string[], tree = HERE, env: Record<string, string> = {}): Promise<Server> {
  const { child, printed } = spawnServer(args, tree, env)
  return { url: await printed, child }
}

/**
 * startServer without waiting: the process at once, and `printed`, the URL it prints once started
 * (rejects when it exits before). For figures taken while it starts (bench/restart-recovery.ts).
 */
export function spawnServer(args: string[], tree = HERE, env: Record<string, string> = {}): { child: ChildProcess; printed: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(tree, 'bench/rest-servers.ts'), ...args], { cwd: tree, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
  const printed = new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${tree}: ${args[0]} server exited (${code}) before listening`)))
    createInterface({ input: child.stdout! }).once('line', (line) => ok(line.trim()))
  })
  return { child, printed }
}

/** Stops a server and resolves once its process has ended. */
export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return
  const ended = new Promise((r) => server.child.once('exit', r))
  server.child.kill()
  await ended
}

/** CPU seconds (user + system, all threads) process `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND // utime, stime (fields 14, 15)
}

/** CPU milliseconds (user + system) the main thread of process `pid` has used so far (10 ms steps): its own work, not its workers'. */
export function mainThreadCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000
}

/**
 * Samples, every `everyMs`, the bytes of SQLite's temporary files process `pid` has open (its sorter's
 * spill files: `etilqs_*`, unlinked as soon as opened, so they are found through /proc/<pid>/fd) until
 * `stop` is called, which answers the largest sum seen.
 */
export function sampleTempFileBytes(pid: number, everyMs = 10): { stop(): number } {
  let peak = 0
  const sample = () => {
    let bytes = 0
    let fds: string[] = []
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      return
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).includes('/etilqs_')) bytes += statSync(`/proc/${pid}/fd/${fd}`).size
      } catch {
        // closed meanwhile
      }
    }
    peak = Math.max(peak, bytes)
  }
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}

/**
 * Bundles the app's worker entries (electron.vite.config.ts, as test/support/worker-bundle.ts does for
 * tests) into a folder under test-results/ and names it in JOBDESK_WORKER_BUNDLE, which the servers
 * this process starts inherit: their workers then start as the built app's do, not through tsx's loader
 * (about 0.5-1 s of CPU per worker start on 2 cores, which a worker started per read would pay each
 * time). Answers a function that removes the folder.
 */
export async function useBuiltWorkers(): Promise<() => void> {
  if (process.env.JOBDESK_WORKER_BUNDLE) return () => undefined
  // the config and its test helper read the CommonJS __dirname at load: the project's root for the config
  ;(globalThis as { __dirname?: string }).__dirname = HERE
  const { bundleEntries, workerEntries } = await import('../test/support/worker-bundle')
  mkdirSync(join(HERE, 'test-results'), { recursive: true })
  const dir = mkdtempSync(join(HERE, 'test-results', 'bench-workers-'))
  await bundleEntries(workerEntries(), dir)
  process.env.JOBDESK_WORKER_BUNDLE = dir
  return () => {
    delete process.env.JOBDESK_WORKER_BUNDLE
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The worker entries of another checkout `tree` (a before tree) bundled as useBuiltWorkers bundles this
 * one's, into a folder under this tree's test-results/: `env` names it, for startServer to start that
 * tree's server with. A server of another tree run with this tree's workers reads their answers with
 * its own code (the JSON worker's pieces changed with 69d8a562). Also answers a function that removes it.
 */
export async function builtWorkersOf(tree: string): Promise<{ env: Record<string, string>; drop(): void }> {
  ;(globalThis as { __dirname?: string }).__dirname = HERE
  const { bundleEntries, workerEntries } = await import('../test/support/worker-bundle')
  const root = resolve(tree)
  const entries = Object.fromEntries(Object.entries(workerEntries()).map(([name, source]) => [name, join(root, source.slice(HERE.length))]))
  mkdirSync(join(HERE, 'test-results'), { recursive: true })
  const dir = mkdtempSync(join(HERE, 'test-results', 'bench-workers-before-'))
  await bundleEntries(entries, dir)
  return { env: { JOBDESK_WORKER_BUNDLE: dir }, drop: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Fetches `url` and parses its JSON answer; throws with the answer's text unless it is 2xx. */
export async function json(url: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(url, init)
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`)
  return res.json()
}

/** The default admin's bearer token from the native login. */
export async function adminToken(url: string): Promise<string> {
  const { token } = await json(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }) })
  return token as string
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** The value `q` (0..1) of the sorted samples beat. */
export const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]

/** Answer times of the status probe over a window, ms. */
export interface ProbeFigures {
  count: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Probes that got no 200 within 5 s. */
  failures: number
}

// The probe loop runs in a worker thread: timed from the bench's main thread, a probe would also wait
// for whatever that thread does meanwhile (reading a 34 MB answer). CommonJS, evaluated as is.
const PROBE_LOOP = `
const { parentPort, workerData: { url, token, everyMs } } = require('node:worker_threads')
let running = true
parentPort.once('message', () => (running = false))
const times = []
let failures = 0
const probe = () => fetch(url + '/api/v1/health', { headers: { authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(5000) })
;(async () => {
  await probe().then((res) => res.arrayBuffer(), () => undefined) // unmeasured: loads the HTTP client, opens the connection
  parentPort.postMessage('ready')
  while (running) {
    const started = performance.now()
    try {
      const res = await probe()
      await res.arrayBuffer()
      if (res.status !== 200) failures++
      times.push(performance.now() - started)
    } catch {
      failures++
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
  parentPort.postMessage({ times, failures })
})()
`

/**
 * Sends an authenticated `GET /api/v1/health` to the app at `url` every `everyMs` from a worker
 * thread while `work` runs (#9's measure: a status probe answers within 200 ms whatever else the
 * server does); resolves with what `work` resolved with and the probes' answer times.
 */
export async function probeDuring<T>(url: string, token: string, work: () => Promise<T>, everyMs = 50): Promise<{ result: T; probe: ProbeFigures }> {
  const prober = new Worker(PROBE_LOOP, { eval: true, workerData: { url, token, everyMs } })
  const message = () => new Promise<any>((ok, fail) => (prober.once('message', ok), prober.once('error', fail)))
  await message() // 'ready'
  try {
    const result = await work()
    const report = message()
    prober.postMessage('stop')
    const { times, failures } = (await report) as { times: number[]; failures: number }
    return { result, probe: { count: times.length, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), maxMs: Math.max(...times), failures } }
  } finally {
    await prober.terminate()
  }
}
