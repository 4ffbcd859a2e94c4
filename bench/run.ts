// `npm run bench`: prints figures and ratios, and rewrites the measured blocks of docs/PERFORMANCE.md.
// `npm run bench -- <part>` runs one part (engine, commits, peers, rest, probes, graph, ges, md5, algorithms, cypher, submit, export, firstslice,
// forms, held, redo, sweep, kept, tempstore, widejob, joblist, wideschema, specs, foreachget, weight, callbackhold, recovery) and rewrites its block only.
// BENCH_GRAPH=100000,500000 makes the graph import part a quick run on a smaller graph.
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { measureAlgorithms, printAlgorithms, writeAlgorithmBlock } from './algorithms'
import { cypherTable, describeCypher, measureCypher, TARGET_MS, TARGET_RATIO } from './cypher'
import { measureThroughput, type ThroughputResult } from './engine-throughput'
import { BULLMQ_VERSION, measureAgainstBullmq } from './bullmq-peer'
import { describeGraphImport, graphImportTable, measureGraphImport } from './graph-import'
import { measureRestOverhead } from './rest-overhead'
import { commitLatencyTable, measureCommitLatency } from './commit-latency'
import { measureWorkflows } from './workflow-bench'
import { measureSubmitContext, submitContextTable } from './submit-context'
import { measureServedProbes, servedProbesTables } from './served-probes'
import { gesImportTable, measureGesImport } from './ges-import'
import { md5Table, measureMd5Check } from './md5-check'
import { exportTable, firstSliceTable, formsTable, heldTable, measureExport, measureFirstSlice, measureForms, measureHeld } from './served-values'
import { measureRedoForeach, redoForeachTable } from './redo-foreach'
import { measureSweepSteps, sweepStepsTable } from './sweep-steps'
import { keptBytesTable, measureKeptBytes } from './kept-bytes'
import { measureTempStore, tempStoreTable } from './temp-store'
import { measureSpecCounting, specCountingTable } from './state-bytes-commit'
import { measureWideJob, wideJobTable } from './wide-job'
import { measureWideSchema, wideSchemaTable } from './wide-schema'
import { jobListTable, measureJobList } from './job-list'
import { foreachAnswersTable, measureForeachAnswers } from './foreach-answers'
import { heldWeightTable, measureHeldWeight } from './held-weight'
import { callbackHoldTable, measureCallbackHold } from './callback-hold'
import { measureRestartRecovery, restartRecoveryTable } from './restart-recovery'

const TARGET_TASKS_PER_SECOND = 5000
const DOC = resolve(import.meta.dirname, '../docs/PERFORMANCE.md')
const BEGIN = '<!-- bench:begin -->'
const END = '<!-- bench:end -->'
const GRAPH_BEGIN = '<!-- bench:graph:begin -->'
const GRAPH_END = '<!-- bench:graph:end -->'
const PEERS_BEGIN = '<!-- bench:peers:begin -->'
const PEERS_END = '<!-- bench:peers:end -->'
const REST_BEGIN = '<!-- bench:rest:begin -->'
const REST_END = '<!-- bench:rest:end -->'
const CYPHER_BEGIN = '<!-- bench:cypher:begin -->'
const CYPHER_END = '<!-- bench:cypher:end -->'
const COMMITS_BEGIN = '<!-- bench:commits:begin -->'
const COMMITS_END = '<!-- bench:commits:end -->'
const SUBMIT_BEGIN = '<!-- bench:submit:begin -->'
const SUBMIT_END = '<!-- bench:submit:end -->'
const PROBES_BEGIN = '<!-- bench:probes:begin -->'
const PROBES_END = '<!-- bench:probes:end -->'
const GES_BEGIN = '<!-- bench:ges:begin -->'
const GES_END = '<!-- bench:ges:end -->'
const MD5_BEGIN = '<!-- bench:md5:begin -->'
const MD5_END = '<!-- bench:md5:end -->'
/** Runs per figure, whose median is printed with its spread. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

/** Replaces the text between `begin` and `end` in docs/PERFORMANCE.md. */
function rewriteBlock(begin: string, end: string, body: string[]): void {
  const doc = readFileSync(DOC, 'utf8')
  const start = doc.indexOf(begin)
  const stop = doc.indexOf(end)
  if (start === -1 || stop === -1) throw new Error(`${DOC} lacks the ${begin} … ${end} markers`)
  writeFileSync(DOC, doc.slice(0, start) + [begin, ...body, end].join('\n') + doc.slice(stop + end.length))
  console.log(`written to ${DOC}`)
}

