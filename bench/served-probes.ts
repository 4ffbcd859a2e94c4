// What a status probe waits while the served app (its own process, as `serve` runs it) does heavy
// work of two kinds, beside the same probe with the app idle (#9 §2: a probe answers within 200 ms):
//   detail  the native detail (GET /api/v1/jobs/:id) of a RUNNING job whose eight pass tasks each
//           hold a 2 MB value as input and output (a 34 MB answer, made from the engine's live
//           values), read READS × AT_ONCE times, AT_ONCE at a time;
//   locked  another program holding jobdesk.db's write lock (BEGIN IMMEDIATE from a connection of
//           this process) while a write in each of four APIs waits for it and is answered 503
//           database_locked: how long each answer takes (the retry window, HTTP_BUSY_RETRY_MS),
//           beside the same writes with no lock;
//   submit  Rill Flow submits of a 3.9 MB context (just under the 4 MB limit; the map: 3.2 MB) to a one-pass flow,
//           SUBMITS of them one after another, each timed to its answer (the body parsed, the job
//           and its context stored in one commit): one string, customer records, a map of 199,999
//           keys (test/support/large-bodies.ts).
// Run alone: npx tsx bench/served-probes.ts   (`npm run bench -- probes` writes its block).
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { customerRecords, manyKeys } from '../test/support/large-bodies'
import { adminToken, cpuSeconds, json, median, probeDuring, startServer, stopServer, type ProbeFigures } from './served-app'

const FAN = 8
/** The pass tasks' names. */
const PASSES = Array.from({ length: FAN }, (_, i) => `p${i + 1}`)
const VALUE_BYTES = 2_000_000
const READS = Number(process.env.BENCH_DETAIL_READS ?? 4)
const AT_ONCE = 3
const CONTEXT_BYTES = 3_900_000
const SUBMITS = Number(process.env.BENCH_BIG_SUBMITS ?? 5)
/** How long the idle probe runs, ms. */
const IDLE_MS = 3000

export interface DetailFigures {
  /** One answer's size, MB. */
  answerMb: number
  reads: number
  /** Wall time of each wave of AT_ONCE reads, ms: median and max. */
  waveMedianMs: number
  waveMaxMs: number
  /** The server process's CPU (all threads) per read, ms. */
  serverCpuMsPerRead: number
  probe: ProbeFigures
}

export interface LockedWrite {
  name: string
  /** Answer status and time with the lock held, ms. */
  lockedStatus: number
  lockedMs: number
  /** The same write with no lock. */
  freeStatus: number
  freeMs: number
}

export interface SubmitFigures {
  /** What the context holds: "one string", "customer records", "a map of 199,999 keys". */
  what: string
  /** The context's size, MB. */
  contextMb: number
  submits: number
  /** Answer time of each submit, ms: median and max. */
  medianMs: number
  maxMs: number
  probe: ProbeFigures
}

export interface ServedProbesResult {
  idle: ProbeFigures
  detail: DetailFigures
  locked: { writes: LockedWrite[]; probe: ProbeFigures }
  submits: SubmitFigures[]
}

/** A loopback server whose /hang.json never answers: the function task that keeps the job running; `called` resolves at its first request. */
async function hangServer(): Promise<{ url: string; called: Promise<void>; close(): void }> {
  let onCall: () => void = () => {}
  const called = new Promise<void>((r) => (onCall = r))
  const server = createServer((req) => (req.resume(), onCall())) // read, never answered
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, called, close: () => (server.closeAllConnections(), server.close()) }
}

/** root → p1 … p8 (pass, each given the context's `s` as input and output) → hang (a function task that never ends). */
function runningDetailDescriptor(hangUrl: string): string {
  let yaml = `workspace: bench\ndagName: runningdetail\ntype: flow\ntasks:\n  - {category: pass, name: root, next: "${PASSES.join(',')}"}\n`
  for (const name of PASSES) yaml += `  - {category: pass, name: ${name}, next: hang, inputMappings: [{source: $.context.s, target: $.input.s}]}\n`
  return `${yaml}  - {category: function, name: hang, pattern: task_sync, resourceName: ${hangUrl}/hang.json}\n`
}

