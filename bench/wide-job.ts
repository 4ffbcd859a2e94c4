// `npm run bench -- widejob` (or `npx tsx bench/wide-job.ts`; BENCH_WIDE_ITEMS, default 1,249, of
// BENCH_WIDE_TASKS, default 40, suspense tasks each: 49,961 waiting tasks, a user's held-work bound at
// atk17, as test/workflows/attack-cancel-wide-foreach.probe.test.ts made them): a Rill Flow execution of that many
// waiting tasks, in process on a store in a temp folder, wired as the app wires it (open-rill.ts). Measured:
//   detail  the job's detail as jobs.get answers it (its first DETAIL_TASKS tasks and the counts of all by
//           state; serialized, as the answer is) beside what it was before atk17: every task read
//           (tasksWithoutSpec), built (toTaskView) and serialized (the job's other fields not counted:
//           that favours the old path); taking turns, median of 3, while the job runs, then once each
//           when it has ended (the first read of an ended job: no cached view);
//   cancel  engine.cancel (the call: its first slice, committed, the job `cancelling`), then the slices
//           until the job is cancelled: the longest turn of the event loop meanwhile and the time to the
//           end; before it, on the same job, what the cancel did before atk17 (simulated): every task
//           ended and saved in one transaction (rolled back, so that the cancel can follow; the walk and
//           the commit not counted: both favour the old path).
import { loadavg } from 'node:os'
import { createJobsService } from '../electron/services/jobs.service'
import type { Actor } from '../electron/services/access'
import type { Exporter } from '../electron/services/export/exporter'
import { toTaskView } from '../electron/store/job.repository'
import { DETAIL_TASKS } from '../shared/model'
import { isTerminalTask } from '../shared/status'
import { foreachDescriptor } from '../test/workflows/support/foreach-descriptor'
import { withTempRill } from './temp-rill'
import { median, timed, watchTurns } from './main-thread-clock'

const ITEMS = Number(process.env.BENCH_WIDE_ITEMS ?? 1_249)
const PER_GROUP = Number(process.env.BENCH_WIDE_TASKS ?? 40)
const caller = { username: 'test', isAdmin: true }

/** A read of the detail: wall and this thread's CPU (ms), the answer's bytes and the tasks it carries. */
interface Read {
  wallMs: number
  cpuMs: number
  bytes: number
  tasks: number
}

/** The widejob part's figures. */
export interface WideJobFigures {
  items: number
  tasks: number
  fanOutMs: number
  detail: { running: { now: Read; before: Read }; ended: { now: Read; before: Read } }
  cancel: {
    before: { wallMs: number; cpuMs: number; rows: number }
    call: { wallMs: number; cpuMs: number; status: string }
    toEndMs: number
    longestTurnMs: number
    longestTurnCpuMs: number
  }
  load: [number, number]
}

/** The median read of `reads` by wall time, with the median CPU. */
const medianRead = (reads: Read[]): Read => ({ ...reads[0], wallMs: median(reads.map((r) => r.wallMs)), cpuMs: median(reads.map((r) => r.cpuMs)) })