const machine = (): string => `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`

/** The bench's parts, in the order a full run takes them. */
const PARTS: Record<string, () => void | Promise<void>> = {
  engine,
  commits,
  peers,
  rest,
  probes,
  graph,
  ges,
  md5,
  algorithms,
  cypher,
  submit,
  export: valuesPart('export', measureExport, exportTable),
  firstslice: valuesPart('firstslice', measureFirstSlice, firstSliceTable),
  forms: valuesPart('forms', measureForms, formsTable),
  held: valuesPart('held', measureHeld, heldTable, 'In-process: a store in a temp folder, its workers built; medians of the runs, each with a fresh set of kept values.'),
  redo: valuesPart('redo', measureRedoForeach, redoForeachTable, 'In-process (bench/redo-foreach.ts): the Rill Flow stack on a store in a temp folder; one run.'),
  sweep: valuesPart('sweep', measureSweepSteps, sweepStepsTable, 'In-process (bench/sweep-steps.ts): a store in a temp folder; one run.'),
  kept: valuesPart('kept', async () => measureKeptBytes(), keptBytesTable, 'In-process (bench/kept-bytes.ts): a store in a temp folder.'),
  tempstore: valuesPart('tempstore', async () => measureTempStore(), tempStoreTable, 'A table in a temp folder, sorted by better-sqlite3 in child processes (bench/temp-store.ts).'),
  widejob: valuesPart('widejob', measureWideJob, wideJobTable, 'In-process (bench/wide-job.ts): the Rill Flow stack on a store in a temp folder; one run.'),
  joblist: valuesPart('joblist', measureJobList, jobListTable, 'In-process (bench/job-list.ts): a store in a temp folder.'),
  wideschema: valuesPart('wideschema', measureWideSchema, wideSchemaTable),
  specs: valuesPart('specs', async () => measureSpecCounting(), specCountingTable, 'In-process (bench/state-bytes-commit.ts): two stores in a temp folder.'),
  foreachget: valuesPart('foreachget', measureForeachAnswers, foreachAnswersTable, 'The app started in the bench process (bench/foreach-answers.ts, its workers built) on a temp folder; requests and the probe from worker threads.'),
  weight: valuesPart('weight', async () => measureHeldWeight(), heldWeightTable, 'In-process (bench/held-weight.ts).'),
  callbackhold: valuesPart('callbackhold', measureCallbackHold, callbackHoldTable, 'The app as `serve` runs it, in a process of its own (bench/callback-hold.ts); the probe from a worker thread.'),
  recovery: valuesPart('recovery', measureRestartRecovery, restartRecoveryTable, 'The app as `serve` runs it, killed and started again on its data (bench/restart-recovery.ts); the probe from a worker thread.'),
}

async function main(): Promise<void> {
  const only = process.argv[2]
  if (only !== undefined && !(only in PARTS)) throw new Error(`unknown part ${only}: one of ${Object.keys(PARTS).join(', ')}`)
  for (const [name, run] of Object.entries(PARTS)) if (only === undefined || only === name) await run()
}

/** Main-thread commit latency with SQLite's checkpoints beside JobDesk's checkpointer, with and without another program's writeback (bench/commit-latency.ts). */
async function commits(): Promise<void> {
  const load = loadavg()[0]
  const seconds = Number(process.env.BENCH_COMMIT_SECONDS ?? 20)
  const rows = await measureCommitLatency(seconds)
  const table = commitLatencyTable(rows)
  table.forEach((l) => console.log(l))
  rewriteBlock(COMMITS_BEGIN, COMMITS_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end. ` +
      `${seconds} s each: a commit of 40 kB every 5 ms on the main thread, the store's settings (WAL, synchronous=NORMAL).`,
    '',
    ...table,
  ])
}

