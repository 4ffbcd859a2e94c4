// `npm run bench -- recovery` (or `npx tsx bench/restart-recovery.ts`): what a restart costs when an
// execution waits in a wide foreach (#9 §2: the server answers within 200 ms also while it takes
// unfinished work up). For each size (BENCH_RECOVERY_ITEMS, default 20,000 and 100,000 items): the app
// as `serve` runs it stores a foreach whose every group waits in a suspense task, is killed (SIGKILL:
// the state a crash leaves) and started again on the same data. Figures, from the spawn: to its port
// listening (its URL in the data folder's instance.json, written at listen), to its routes answering
// (health no longer 503 starting), to the end of recovery (health says `recovering: false`), and to
// startApp's end (its URL printed); the status probe's answers from the routes to the end of recovery
// (every 20 ms, from a worker thread), and the main-thread CPU the restarted process spent until
// recovery was over (its own work: /proc, 10 ms steps). Runs
// BENCH_RECOVERY_RUNS times (default 1: a 100,000-item setup takes about a minute) on one data folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { NOTE_FILE, type InstanceNote } from '../electron/instance-lock'
import { foreachWorkflow, HOLD_TASK } from '../test/support/workflows'
import { adminToken, json, mainThreadCpuMs, median, probeDuring, spawnServer, startServer, stopServer, useBuiltWorkers, type Server } from './served-app'

