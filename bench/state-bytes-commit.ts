// `npx tsx bench/state-bytes-commit.ts`: what migration 037's triggers (a job's state counted into
// what its user keeps, store/kept-bytes.ts) and the engine's per-commit check (engine/kept-bytes-guard.ts:
// two one-row reads per submitter) cost on the engine's commit path. One store in a temp folder, the
// same commits with the triggers and without them (dropped), alternating, medians over the rounds:
//   status:  100 tasks saved with their status changed, values unchanged (a wide foreach's tick)
//   small:   100 tasks saved with 1 kB outputs that change size (the triggers fire: two UPDATEs each)
//   large:   8 tasks saved with 1 MB outputs that change size (a tick of large values)
//   insert:  100 tasks of 1 kB specs added to a running job (a foreach's batch; migration 039 counts specs)
// Then the upgrade: migration 037 run on a database of 2,000 jobs of 50 tasks with 1 kB inputs and
// outputs and a 100 kB context each, as JobDesk 036 left it.
// `npm run bench -- specs` runs the insert and status commits alone (measureSpecCounting) and writes
// their block of docs/PERFORMANCE.md.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../electron/store'
import { MIGRATIONS, runMigration } from '../electron/store/migrations'
import jobStateBytes from '../electron/store/migrations/037-job-state-bytes'
import { openOldDatabase } from '../test/support/old-database'
import { watchKeptBytes } from '../electron/engine/kept-bytes-guard'
import type { TaskRecord } from '../electron/store/job.repository'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Migration 037's and 039's triggers that count a job's state and specs into jobs.state_bytes. */
const TRIGGERS = ['tasks', 'task_groups', 'job_values', 'task_spec_parts', 'task_specs'].flatMap((t) => ['added', 'changed', 'removed'].map((w) => `job_state_bytes_${t}_${w}`))

/** A job of `eve` of `tasks` noop tasks; its tasks. */
function jobOf(store: Store, uuid: string, tasks: number): TaskRecord[] {
  const id = store.jobs.create({ uuid, kind: 'dag', name: uuid, submitter: 'eve' }, Array.from({ length: tasks }, (_, i) => ({ name: `t${i}`, executor: 'noop', spec: {} })))
  return store.jobs.tasks(id)
}

/** The four commits on `store`, each a function that runs one and answers its ms; `guard`: with engine/kept-bytes-guard.ts's check in the transaction. */
function commitsOf(store: Store, guard: boolean) {
  const status = jobOf(store, `s${Math.random()}`, 100)
  const small = jobOf(store, `m${Math.random()}`, 100)
  const large = jobOf(store, `l${Math.random()}`, 8)
  const running = jobOf(store, `i${Math.random()}`, 1)[0]!.jobId
  const spec = { d: 'd'.repeat(1000) }
  let round = 0
  let added = 0
  const save = (tasks: TaskRecord[], change: (t: TaskRecord) => void) => {
    const t0 = performance.now()
    store.transaction(() => {
      const w = guard ? watchKeptBytes(store.keptBytes, () => 2 ** 40, ['eve']) : undefined
      for (const t of tasks) {
        change(t)
        store.jobs.saveTask(t)
      }
      w?.check()
    })
    return performance.now() - t0
  }
  return {
    status: () => save(status, (t) => (t.status = round++ % 2 ? 'running' : 'queued')),
    small: () => save(small, (t) => (t.output = { s: 'x'.repeat(1000 + (round++ % 7)) })),
    large: () => save(large, (t) => (t.output = { s: 'y'.repeat(1_000_000 + (round++ % 7)) })),
    insert: () => {
      const t0 = performance.now()
      store.transaction(() => {
        const w = guard ? watchKeptBytes(store.keptBytes, () => 2 ** 40, ['eve']) : undefined
        store.jobs.addTasks(running, Array.from({ length: 100 }, () => ({ name: `a${added++}`, executor: 'noop', spec })))
        w?.check()
      })
      return performance.now() - t0
    },
  }
}

type Commit = keyof ReturnType<typeof commitsOf>

/**
 * Runs `kinds` of commits ROUNDS times on a store with the triggers and the check and on one without
 * (dropped), taking turns; answers each kind's times (ms) each way, and the bytes eve's jobs keep as
 * counted on the one with them beside the sum of their state_bytes (equal when the count is right).
 */
