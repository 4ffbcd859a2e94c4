// `npm run bench -- kept` (or `npx tsx bench/kept-bytes.ts`; BENCH_KEPT_JOBS, the largest count of a
// user's jobs, default 100,000): what the per-user kept-bytes count (shared/quotas.ts
// MAX_KEPT_BYTES_PER_USER; migrations 034 and 036) costs, in process on a store in a temp folder.
//   read:   keptBytes.ofSubmitter (one row of the running total the triggers keep) for a user of
//           100, 10,000 and BENCH_KEPT_JOBS jobs with a result set each, beside the sum it stands for
//           over the user's jobs (the test's `summed`, given an index on jobs(submitter) the schema
//           lacks: the sum's best case), the two checked equal
//   submit: jobs.create of a SQL job of 1,000,000 characters of code, beside the counting's share
//           of it (Buffer.byteLength of the input's JSON, what job-rows.ts adds to a submit)
//   log:    logs.countKeptLog once a job's log is written, for logs of 10 to 80,000 lines, beside
//           writing those lines (logs.append in one transaction, as the engine's commit writes them)
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { LINE_COST } from '../electron/engine/job-logs'
import { openStore, type Store } from '../electron/store'
import { median, timed } from './main-thread-clock'

const MOST_JOBS = Number(process.env.BENCH_KEPT_JOBS ?? 100_000)
/** Runs a slower figure is the median of (single reads are the median of READS). */
const RUNS = 7
const READS = 1000

/** The kept part's figures: ms are medians of wall time. */
export interface KeptFigures {
  reads: { jobs: number; countMs: number; sumMs: number }[]
  submit: { chars: number; submitMs: number; byteLengthMs: number }
  logs: { lines: number; lineBytes: number; countMs: number; writeMs: number }[]
  load: [number, number]
}