async function measureDetail(url: string, token: string, pid: number): Promise<DetailFigures> {
  const bearer = { authorization: `Bearer ${token}` }
  const hang = await hangServer()
  try {
    await json(`${url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: runningDetailDescriptor(hang.url) })
    const { execution_id: executionId } = await json(`${url}/flow/submit.json?descriptor_id=bench:runningdetail`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ s: 'd'.repeat(VALUE_BYTES) }),
    })
    // hang starts once every pass task has ended: the job runs on, its large values live in the engine
    let timer: NodeJS.Timeout | undefined
    await Promise.race([hang.called, new Promise((_, fail) => (timer = setTimeout(() => fail(new Error('task hang did not start within 120 s')), 120_000)))])
    clearTimeout(timer)
    const { items } = await json(`${url}/api/v1/jobs?limit=5`, { headers: bearer })
    const job = (items as { id: number; status: string; labels: { executionId?: string } }[]).find((j) => j.labels.executionId === executionId)
    if (job?.status !== 'running') throw new Error(`the execution's job is ${job?.status ?? 'not listed'}, not running`)
    const jobId = job.id
    const detailUrl = `${url}/api/v1/jobs/${jobId}`
    const first = await (await fetch(detailUrl, { headers: bearer })).text()
    const waves: number[] = []
    const cpuBefore = cpuSeconds(pid)
    const { probe } = await probeDuring(url, token, async () => {
      for (let i = 0; i < READS; i++) {
        const started = performance.now()
        const sizes = await Promise.all(Array.from({ length: AT_ONCE }, async () => (await (await fetch(detailUrl, { headers: bearer })).arrayBuffer()).byteLength))
        waves.push(performance.now() - started)
        if (sizes.some((n) => n !== Buffer.byteLength(first))) throw new Error(`a detail read answered ${sizes} bytes, not ${Buffer.byteLength(first)}`)
      }
    })
    const cpuMs = (cpuSeconds(pid) - cpuBefore) * 1000
    return { answerMb: Buffer.byteLength(first) / 1e6, reads: READS * AT_ONCE, waveMedianMs: median(waves), waveMaxMs: Math.max(...waves), serverCpuMsPerRead: cpuMs / (READS * AT_ONCE), probe }
  } finally {
    hang.close()
  }
}

/** A write in each of four APIs, each timed: native script job, Rill Flow submit, Linkis submit, native user create. */
async function timedWrites(url: string, token: string, cookie: string, n: number): Promise<{ name: string; status: number; ms: number }[]> {
  const bearer = { authorization: `Bearer ${token}` }
  const post = async (name: string, path: string, body: unknown, headers: Record<string, string>) => {
    const started = performance.now()
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    await res.arrayBuffer()
    return { name, status: res.status, ms: performance.now() - started }
  }
  return Promise.all([
    post('native POST /api/v1/jobs (shell)', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'true' }, bearer),
    post('Rill Flow submit.json', '/flow/submit.json?descriptor_id=bench:plain', {}, bearer),
    post('Linkis entrance/submit', '/api/rest_j/v1/entrance/submit', { executionContent: { code: 'true', runType: 'sh' }, labels: { engineType: 'shell-1', userCreator: 'admin-IDE' } }, { cookie }),
    post('native POST /api/v1/users', '/api/v1/users', { username: `bench${n}`, password: 'bench-password-1', role: 'user' }, bearer),
  ])
}

async function measureLocked(url: string, token: string, dataDir: string): Promise<ServedProbesResult['locked']> {
  const bearer = { authorization: `Bearer ${token}` }
  await json(`${url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'workspace: bench\ndagName: plain\ntype: flow\ntasks:\n  - {category: pass, name: a}\n' })
  const login = await fetch(`${url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: 'admin', password: '73@TuGraph' }) })
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const free = await timedWrites(url, token, cookie, 1)
  const other = new Database(join(dataDir, 'jobdesk.db'))
  try {
    other.exec('BEGIN IMMEDIATE') // a sqlite3 shell left in a transaction
    const { result: locked, probe } = await probeDuring(url, token, () => timedWrites(url, token, cookie, 2))
    other.exec('COMMIT')
    return { writes: locked.map((w, i) => ({ name: w.name, lockedStatus: w.status, lockedMs: w.ms, freeStatus: free[i].status, freeMs: free[i].ms })), probe }
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK')
    other.close()
  }
}