const SIZES = (process.env.BENCH_RECOVERY_ITEMS ?? '20000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RECOVERY_RUNS ?? 1)

/** One size's figures, medians over the runs (the slowest probe: of all runs). */
export interface RecoveryRow {
  items: number
  /** Spawn → the port listening (instance.json names the URL), ms. */
  listenMs: number
  /** Spawn → the routes answering (health no longer 503 starting), ms. */
  routesMs: number
  /** Spawn → the URL printed (startApp resolved, after recovery), ms. */
  urlMs: number
  /** Spawn → health's `recovering: false`, ms. */
  recoveredMs: number
  probes: number
  probeP99Ms: number
  probeMaxMs: number
  /** Probes that got no 200 within 5 s. */
  probeFailures: number
  /** The restarted process's main-thread CPU from its start to the end of recovery, ms. */
  cpuMs: number
}

/** The recovery part's figures. */
export interface RecoveryFigures {
  rows: RecoveryRow[]
  runs: number
  load: [number, number]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves once job `id` has `tasks` running tasks (the foreach and its suspense tasks), polling every second. */
async function allWaiting(url: string, token: string, id: number, tasks: number): Promise<void> {
  const until = Date.now() + 600_000
  for (;;) {
    const job = await json(`${url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } })
    if ((job.taskCounts?.running ?? 0) >= tasks) return
    if (Date.now() > until) throw new Error(`job ${id}: ${job.taskCounts?.running ?? 0} of ${tasks} tasks running after 10 minutes`)
    await sleep(1000)
  }
}

/** The URL the process `pid` notes in `dir`'s instance.json as it listens; polls every 5 ms. */
async function listeningUrl(dir: string, pid: number): Promise<string> {
  for (;;) {
    try {
      const note = JSON.parse(readFileSync(join(dir, NOTE_FILE), 'utf8')) as InstanceNote
      if (note.pid === pid && note.url) return note.url
    } catch {
      // not written yet, or being replaced
    }
    await sleep(5)
  }
}

/** Kills `server` as a crash would and starts the app again on `dir`; measures until recovery is over. */
async function restart(server: Server, dir: string, token: string): Promise<Omit<RecoveryRow, 'items'>> {
  const ended = new Promise((r) => server.child.once('exit', r))
  server.child.kill('SIGKILL')
  await ended
  const began = performance.now()
  const { child, printed } = spawnServer(['jobdesk', dir])
  let printedMs = -1
  const started = printed.then(() => (printedMs = performance.now() - began))
  try {
    const url = await listeningUrl(dir, child.pid!)
    const listenMs = performance.now() - began
    const health = async () => {
      const res = await fetch(`${url}/api/v1/health`, { headers: { authorization: `Bearer ${token}` } })
      return { status: res.status, body: (await res.json()) as { recovering?: boolean } }
    }
    while ((await health()).status === 503) await sleep(20) // 503 starting: its routes are being made
    const routesMs = performance.now() - began
    const { result: recoveredMs, probe } = await probeDuring(
      url,
      token,
      async () => {
        while ((await health()).body.recovering === true) await sleep(20)
        return performance.now() - began
      },
      20,
    )
    const cpuMs = mainThreadCpuMs(child.pid!)
    await started
    return { listenMs, routesMs, recoveredMs, urlMs: printedMs, probes: probe.count, probeP99Ms: probe.p99Ms, probeMaxMs: probe.maxMs, probeFailures: probe.failures, cpuMs }
  } finally {
    await stopServer({ url: '', child })
  }
}

/** Measures each size RUNS times. */
export async function measureRestartRecovery(): Promise<RecoveryFigures> {
  const loadAtStart = loadavg()[0]
  const dropWorkers = await useBuiltWorkers()
  const rows: RecoveryRow[] = []
  try {
    for (const items of SIZES) {
      const seen: Omit<RecoveryRow, 'items'>[] = []
      for (let run = 0; run < RUNS; run++) {
        const dir = mkdtempSync(`${tmpdir()}/jobdesk-recovery-`)
        try {
          const server = await startServer(['jobdesk', dir])
          const token = await adminToken(server.url)
          const auth = { authorization: `Bearer ${token}` }
          await json(`${server.url}/flow/bg/manage/descriptor/add_descriptor.json?business_id=rec&feature_name=fan&alias=release`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: foreachWorkflow('rec:fan', HOLD_TASK) })
          await json(`${server.url}/flow/submit.json?descriptor_id=rec:fan`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ items: Array.from({ length: items }, (_, i) => i) }) })
          const { items: jobs } = await json(`${server.url}/api/v1/jobs?limit=1`, { headers: auth })
          await allWaiting(server.url, token, jobs[0].id as number, items + 1)
          seen.push(await restart(server, dir, token))
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }
      const m = (pick: (s: Omit<RecoveryRow, 'items'>) => number) => median(seen.map(pick))
      rows.push({
        items,
        listenMs: m((s) => s.listenMs),
        routesMs: m((s) => s.routesMs),
        urlMs: m((s) => s.urlMs),
        recoveredMs: m((s) => s.recoveredMs),
        probes: m((s) => s.probes),
        probeP99Ms: m((s) => s.probeP99Ms),
        probeMaxMs: Math.max(...seen.map((s) => s.probeMaxMs)),
        probeFailures: Math.max(...seen.map((s) => s.probeFailures)),
        cpuMs: m((s) => s.cpuMs),
      })
    }
    return { rows, runs: RUNS, load: [loadAtStart, loadavg()[0]] }
  } finally {
    dropWorkers()
  }
}

/** The figures as a Markdown table. */
export function restartRecoveryTable(f: RecoveryFigures): string[] {
  const r = (x: number) => String(Math.round(x))
  return [
    `Medians of ${f.runs} run(s) per size (load ${f.load[0].toFixed(1)}–${f.load[1].toFixed(1)} over the part); times from the restarted process's spawn; probes from its routes answering to recovery's end.`,
    '',
    '| waiting tasks | listening, ms | routes answer, ms | recovery over, ms | URL printed, ms | probes | probe p99, ms | slowest probe, ms | probes failed | main-thread CPU to recovered, ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...f.rows.map((x) => `| ${r(x.items + 1)} | ${r(x.listenMs)} | ${r(x.routesMs)} | ${r(x.recoveredMs)} | ${r(x.urlMs)} | ${r(x.probes)} | ${r(x.probeP99Ms)} | ${r(x.probeMaxMs)} | ${x.probeFailures} | ${r(x.cpuMs)} |`),
  ]
}

if (process.argv[1]?.endsWith('restart-recovery.ts')) {
  measureRestartRecovery().then((f) => restartRecoveryTable(f).forEach((l) => console.log(l)))
}
