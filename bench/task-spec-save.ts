// `npx tsx bench/task-spec-save.ts`: main-thread cost of a task's status change when the task holds a
// large spec (#9: a 720 kB SQL script), and of storing many small tasks (a foreach's), on a real
// store in a temp folder. Prints medians and the 95th percentile in ms, with the load average.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../electron/store'

const SPEC_BYTES = 720 * 1024
const STEPS = Number(process.env.BENCH_STEPS ?? 200)
const SMALL_TASKS = Number(process.env.BENCH_SMALL_TASKS ?? 50_000)

/** Milliseconds of this process's CPU (user + system) since `from` (less swayed by other processes than wall time). */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  try {
    const line = 'SELECT id, name, amount FROM orders WHERE amount > 100;\n'
    const code = line.repeat(Math.ceil(SPEC_BYTES / line.length)).slice(0, SPEC_BYTES)
    const id = store.jobs.create({ uuid: 'bench-1', kind: 'script', name: 'big', submitter: 'admin', input: { language: 'sql', code } }, [
      { name: 'main', executor: 'sql', spec: { code, language: 'sql', user: 'admin' } },
    ])
    const task = store.jobs.tasks(id)[0]
    const times: number[] = []
    const statuses = ['running', 'succeeded', 'pending'] as const
    for (let i = 0; i < STEPS; i++) {
      const t0 = performance.now()
      // as the engine persists a step: the task's row in a transaction of its own
      store.transaction(() => store.jobs.saveTask({ ...task, status: statuses[i % 3], attempt: i, startedAt: i, finishedAt: i }))
      times.push(performance.now() - t0)
    }
    console.log(`status change of a task with a ${SPEC_BYTES / 1024} kB spec, ${STEPS} steps: median ${quantile(times, 0.5).toFixed(3)} ms, p95 ${quantile(times, 0.95).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms`)
    // what one status change writes: the growth of the write-ahead log with checkpoints held off
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    store.db.pragma('wal_autocheckpoint = 0')
    store.transaction(() => store.jobs.saveTask({ ...task, status: 'running', attempt: 1 }))
    console.log(`bytes written to the WAL by one status change: ${statSync(join(dir, 'jobdesk.db-wal')).size}`)
    store.db.pragma('wal_autocheckpoint = 1000')

    const pollTimes: number[] = []
    for (let i = 0; i < STEPS; i++) {
      const t0 = performance.now()
      store.jobs.tasksWithoutSpec(id)
      pollTimes.push(performance.now() - t0)
    }
    console.log(`tasksWithoutSpec of that job: median ${quantile(pollTimes, 0.5).toFixed(3)} ms`)
    const fullTimes: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      store.jobs.tasks(id)
      fullTimes.push(performance.now() - t0)
    }
    console.log(`tasks (with spec) of that job: median ${quantile(fullTimes, 0.5).toFixed(3)} ms`)

    const small = Array.from({ length: SMALL_TASKS }, (_, i) => ({ name: `each_0-t_${i}`, executor: 'noop', spec: { route: 'each_0', def: { name: 't', category: 'pass' } } }))
    const other = store.jobs.create({ uuid: 'bench-2', kind: 'workflow', name: 'many', submitter: 'admin' }, [])
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    for (let i = 0; i < small.length; i += 1000) store.jobs.addTasks(other, small.slice(i, i + 1000))
    const addMs = performance.now() - t0
    console.log(`addTasks of ${SMALL_TASKS} small tasks (1,000 a transaction): ${addMs.toFixed(0)} ms wall, ${cpuMs(c0).toFixed(0)} ms CPU (${((addMs * 1000) / SMALL_TASKS).toFixed(1)} µs a task)`)
    const t1 = performance.now()
    const c1 = process.cpuUsage()
    store.jobs.tasks(other)
    console.log(`tasks() of those ${SMALL_TASKS}: ${(performance.now() - t1).toFixed(0)} ms wall, ${cpuMs(c1).toFixed(0)} ms CPU`)
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
