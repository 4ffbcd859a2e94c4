// JobDesk's engine beside BullMQ (#14.1), the job queue Node users most often pick, on the same
// work in the same run: 10k noop jobs submitted at once, a fan-out/fan-in of 10k tasks, a
// 40-step chain. BullMQ runs on a Redis server this bench starts itself (AOF, fsync every second);
// JobDesk commits every state change to SQLite (WAL) before acting on it. BullMQ and Redis are
// bench-only: installed into bench/.peers and from Debian when missing, never app dependencies.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Engine } from '../electron/engine/engine'
import { ExecutorRegistry } from '../electron/engine/executor'
import { noopExecutor } from '../electron/executors/noop'
import type { NewTask } from '../electron/store/job.repository'
import { openStore } from '../electron/store'

const PEERS = resolve(import.meta.dirname, '.peers')
export const BULLMQ_VERSION = '6.7.0'
/** bullmq 6 takes its Redis client as an optional peer. */
const IOREDIS_VERSION = '6.0.0'
const CONCURRENCY = 64
const JOBS = 10_000
const FAN_TASKS = 10_000
const CHAIN_STEPS = 40

export interface PeerRow {
  work: string
  /** Median ms over the runs, and the runs' lowest and highest. */
  jobdeskMs: number
  jobdeskSpread: [number, number]
  bullmqMs: number
  bullmqSpread: [number, number]
  /** BullMQ's median time over JobDesk's: above 1 means JobDesk is ahead. */
  ratio: number
}

export type PeerResult = { rows: PeerRow[]; runs: number } | { skipped: string }

/** Installs what the bench needs when missing; returns why it cannot run, or undefined. */
function ensurePeers(): string | undefined {
  if (!existsSync('/usr/bin/redis-server')) {
    try {
      execFileSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'ignore', timeout: 300_000 })
    } catch (e) {
      return `redis-server is not installed and apt-get could not install it (${(e as Error).message.split('\n')[0]}); run: sudo apt-get install -y redis-server`
    }
  }
  if (!existsSync(join(PEERS, 'node_modules/bullmq')) || !existsSync(join(PEERS, 'node_modules/ioredis'))) {
    try {
      execFileSync('npm', ['install', '--prefix', PEERS, '--save-exact', '--no-audit', '--no-fund', `bullmq@${BULLMQ_VERSION}`, `ioredis@${IOREDIS_VERSION}`], { stdio: 'ignore', timeout: 300_000 })
    } catch (e) {
      return `could not install bullmq@${BULLMQ_VERSION} into bench/.peers (${(e as Error).message.split('\n')[0]})`
    }
  }
  return undefined
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise((r) => server.close(r))
  return port
}

/** A Redis server of its own: AOF with fsync every second (durable to about a second), no RDB snapshots. */
async function startRedis(dir: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' })
      return { port, child }
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  child.kill()
  throw new Error('redis-server did not answer within 10 s')
}