/** A Rill Flow submit of a 3.9 MB context stored, and the first view of its ended job, as now and as before migration 023 (bench/submit-context.ts). */
function submit(): void {
  const { figures, load, runs } = measureSubmitContext()
  const table = submitContextTable(figures)
  table.forEach((l) => console.log(l))
  rewriteBlock(SUBMIT_BEGIN, SUBMIT_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load[0].toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end; medians of ${runs} runs.`,
    '',
    ...table,
  ])
}

/** The line every block starts with: when, on what, and the load average at the start and the end (a shared machine's figures move with it). */
const measuredLine = (loadAtStart: number): string =>
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`

/** A status probe's answer times while the served app reads a running job's large detail, and while writes wait on a locked database (bench/served-probes.ts). */
async function probes(): Promise<void> {
  const load = loadavg()[0]
  const r = await measureServedProbes()
  const table = servedProbesTables(r)
  table.forEach((l) => console.log(l))
  rewriteBlock(PROBES_BEGIN, PROBES_END, [measuredLine(load) + ' The app in its own process (`serve`), probes from a worker thread of the bench.', '', ...table])
}

/** Where bench/served-values.ts's served parts run. */
const SERVED_VALUES = 'The app in its own process (`serve`, its workers built), probes from a worker thread of the bench.'

/**
 * A part that measures, prints its table and rewrites its block (`<!-- bench:<name>:begin -->`) with
 * the line that says when, on what and at what load, then `where` it ran (by default: a served part of
 * bench/served-values.ts).
 */
function valuesPart<R>(name: string, measure: () => Promise<R>, table: (r: R) => string[], where?: string): () => Promise<void> {
  return async () => {
    const load = loadavg()[0]
    const lines = table(await measure())
    lines.forEach((l) => console.log(l))
    rewriteBlock(`<!-- bench:${name}:begin -->`, `<!-- bench:${name}:end -->`, [`${measuredLine(load)} ${where ?? SERVED_VALUES}`, '', ...lines])
  }
}

/** GES import-graph beside the native import of the same rows (bench/ges-import.ts). */
function ges(): void {
  const load = loadavg()[0]
  const r = measureGesImport()
  if ('error' in r) throw new Error(`GES import bench: ${r.error}`)
  const table = gesImportTable(r)
  table.forEach((l) => console.log(l))
  rewriteBlock(GES_BEGIN, GES_END, [measuredLine(load), '', ...table])
}

/** TuGraph check_file's md5 of a large upload beside md5sum (bench/md5-check.ts). */
async function md5(): Promise<void> {
  const load = loadavg()[0]
  const r = await measureMd5Check()
  const table = md5Table(r)
  table.forEach((l) => console.log(l))
  rewriteBlock(MD5_BEGIN, MD5_END, [measuredLine(load) + ` Median of ${r.rounds} rounds, alternating.`, '', ...table])
}

/** PageRank, WCC and triangle count beside graphology's on the same graph (bench/algorithms.ts). */
function algorithms(): void {
  const b = measureAlgorithms()
  printAlgorithms(b)
  writeAlgorithmBlock(b)
}

/** Six Cypher queries beside Kuzu on the same generated social graph (bench/cypher.ts). */
function cypher(): void {
  const load = loadavg()[0]
  const b = measureCypher()
  const lines = describeCypher(b)
  lines.forEach((l) => console.log(l))
  rewriteBlock(CYPHER_BEGIN, CYPHER_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end. ` +
      `Target: every query within ${TARGET_RATIO}× of Kuzu and under ${TARGET_MS} ms.`,
    '',
    ...cypherTable(b),
    '',
    ...lines.map((l) => `- ${l}`),
  ])
}

/** The engine beside BullMQ on the same work (ratios: stable across machines). */
async function peers(): Promise<void> {
  const r = await measureAgainstBullmq(RUNS)
  if ('skipped' in r) {
    console.log(`BullMQ comparison skipped: ${r.skipped}`)
    return rewriteBlock(PEERS_BEGIN, PEERS_END, [`Skipped on ${new Date().toISOString().slice(0, 10)}: ${r.skipped}`])
  }
  const spread = ([lo, hi]: [number, number]) => `${lo.toFixed(0)}–${hi.toFixed(0)}`
  rewriteBlock(PEERS_BEGIN, PEERS_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${loadavg()[0].toFixed(1)}. Median of ${r.runs} runs each, ` +
      `BullMQ ${BULLMQ_VERSION} on Redis (AOF everysec), concurrency 64 on both sides.`,
    '',
    '| work | JobDesk ms (spread) | BullMQ ms (spread) | JobDesk ahead by (ratio) |',
    '|---|---:|---:|---:|',
    ...r.rows.map((row) => `| ${row.work} | ${row.jobdeskMs.toFixed(0)} (${spread(row.jobdeskSpread)}) | ${row.bullmqMs.toFixed(0)} (${spread(row.bullmqSpread)}) | ${row.ratio.toFixed(2)}× |`),
  ])
}

/** Status polls against a bare fastify route (% of bare: the ratio; req/s: machine-dependent). */
async function rest(): Promise<void> {
  const r = await measureRestOverhead(RUNS, Number(process.env.BENCH_REST_SECONDS ?? 3))
  const rows = r.polls.map((p) => {
    console.log(`${p.name}: ${p.reqPerSecond.toFixed(0)} req/s, ${(100 * p.ratioToBare).toFixed(0)}% of bare, ${p.cpuUsPerRequest.toFixed(0)} µs CPU/request, ${(100 * p.cpuRatioToBare).toFixed(0)}% of bare by CPU`)
    return `| ${p.name} | ${p.reqPerSecond.toFixed(0)} (${p.spread.map((x) => x.toFixed(0)).join('–')}) | ${(100 * p.ratioToBare).toFixed(0)}% | ${p.cpuUsPerRequest.toFixed(0)} | ${(100 * p.cpuRatioToBare).toFixed(0)}% |`
  })
  rewriteBlock(REST_BEGIN, REST_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${loadavg()[0].toFixed(1)}. Median of ${r.rounds} rounds of ` +
      `${r.durationSeconds} s each, autocannon with 10 keep-alive connections, servers in their own processes.`,
    '',
    '| poll | req/s (spread; absolute) | % of bare (ratio) | server CPU µs/request (absolute) | % of bare by CPU (ratio) |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ])
}

function graph(): void {
  const load = loadavg()[0]
  console.log(`graph import (load average ${load.toFixed(1)} on ${cpus().length} cores at the start) …`)
  const r = measureGraphImport()
  const lines = describeGraphImport(r)
  const loadAfter = loadavg()[0]
  lines.forEach((l) => console.log(l))
  rewriteBlock(GRAPH_BEGIN, GRAPH_END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${load.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`,
    '',
    ...graphImportTable(r),
    '',
    ...lines.map((l) => `- ${l}`),
  ])
}