/** Adds `n` finished jobs of `submitter`, each with one result set of 1,000 bytes and 100 bytes of input, by SQL (the triggers count them as they go). */
function addJobs(store: Store, submitter: string, from: number, n: number): void {
  store.transaction(() => {
    store.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @from + @n)
         INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at, input_bytes)
         SELECT @submitter || '-' || i, 'script', 'j' || i, 'succeeded', @submitter, '{}', 1, 1, 100 FROM n`,
      )
      .run({ from, n, submitter })
    store.db
      .prepare(
        `INSERT INTO result_sets (job_id, task_id, idx, kind, columns, row_count, byte_size, state)
         SELECT id, NULL, 0, 'table', '[]', 10, 1000, 'complete' FROM jobs WHERE submitter = @submitter AND NOT EXISTS (SELECT 1 FROM result_sets r WHERE r.job_id = jobs.id)`,
      )
      .run({ submitter })
  })
}

/** Median ms of `fn` over `runs` calls. */
const medianMs = (runs: number, fn: () => unknown): number => median(Array.from({ length: runs }, () => timed(fn).wallMs))

/** Median ms of one call of `fn`, from `batches` batches of `per` calls each (for calls of microseconds). */
const perCallMs = (batches: number, per: number, fn: () => unknown): number =>
  median(
    Array.from({ length: batches }, () =>
      timed(() => {
        for (let i = 0; i < per; i++) fn()
      }).wallMs / per,
    ),
  )

/** Runs the three measurements on a fresh store; returns the figures. */
export function measureKeptBytes(): KeptFigures {
  const loadAtStart = loadavg()[0]
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const store = openStore(join(dir, 'jobdesk.db'))
  try {
    // the sum's best case: an index on the submitter (the schema has none: the total is read instead)
    store.db.exec('CREATE INDEX bench_jobs_by_submitter ON jobs (submitter)')
    const sum = store.db
      .prepare<[string, string], number>(
        `SELECT (SELECT coalesce(sum(r.byte_size), 0) FROM jobs j JOIN result_sets r ON r.job_id = j.id WHERE j.submitter = ? AND r.idx >= 0)
              + (SELECT coalesce(sum(input_bytes + log_bytes), 0) FROM jobs WHERE submitter = ?)`,
      )
      .pluck()
    const reads: KeptFigures['reads'] = []
    let jobs = 0
    for (const size of [100, 10_000, MOST_JOBS]) {
      addJobs(store, 'eve', jobs, size - jobs)
      jobs = size
      store.db.exec('ANALYZE')
      const counted = store.keptBytes.ofSubmitter('eve')
      if (counted !== sum.get('eve', 'eve')) throw new Error(`the running total ${counted} is not the sum ${sum.get('eve', 'eve')}`)
      reads.push({ jobs, countMs: perCallMs(RUNS, READS, () => store.keptBytes.ofSubmitter('eve')), sumMs: medianMs(RUNS, () => sum.get('eve', 'eve')) })
    }

    // a submit of a SQL job of the most code a job may have (1,000,000 characters)
    const chars = 1_000_000
    const code = `select 1 -- ${'x'.repeat(chars - 12)}`
    const text = JSON.stringify({ code })
    let n = 0
    const submitMs = medianMs(RUNS, () => store.jobs.create({ uuid: `code-${n++}`, kind: 'script', name: 'code', submitter: 'bob', input: { code } }, [{ name: 'main', executor: 'sql', spec: {} }]))
    const byteLengthMs = perCallMs(RUNS, 100, () => Buffer.byteLength(text))

    // logs: written in one transaction, then counted once
    const logs: KeptFigures['logs'] = []
    for (const [lines, lineBytes] of [
      [10, 100],
      [1_000, 100],
      [25_000, 200],
      [80_000, 1],
    ] as const) {
      const writes: number[] = []
      const counts: number[] = []
      for (let r = 0; r < RUNS; r++) {
        const id = store.jobs.create({ uuid: `log-${lines}-${r}`, kind: 'script', name: 'log', submitter: 'bob' }, [{ name: 'main', executor: 'sql', spec: {} }])
        const text = 'l'.repeat(lineBytes)
        const batch = Array.from({ length: lines }, (_, seq) => ({ jobId: id, seq, taskId: null, time: 1, level: 'INFO' as const, text }))
        writes.push(timed(() => store.transaction(() => store.logs.append(batch))).wallMs)
        counts.push(timed(() => store.logs.countKeptLog(id, LINE_COST)).wallMs)
      }
      logs.push({ lines, lineBytes, countMs: median(counts), writeMs: median(writes) })
    }
    return { reads, submit: { chars, submitMs, byteLengthMs }, logs, load: [loadAtStart, loadavg()[0]] }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** ms with three significant figures or so, down to µs. */
const ms = (x: number): string => (x < 0.1 ? x.toFixed(4) : x < 10 ? x.toFixed(2) : x.toFixed(0))

/** The figures as three markdown tables. */
export function keptBytesTable(r: KeptFigures): string[] {
  return [
    `Reading a user's kept bytes (one result set of 1,000 bytes and 100 bytes of input a job); the count median of ${RUNS} batches of ${READS} reads, the sum median of ${RUNS}:`,
    '',
    "| the user's jobs | running count (keptBytes.ofSubmitter), ms | sum over the jobs (indexed), ms | sum / count |",
    '|---:|---:|---:|---:|',
    ...r.reads.map((x) => `| ${x.jobs.toLocaleString('en-US')} | ${ms(x.countMs)} | ${ms(x.sumMs)} | ${(x.sumMs / x.countMs).toFixed(0)}× |`),
    '',
    `A submit of a SQL job of ${r.submit.chars.toLocaleString('en-US')} characters of code, median of ${RUNS}:`,
    '',
    '| what | ms | share of the submit |',
    '|---|---:|---:|',
    `| jobs.create: the job, its task, its input stored and counted, committed | ${ms(r.submit.submitMs)} | 100% |`,
    `| of which counting the input: Buffer.byteLength of its JSON | ${ms(r.submit.byteLengthMs)} | ${((100 * r.submit.byteLengthMs) / r.submit.submitMs).toFixed(1)}% |`,
    '',
    `A job's log counted once it is written (countKeptLog), beside writing it; medians of ${RUNS}:`,
    '',
    '| log | count at the end, ms | writing the lines (one transaction), ms | count / writing |',
    '|---|---:|---:|---:|',
    ...r.logs.map((x) => `| ${x.lines.toLocaleString('en-US')} lines of ${x.lineBytes} byte${x.lineBytes === 1 ? '' : 's'} | ${ms(x.countMs)} | ${ms(x.writeMs)} | ${((100 * x.countMs) / x.writeMs).toFixed(1)}% |`),
  ]
}

if (process.argv[1]?.endsWith('kept-bytes.ts')) {
  const r = measureKeptBytes()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of keptBytesTable(r)) console.log(line)
}