/** Ms from submit to the last durable completion, on a fresh SQLite file. */
async function jobdeskRun(work: (engine: Engine) => number[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-peer-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  try {
    const engine = new Engine({ store, executors: new ExecutorRegistry([noopExecutor]), concurrency: CONCURRENCY })
    const t0 = performance.now()
    // waiters registered before the first tick, as BullMQ's side counts its 'completed' events
    const done = await Promise.all(work(engine).map((id) => engine.waitFor(id)))
    for (const rec of done) if (rec.status !== 'succeeded') throw new Error(`bench job ${rec.id} ended ${rec.status}`)
    return performance.now() - t0
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const job = (name: string) => ({ uuid: randomUUID(), kind: 'dag' as const, name, submitter: 'bench' })

const JOBDESK_WORK: Record<string, (e: Engine) => number[]> = {
  [`${JOBS.toLocaleString('en')} noop jobs submitted at once`]: (e) =>
    e.submitMany(Array.from({ length: JOBS }, (_, i) => ({ job: job(`j${i}`), tasks: [{ name: 't', executor: 'noop' }] }))).map((r) => r.id),
  [`fan-out/fan-in of ${FAN_TASKS.toLocaleString('en')} tasks`]: (e) => {
    const leaves: NewTask[] = Array.from({ length: FAN_TASKS - 1 }, (_, i) => ({ name: `t${i}`, executor: 'noop' }))
    return [e.submit(job('fan'), [...leaves, { name: 'sink', executor: 'noop', dependsOn: leaves.map((t) => t.name) }]).id]
  },
  [`${CHAIN_STEPS}-step chain`]: (e) =>
    [e.submit(job('chain'), Array.from({ length: CHAIN_STEPS }, (_, i) => ({ name: `t${i}`, executor: 'noop', dependsOn: i ? [`t${i - 1}`] : [] }))).id],
}

interface FlowNode {
  name: string
  queueName: string
  opts?: object
  children?: FlowNode[]
}

/** The part of bullmq's API this bench uses (bullmq lives in bench/.peers, outside the type-checked tree). */
interface BullMq {
  Queue: new (name: string, opts: object) => { addBulk(jobs: object[]): Promise<unknown>; obliterate(o: object): Promise<void>; close(): Promise<void> }
  FlowProducer: new (opts: object) => { add(flow: FlowNode): Promise<unknown>; close(): Promise<void> }
  Worker: new (
    name: string,
    processor: () => Promise<unknown>,
    opts: object,
  ) => { on(event: string, listener: (...args: any[]) => void): void; waitUntilReady(): Promise<unknown>; run(): Promise<unknown>; close(): Promise<void> }
}

/**
 * The same work in BullMQ: plain jobs through Queue.addBulk; the fan-out/fan-in as one flow whose
 * parent (the sink) waits for its children; the chain as a flow 40 levels deep (BullMQ runs
 * children before parents, so the deepest is the first step). Ms until the last job completed.
 */
async function bullmqRun(port: number, kind: string): Promise<number> {
  const require = createRequire(join(PEERS, 'package.json'))
  const { Queue, Worker, FlowProducer } = require('bullmq') as BullMq
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null }
  const queueName = `bench-${randomUUID()}`
  const queue = new Queue(queueName, { connection })
  const flows = new FlowProducer({ connection })
  let expected = 0
  let completed = 0
  let finish!: () => void
  const finished = new Promise<void>((r) => (finish = r))
  const worker = new Worker(queueName, async () => null, { connection, concurrency: CONCURRENCY, autorun: false })
  worker.on('completed', () => {
    if (++completed === expected) finish()
  })
  worker.on('failed', (_job: unknown, e: Error) => {
    throw e
  })
  await worker.waitUntilReady()
  const opts = { removeOnComplete: true, removeOnFail: true }
  const t0 = performance.now()
  void worker.run()
  if (kind.includes('noop jobs')) {
    expected = JOBS
    await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: `j${i}`, data: {}, opts })))
  } else if (kind.includes('fan-out')) {
    expected = FAN_TASKS
    await flows.add({ name: 'sink', queueName, opts, children: Array.from({ length: FAN_TASKS - 1 }, (_, i) => ({ name: `t${i}`, queueName, opts })) })
  } else {
    expected = CHAIN_STEPS
    let node: FlowNode = { name: 't0', queueName }
    for (let i = 1; i < CHAIN_STEPS; i++) node = { name: `t${i}`, queueName, children: [node] }
    await flows.add(node)
  }
  await finished
  const ms = performance.now() - t0
  await worker.close()
  await flows.close()
  await queue.obliterate({ force: true })
  await queue.close()
  return ms
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Each work `runs` times on each side, alternating; the medians, spreads and ratios. */
export async function measureAgainstBullmq(runs = 3): Promise<PeerResult> {
  const missing = ensurePeers()
  if (missing) return { skipped: missing }
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-redis-'))
  const redis = await startRedis(dir)
  try {
    const rows: PeerRow[] = []
    for (const [work, run] of Object.entries(JOBDESK_WORK)) {
      const jd: number[] = []
      const bq: number[] = []
      for (let i = 0; i < runs; i++) {
        jd.push(await jobdeskRun(run))
        bq.push(await bullmqRun(redis.port, work))
      }
      const row = {
        work,
        jobdeskMs: median(jd),
        jobdeskSpread: [Math.min(...jd), Math.max(...jd)] as [number, number],
        bullmqMs: median(bq),
        bullmqSpread: [Math.min(...bq), Math.max(...bq)] as [number, number],
        ratio: median(bq) / median(jd),
      }
      rows.push(row)
      console.log(
        `${work}: JobDesk ${row.jobdeskMs.toFixed(0)} ms (${row.jobdeskSpread.map((x) => x.toFixed(0)).join('–')}), ` +
          `BullMQ ${row.bullmqMs.toFixed(0)} ms (${row.bullmqSpread.map((x) => x.toFixed(0)).join('–')}), JobDesk ${row.ratio.toFixed(2)}× as fast`,
      )
    }
    return { rows, runs }
  } finally {
    redis.child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureAgainstBullmq(Number(process.env.RUNS ?? 3))
  if ('skipped' in r) console.log(`BullMQ comparison skipped: ${r.skipped}`)
  process.exit(0)
}