async function engine(): Promise<void> {
  const results: ThroughputResult[] = []
  for (const size of [1_000, 10_000, 100_000]) {
    const r = await measureThroughput(size)
    results.push(r)
    console.log(
      `engine noop DAG ${size.toLocaleString('en')} tasks: submit ${r.submitMs.toFixed(0)} ms, run ${r.runMs.toFixed(0)} ms, ` +
        `${r.tasksPerSecond.toFixed(0)} tasks/s, ${r.usPerTask.toFixed(1)} µs/task, rss ${r.rssMb.toFixed(0)} MB`,
    )
  }
  const base = results[0]
  const rows = results.map((r) => {
    const growth = r.usPerTask / base.usPerTask
    return `| ${r.tasks.toLocaleString('en')} | ${r.submitMs.toFixed(0)} | ${r.runMs.toFixed(0)} | ${r.tasksPerSecond.toFixed(0)} | ${r.usPerTask.toFixed(1)} | ${growth.toFixed(2)}× | ${r.rssMb.toFixed(0)} |`
  })
  const worst = Math.min(...results.map((r) => r.tasksPerSecond))
  const verdict = `Slowest size: ${worst.toFixed(0)} tasks/s against a target of ${TARGET_TASKS_PER_SECOND} (${(worst / TARGET_TASKS_PER_SECOND).toFixed(1)}× the target).`
  console.log(verdict)
  const w = await measureWorkflows()
  const workflowLines = [
    `40-step chain of 10 ms HTTP tasks: ${w.chainTotalMs.toFixed(0)} ms in all; the same 40 calls made directly: ${w.directTotalMs.toFixed(0)} ms; ` +
      `engine overhead ${w.chainOverheadPerTaskMs.toFixed(2)} ms per task (target < 1 ms; best of Airflow, Prefect, Temporal, Hatchet in Windmill's comparison: about 20 ms).`,
    `1,000-wide foreach (pass sub-tasks with an Aviator transform): ${w.foreachMs.toFixed(0)} ms, ${w.foreachTasksPerSecond.toFixed(0)} tasks/s.`,
    `Two-task HTTP workflow, ${w.executions} executions submitted over REST by 32 clients: ${w.executionsPerSecond.toFixed(0)} executions/s ` +
      `(n8n's published figure: 220/s), mean ${w.meanExecutionMs.toFixed(1)} ms from submit to final commit (Rill Flow claims < 100 ms per task).`,
  ]
  workflowLines.forEach((l) => console.log(l))
  rewriteBlock(BEGIN, END, [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}.`,
    '',
    '| tasks | submit ms | run ms | tasks/s | µs/task | cost per task vs 1k | rss MB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    verdict,
    '',
    '**Workflows (Rill Flow dialect)**',
    '',
    ...workflowLines.map((l) => `- ${l}`),
  ])
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
