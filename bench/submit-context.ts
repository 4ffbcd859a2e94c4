// `npx tsx bench/submit-context.ts` (or `npm run bench -- submit`): what storing a Rill Flow submit
// of a large context costs the main thread (#9 §2), on a real store in a temp folder, done as
// service.ts start() stores it (the body's text as the input, the context that text plus
// `flow_execution_id`); and the first look at a finished job's stored context for `__<route>` keys
// (finished-values.ts), which the first get.json of the execution pays. Each is measured as it is
// done now and as it was before migration 023 (the context written whole, a second copy of the
// input; route keys found by SQLite walking the stored value, as it still does for older rows).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../electron/store'
import type { NewJob } from '../electron/store/job.repository'
import { finishedValue } from '../electron/store/finished-values'

/** Characters of the submitted context (the probe's 3.9 MB: just under the 4 MB submit limit). */
const CONTEXT_CHARS = Number(process.env.BENCH_CONTEXT_CHARS ?? 3_900_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 7)

/** Milliseconds of this process's CPU (user + system) since `from` (less swayed by other processes than wall time). */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** One measured figure: medians over RUNS, in ms (wall and own CPU), and bytes where counted. */
export interface SubmitFigure {
  what: string
  wallMs: number
  cpuMs: number
  walBytes?: number
}

/** The two contexts measured: one long string (the probe's), and 60,000 small keys of the same size. */
function contexts(): { name: string; input: Record<string, unknown> }[] {
  const keys = 60_000
  const each = Math.max(1, Math.floor(CONTEXT_CHARS / keys) - 14)
  const many: Record<string, unknown> = {}
  for (let i = 0; i < keys; i++) many[`k${i}`] = 'v'.repeat(each)
  return [
    { name: 'one 3.9 MB string', input: { s: 'q'.repeat(CONTEXT_CHARS) } },
    { name: '60,000 keys', input: many },
  ]
}

/** A submit of `input` (its JSON `text`) as service.ts start() stores it: `whole`, the context's text written whole as before 023. */
function newJob(n: number, input: Record<string, unknown>, text: string, whole: boolean): NewJob {
  const executionId = `bench:big-${n}`
  const tail = `,"flow_execution_id":${JSON.stringify(executionId)}}`
  return {
    uuid: `bench-${n}`,
    kind: 'workflow',
    name: 'bench:big',
    submitter: 'admin',
    input,
    context: { ...input, flow_execution_id: executionId },
    inputJson: text,
    ...(whole ? { contextJson: `${text.slice(0, -1)}${tail}` } : { contextTail: tail }),
    labels: { dialect: 'rillflow', executionId },
  }
}

/** Runs the measurements on a fresh store; returns the figures, the load average at the start and the runs each figure is the median of. */
export function measureSubmitContext(): { figures: SubmitFigure[]; load: number[]; runs: number } {
  const load = loadavg()
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  const figures: SubmitFigure[] = []
  let n = 0
  try {
    store.db.pragma('wal_autocheckpoint = 0') // the WAL's growth is what a commit wrote
    for (const [{ name, input }, before] of contexts().flatMap((c) => [[c, true], [c, false]] as const)) {
      const text = JSON.stringify(input)
      const how = before ? 'as before 023' : 'now'
      const walls: number[] = []
      const cpus: number[] = []
      const wal: number[] = []
      const looks: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] }
      for (let r = 0; r < RUNS; r++) {
        store.db.pragma('wal_checkpoint(TRUNCATE)')
        const job = newJob(n++, input, text, before)
        const t0 = performance.now()
        const c0 = process.cpuUsage()
        const id = store.jobs.create(job, [{ name: 'a', executor: 'noop', spec: {} }])
        walls.push(performance.now() - t0)
        cpus.push(cpuMs(c0))
        wal.push(statSync(join(dir, 'jobdesk.db-wal')).size)
        // the job ends without touching its context (a pass task); its first view looks for route keys
        const head = store.jobs.getWithoutState(id)!
        store.jobs.saveJob({ ...head, status: 'succeeded', finishedAt: 1 }, false, false)
        if (before) store.db.prepare('UPDATE job_values SET route_keys = NULL WHERE job_id = ?').run(id) // as a row stored before 023
        const t1 = performance.now()
        const c1 = process.cpuUsage()
        finishedValue(store, { id, status: 'succeeded' }, 'context')
        looks.wall.push(performance.now() - t1)
        looks.cpu.push(cpuMs(c1))
      }
      figures.push({ what: `submit, ${name}: store input and context, commit (${how})`, wallMs: median(walls), cpuMs: median(cpus), walBytes: median(wal) })
      figures.push({ what: `first view of the ended job's context, ${name}: size and route keys (${how})`, wallMs: median(looks.wall), cpuMs: median(looks.cpu) })
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { figures, load, runs: RUNS }
}

/** The figures as lines of a markdown table. */
export function submitContextTable(figures: SubmitFigure[]): string[] {
  return [
    '| what | wall (median) | own CPU (median) | bytes written to the WAL |',
    '|---|---:|---:|---:|',
    ...figures.map((f) => `| ${f.what} | ${f.wallMs.toFixed(1)} ms | ${f.cpuMs.toFixed(1)} ms | ${f.walBytes === undefined ? '' : f.walBytes.toLocaleString('en-US')} |`),
  ]
}

if (process.argv[1]?.endsWith('submit-context.ts')) {
  const { figures, load, runs } = measureSubmitContext()
  console.log(`load average ${load.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; ${runs} runs`)
  for (const line of submitContextTable(figures)) console.log(line)
}