function commitTimes(kinds: readonly Commit[]): { times: Record<string, { with: number[]; without: number[] }>; counted: number; summed: number } {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-state-bytes-'))
  const withT = openStore(join(dir, 'with.db'))
  const without = openStore(join(dir, 'without.db'))
  try {
    for (const t of [...TRIGGERS, 'user_kept_bytes_state_changed']) without.db.exec(`DROP TRIGGER IF EXISTS ${t}`)
    const a = commitsOf(withT, true)
    const b = commitsOf(without, false)
    const times: Record<string, { with: number[]; without: number[] }> = {}
    for (let r = 0; r < ROUNDS; r++) {
      for (const k of kinds) {
        const slot = (times[k] ??= { with: [], without: [] })
        if (r % 2) {
          slot.with.push(a[k]())
          slot.without.push(b[k]())
        } else {
          slot.without.push(b[k]())
          slot.with.push(a[k]())
        }
      }
    }
    const summed = Number(withT.db.prepare("SELECT sum(state_bytes) FROM jobs WHERE submitter = 'eve'").pluck().get())
    return { times, counted: withT.keptBytes.ofSubmitter('eve'), summed }
  } finally {
    withT.close()
    without.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function commitCosts(): void {
  const { times, counted, summed } = commitTimes(['status', 'small', 'large', 'insert'])
  for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(6)} commit: ${median(v.without).toFixed(2)} ms without the triggers, ${median(v.with).toFixed(2)} ms with them and the check (median of ${ROUNDS})`)
  console.log(`eve's jobs keep ${counted} bytes as counted; the sum of her jobs' state_bytes: ${summed}`)
}

/** The specs part's figures: each commit's ms without and with the triggers and the check (median, p90), over `rounds`. */
export interface SpecCountingFigures {
  rounds: number
  rows: { kind: 'insert' | 'status'; without: [number, number]; with: [number, number] }[]
  counted: number
  summed: number
  load: [number, number]
}

const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)]!

/** What counting task specs (migration 039) costs: 100 tasks of 1 kB specs added to a running job, and a status save of 100 tasks, each way. */
export function measureSpecCounting(): SpecCountingFigures {
  const loadAtStart = loadavg()[0]
  const kinds = ['insert', 'status'] as const
  const { times, counted, summed } = commitTimes(kinds)
  const rows = kinds.map((kind) => ({ kind, without: [median(times[kind].without), p90(times[kind].without)] as [number, number], with: [median(times[kind].with), p90(times[kind].with)] as [number, number] }))
  return { rounds: ROUNDS, rows, counted, summed, load: [loadAtStart, loadavg()[0]] }
}

/** The figures as a line of what was committed and a markdown table. */
export function specCountingTable(r: SpecCountingFigures): string[] {
  const what = { insert: 'insert: 100 tasks of 1 kB specs added to a running job (a foreach batch)', status: 'status: 100 tasks saved with their status changed' }
  const ms = ([m, p]: [number, number]) => `${m.toFixed(2)} (${p.toFixed(2)})`
  return [
    `One store with the kept-bytes triggers (migrations 037, 039) and the engine's per-commit check, one with the triggers dropped, the same commits taking turns; ${r.rounds} rounds. Counted on the one with them: ${r.counted.toLocaleString('en-US')} bytes, the sum of the jobs' state_bytes ${r.summed.toLocaleString('en-US')}.`,
    '',
    '| commit | without the triggers, ms: median (p90) | with them and the check, ms: median (p90) | cost a task, µs (medians) |',
    '|---|---:|---:|---:|',
    ...r.rows.map((x) => `| ${what[x.kind]} | ${ms(x.without)} | ${ms(x.with)} | ${(((x.with[0] - x.without[0]) / 100) * 1000).toFixed(0)} |`),
  ]
}

function upgradeCost(): void {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-state-upgrade-'))
  const at = MIGRATIONS.indexOf(jobStateBytes)
  const db = openOldDatabase(join(dir, 'old.db'), at)
  const value = JSON.stringify({ s: 'v'.repeat(1000) })
  const context = JSON.stringify({ c: 'c'.repeat(100_000) })
  db.transaction(() => {
    const job = db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES (?, 'dag', 'n', 'succeeded', 'eve', 0, 0)")
    const task = db.prepare("INSERT INTO tasks (job_id, name, executor, status, input, output) VALUES (?, ?, 'noop', 'succeeded', ?, ?)")
    const ctx = db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'context', ?)")
    for (let j = 0; j < 2000; j++) {
      const id = Number(job.run(`u${j}`).lastInsertRowid)
      ctx.run(id, context)
      for (let i = 0; i < 50; i++) task.run(id, `t${i}`, value, value)
    }
  })()
  const t0 = performance.now()
  db.transaction(() => runMigration(db, MIGRATIONS[at]!, () => undefined))()
  const ms = performance.now() - t0
  console.log(`upgrade (migration 037) of 2,000 jobs, 100,000 tasks, ${((2000 * (100_000 + 50 * 2 * 1010)) / 2 ** 20).toFixed(0)} MiB of state: ${ms.toFixed(0)} ms; counted ${db.prepare("SELECT bytes FROM user_result_bytes WHERE submitter = 'eve'").pluck().get()} bytes`)
  db.close()
  rmSync(dir, { recursive: true, force: true })
}

if (process.argv[1]?.endsWith('state-bytes-commit.ts')) {
  console.log(`load ${loadavg()[0]!.toFixed(2)}`)
  commitCosts()
  upgradeCost()
}