/** The large contexts submitted: what each holds, and its body (~CONTEXT_BYTES of JSON). */
const LARGE_CONTEXTS: { what: string; body: () => string }[] = [
  { what: 'one string', body: () => JSON.stringify({ s: 'r'.repeat(CONTEXT_BYTES) }) },
  { what: 'customer records', body: () => customerRecords(CONTEXT_BYTES) },
  { what: 'a map of 199,999 keys', body: () => `{"m":${manyKeys(199_999)}}` }, // the widest a body may hold (MAX_JSON_KEYS: 200,000 key names, "m" one of them)
]

async function measureLargeSubmits(url: string, token: string): Promise<SubmitFigures[]> {
  const bearer = { authorization: `Bearer ${token}` }
  await json(`${url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'workspace: bench\ndagName: big\ntype: flow\ntasks:\n  - {category: pass, name: a}\n' })
  const figures: SubmitFigures[] = []
  for (const context of LARGE_CONTEXTS) {
    const body = context.body()
    const times: number[] = []
    const { probe } = await probeDuring(url, token, async () => {
      for (let i = 0; i < SUBMITS; i++) {
        const started = performance.now()
        await json(`${url}/flow/submit.json?descriptor_id=bench:big`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body })
        times.push(performance.now() - started)
        await new Promise((r) => setTimeout(r, 500)) // its execution runs and ends between submits
      }
    })
    figures.push({ what: context.what, contextMb: Buffer.byteLength(body) / 1e6, submits: SUBMITS, medianMs: median(times), maxMs: Math.max(...times), probe })
  }
  return figures
}

/** Starts the app on a fresh data folder, probes it idle, then under each load; stops it and removes the folder. */
export async function measureServedProbes(): Promise<ServedProbesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-probes-bench-'))
  const server = await startServer(['jobdesk', dir])
  try {
    const token = await adminToken(server.url)
    const { probe: idle } = await probeDuring(server.url, token, () => new Promise((r) => setTimeout(r, IDLE_MS)))
    const detail = await measureDetail(server.url, token, server.child.pid!)
    const locked = await measureLocked(server.url, token, dir)
    const submits = await measureLargeSubmits(server.url, token)
    return { idle, detail, locked, submits }
  } finally {
    await stopServer(server)
    rmSync(dir, { recursive: true, force: true })
  }
}

const ms = (x: number): string => x.toFixed(0)
const probeCells = (p: ProbeFigures): string => `${p.count} | ${ms(p.p50Ms)} | ${ms(p.p99Ms)} | ${ms(p.maxMs)}${p.failures ? ` (${p.failures} failed)` : ''}`

/** The Markdown tables of a run. */
export function servedProbesTables(r: ServedProbesResult): string[] {
  return [
    '| status probe (GET /api/v1/health every 50 ms) while … | probes | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    `| nothing else (idle) | ${probeCells(r.idle)} |`,
    `| ${r.detail.reads} reads of a running job's detail (${r.detail.answerMb.toFixed(0)} MB each, ${AT_ONCE} at a time) | ${probeCells(r.detail.probe)} |`,
    `| four writes wait on a locked database, then answer 503 | ${probeCells(r.locked.probe)} |`,
    ...r.submits.map((x) => `| ${x.submits} Rill Flow submits of a ${x.contextMb.toFixed(1)} MB context (${x.what}), one after another | ${probeCells(x.probe)} |`),
    '',
    `Running job's detail: ${AT_ONCE} reads at once took ${ms(r.detail.waveMedianMs)} ms (median of ${READS} waves; slowest ${ms(r.detail.waveMaxMs)}); the server process's CPU ${ms(r.detail.serverCpuMsPerRead)} ms a read. ` +
      r.submits.map((x) => `A ${x.contextMb.toFixed(1)} MB submit (${x.what}) answered in ${ms(x.medianMs)} ms (median of ${x.submits}; slowest ${ms(x.maxMs)}).`).join(' '),
    '',
    '| write | with the lock held: status, ms | no lock: status, ms |',
    '|---|---:|---:|',
    ...r.locked.writes.map((w) => `| ${w.name} | ${w.lockedStatus}, ${ms(w.lockedMs)} | ${w.freeStatus}, ${ms(w.freeMs)} |`),
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureServedProbes()
  servedProbesTables(r).forEach((l) => console.log(l))
}