/** Makes the execution, reads its detail each way, cancels it; returns the figures. */
export async function measureWideJob(): Promise<WideJobFigures> {
  const loadAtStart = loadavg()[0]
  return withTempRill(async ({ store, engine, workflows }) => {
    // only get() is used: it reads nothing an exporter answers
    const jobs = createJobsService(store, engine, undefined as unknown as Exporter)
    const actor: Actor = store.users.findByUsername(caller.username)!
    const tasks = Array.from({ length: PER_GROUP }, (_, i) => `      - {category: suspense, name: w${i}, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}`).join('\n')
    const { descriptorId } = workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: foreachDescriptor('wide', 'wait', { tasks }) })
    const t0 = performance.now()
    const { job } = workflows.submit({ descriptorId, context: { items: Array.from({ length: ITEMS }, (_, i) => i) }, caller })
    const want = ITEMS * PER_GROUP
    const waiting = store.db.prepare<[number], number>("SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'running' AND name <> 'each'").pluck()
    for (const end = Date.now() + 300_000; waiting.get(job.id)! < want; await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > end) throw new Error(`only ${waiting.get(job.id)} of ${want} tasks wait after 300 s`)
    }
    const fanOutMs = performance.now() - t0
    const taskRows = Number(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(job.id))

    const now = (): Read => {
      const r = timed(() => JSON.stringify(jobs.get(job.id, actor)))
      return { wallMs: r.wallMs, cpuMs: r.cpuMs, bytes: Buffer.byteLength(r.value), tasks: (JSON.parse(r.value) as { tasks: unknown[] }).tasks.length }
    }
    const before = (): Read => {
      const r = timed(() => JSON.stringify({ tasks: store.jobs.tasksWithoutSpec(job.id).map(toTaskView) }))
      return { wallMs: r.wallMs, cpuMs: r.cpuMs, bytes: Buffer.byteLength(r.value), tasks: taskRows }
    }
    const runningReads = { now: [] as Read[], before: [] as Read[] }
    for (let i = 0; i < 3; i++) {
      if (i % 2) runningReads.before.push(before()), runningReads.now.push(now())
      else runningReads.now.push(now()), runningReads.before.push(before())
    }

    // before (atk17, simulated): every task ended and saved in one transaction, rolled back
    const endAll = store.db.transaction((): never => {
      let rows = 0
      for (const t of store.jobs.tasksWithoutSpec(job.id)) {
        if (isTerminalTask(t.status)) continue
        store.jobs.saveTask({ ...t, status: 'cancelled', finishedAt: Date.now(), error: 'cancel requested' })
        rows++
      }
      throw Object.assign(new Error('roll back'), { rows })
    })
    const oneGo = timed(() => {
      try {
        return endAll()
      } catch (e) {
        return (e as { rows: number }).rows
      }
    })

    // now: the call answers after its first slice; the ticks end the rest
    const watch = watchTurns()
    const t1 = performance.now()
    const call = timed(() => engine.cancel(job.id).status)
    const ended = await engine.waitFor(job.id)
    const toEndMs = performance.now() - t1
    const turns = watch.stop()
    if (ended.status !== 'cancelled') throw new Error(`the execution ended ${ended.status}, not cancelled`)

    // the ended job's first read (no cached view yet), then the whole read
    const endedNow = now()
    const endedBefore = before()
    return {
      items: ITEMS,
      tasks: taskRows,
      fanOutMs,
      detail: { running: { now: medianRead(runningReads.now), before: medianRead(runningReads.before) }, ended: { now: endedNow, before: endedBefore } },
      cancel: {
        before: { wallMs: oneGo.wallMs, cpuMs: oneGo.cpuMs, rows: oneGo.value },
        call: { wallMs: call.wallMs, cpuMs: call.cpuMs, status: call.value },
        toEndMs,
        longestTurnMs: turns.longestMs,
        longestTurnCpuMs: turns.longestCpuMs,
      },
      load: [loadAtStart, loadavg()[0]],
    }
  })
}

const f0 = (x: number): string => x.toFixed(0)
const f1 = (x: number): string => x.toFixed(1)
const kib = (bytes: number): string => (bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })

/** The figures as a line of what the job was and two markdown tables: its detail, its cancel. */
export function wideJobTable(r: WideJobFigures): string[] {
  const read = (what: string, x: Read) => `| ${what} | ${x.tasks.toLocaleString('en-US')} | ${kib(x.bytes)} | ${f1(x.wallMs)} | ${f1(x.cpuMs)} |`
  const c = r.cancel
  return [
    `A Rill Flow foreach over ${r.items.toLocaleString('en-US')} items of ${PER_GROUP} suspense tasks: ${r.tasks.toLocaleString('en-US')} task rows, all waiting ${f1(r.fanOutMs / 1000)} s after the submit.`,
    '',
    `| the job's detail (jobs.get, serialized) | tasks carried | KiB | main thread wall ms | its CPU ms |`,
    '|---|---:|---:|---:|---:|',
    read(`running, now: the first ${DETAIL_TASKS} tasks and taskCounts (median of 3)`, r.detail.running.now),
    read('running, before (atk17, simulated): every task read, built and serialized, nothing else (median of 3)', r.detail.running.before),
    read('cancelled, now: its first read', r.detail.ended.now),
    read('cancelled, before (simulated): its first read', r.detail.ended.before),
    '',
    '| cancel of the job | main thread wall ms | its CPU ms | |',
    '|---|---:|---:|---|',
    `| before (atk17, simulated): every live task ended and saved in one transaction (rolled back; the walk and the commit not counted) | ${f0(c.before.wallMs)} | ${f0(c.before.cpuMs)} | ${c.before.rows.toLocaleString('en-US')} tasks saved |`,
    `| now: engine.cancel, what the request waits for (the first slice, committed) | ${f1(c.call.wallMs)} | ${f1(c.call.cpuMs)} | answers the job \`${c.call.status}\` |`,
    `| now: the slices that end the rest, one a tick, until the job is cancelled | longest turn ${f0(c.longestTurnMs)} | ${f0(c.longestTurnCpuMs)} | cancelled ${f1(c.toEndMs / 1000)} s after the call |`,
  ]
}

if (process.argv[1]?.endsWith('wide-job.ts')) {
  const r = await measureWideJob()
  console.log(`load average ${f1(r.load[0])} at the start, ${f1(r.load[1])} at the end`)
  for (const line of wideJobTable(r)) console.log(line)
}
