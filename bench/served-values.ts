// Large values and bodies the last robustness work moved off the main thread, measured as a client
// meets them (the app in its own process, as `serve` runs it, its workers built) with a status probe
// (GET /api/v1/health every 50 ms, from a worker thread of the bench) beside, and, for held values,
// in-process where the store's counters can be read:
//   export      a result set of EXPORT_ROWS rows of one EXPORT_CELL_KB kB cell (a SQL job makes it)
//               exported as CSV sorted by that cell (`/csv?sort=0`: the export worker sorts the rows'
//               numbers with their cells, then reads the rows by number; store/result-query.ts cursor),
//               beside the same export unsorted, taking turns;
//   firstslice  a finished job's kept KEPT_MB MB input read the first time (GET /api/v1/jobs/:id: the
//               value is loaded whole in a worker thread, store/value-reader.ts, before the first slice),
//               beside a 1 MB one (the same path: the worker's start is its floor);
//   forms       Rill Flow form bodies (application/x-www-form-urlencoded): MAX_FORM_FIELDS fields taken
//               (submit.json), ~600,000 fields (4 MB) refused before they are split, and trigger.json's
//               `context` field of a map of 199,999 keys (MAX_JSON_KEYS), parsed in the JSON worker;
//   held        two answers streamed at once (http/json-stream.ts) of two finished HELD_MB MB values,
//               in-process on a store in a temp folder (store/finished-values.ts with its worker reader):
//               whole loads, wall time and the longest slice, beside one answer alone.
// Sizes: BENCH_EXPORT_ROWS (2000), BENCH_EXPORT_CELL_KB (64), BENCH_KEPT_MB (48), BENCH_HELD_MB (40);
// BENCH_VALUE_RUNS (3) runs of each. Run alone: npx tsx bench/served-values.ts [export|firstslice|forms|held]
// (`npm run bench -- <part>` writes its block of docs/PERFORMANCE.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_FORM_FIELDS } from '../electron/http/dialects/rillflow/request'
import { jsonStream } from '../electron/http/json-stream'
import { openStore, type Store } from '../electron/store'
import { createFinishedBytes, FINISHED_BYTES_LIMIT, type FinishedBytes } from '../electron/store/finished-values'
import { createJobChanges } from '../electron/store/job-changes'
import { RawJson, type StoredSlices } from '../electron/store/raw-json'
import { valueReader } from '../electron/store/value-reader'
import { MAX_JSON_KEYS } from '../shared/json-limits'
import { manyKeys } from '../test/support/large-bodies'
import { adminToken, json, mainThreadCpuMs, median, probeDuring, sampleTempFileBytes, startServer, stopServer, useBuiltWorkers, type ProbeFigures, type Server } from './served-app'

const MB = 1024 * 1024
const RUNS = Number(process.env.BENCH_VALUE_RUNS ?? 3)
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 2000)
const EXPORT_CELL_KB = Number(process.env.BENCH_EXPORT_CELL_KB ?? 64)
const KEPT_MB = Number(process.env.BENCH_KEPT_MB ?? 48)
const SMALL_MB = 1
const HELD_MB = Number(process.env.BENCH_HELD_MB ?? 40)
/** A form body just under Rill Flow's 4 MB of `k0=&k1=&…`: about 600,000 distinct fields. */
const FORM_BYTES = 4 * MB - 4096
/** The keys of trigger.json's long `context` field: the most a body may hold (3.2 MB of JSON). */
const CONTEXT_KEYS = MAX_JSON_KEYS - 1

/** Figures of one kind of request, over RUNS of it. */
export interface RequestFigures {
  what: string
  runs: number
  /** HTTP status of the last run. */
  status: number
  /** Request to the answer's last byte, ms: median, min, max. */
  wallMs: [number, number, number]
  /** The server's main thread's CPU per request, ms (median); undefined when not read. */
  mainCpuMs?: number
  /** Largest sum of the server's SQLite temp files seen during a request, bytes (median of the runs). */
  tempBytes?: number
  /** Request to the first byte of the value's own text, ms (median); for firstslice. */
  firstSliceMs?: number
  /** The status probe over all the runs (each run's window merged: the slowest is the worst of all). */
  probe: ProbeFigures
}

const spread = (xs: number[]): [number, number, number] => [median(xs), Math.min(...xs), Math.max(...xs)]

/** Merges the probe windows of several runs: counts add up, the slowest is the slowest of all, p50/p99 are the runs' medians and worst. */
function mergeProbes(ps: ProbeFigures[]): ProbeFigures {
  return {
    count: ps.reduce((n, p) => n + p.count, 0),
    p50Ms: median(ps.map((p) => p.p50Ms)),
    p99Ms: Math.max(...ps.map((p) => p.p99Ms)),
    maxMs: Math.max(...ps.map((p) => p.maxMs)),
    failures: ps.reduce((n, p) => n + p.failures, 0),
  }
}

/** What timedUnderProbe answers for one request. */
type Timed<T> = Awaited<ReturnType<typeof timedUnderProbe<T>>>

/** One timed request under the probe: wall ms, the server's main-thread CPU, its SQLite temp files' peak, and what `read` makes of the answer. */
async function timedUnderProbe<T>(server: Server, token: string, request: () => Promise<Response>, read: (res: Response, started: number) => Promise<T>) {
  const pid = server.child.pid!
  const cpuBefore = mainThreadCpuMs(pid)
  const temp = sampleTempFileBytes(pid)
  const { result, probe } = await probeDuring(server.url, token, async () => {
    const started = performance.now()
    const res = await request()
    const got = await read(res, started)
    return { status: res.status, ms: performance.now() - started, got }
  })
  return { ...result, mainCpuMs: mainThreadCpuMs(pid) - cpuBefore, tempBytes: temp.stop(), probe }
}

/** A request's runs (timedUnderProbe) as figures: medians of wall, main-thread CPU and SQLite temp bytes, the probes merged. */
function figuresOf(what: string, rs: Timed<unknown>[]): RequestFigures {
  return {
    what,
    runs: rs.length,
    status: rs.at(-1)!.status,
    wallMs: spread(rs.map((r) => r.ms)),
    mainCpuMs: median(rs.map((r) => r.mainCpuMs)),
    tempBytes: median(rs.map((r) => r.tempBytes)),
    probe: mergeProbes(rs.map((r) => r.probe)),
  }
}

/** Reads an answer to its end; resolves with its byte count. */
const bytesOf = async (res: Response): Promise<number> => (await res.arrayBuffer()).byteLength

/** Starts the app on a fresh data folder (its workers built), `seed` first writing into it; runs `work`; stops it and removes the folder. */
async function withServer<T>(work: (server: Server, token: string) => Promise<T>, seed?: (dir: string) => void): Promise<T> {
  const unbundle = await useBuiltWorkers()
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-values-bench-'))
  try {
    seed?.(dir)
    const server = await startServer(['jobdesk', dir])
    try {
      return await work(server, await adminToken(server.url))
    } finally {
      await stopServer(server)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    unbundle()
  }
}

/** Runs a script job over the native API and waits for it to end; answers its id. */
async function scriptJob(server: Server, token: string, language: 'sql', code: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const { id } = await json(`${server.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ type: 'script', language, code, timeoutSeconds: 600 }) })
  for (;;) {
    const job = await json(`${server.url}/api/v1/jobs/${id}`, { headers })
    if (job.status === 'succeeded') return id as number
    if (job.status !== 'queued' && job.status !== 'running') throw new Error(`the SQL job that makes the exported set ended ${job.status}: ${JSON.stringify(job.error)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export interface ExportFigures {
  rows: number
  cellKb: number
  /** The answer's size, MB: JSON carrying the CSV text, cut at NATIVE_EXPORT_MAX_BYTES of data (the sorted and unsorted answers are the same size). */
  answerMb: number
  /** The data rows the file holds, and whether a cap cut it (the answer's `rows`, `truncated`). */
  fileRows: number
  truncated: boolean
  unsorted: RequestFigures
  sorted: RequestFigures
}

/** The sorted CSV export of EXPORT_ROWS × EXPORT_CELL_KB kB beside the unsorted one, RUNS each, taking turns. */
export function measureExport(): Promise<ExportFigures> {
  return withServer(async (server, token) => {
    const cell = EXPORT_CELL_KB * 1000
    // cells sharing all but their last digits: the sort compares long prefixes, as attack-long-cells-sort does
    const id = await scriptJob(server, token, 'sql', `WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM t WHERE x < ${EXPORT_ROWS}) SELECT printf('%.*c', ${cell - 8}, 'a') || ((x * 7919) % ${EXPORT_ROWS}) AS c FROM t`)
    const auth = { authorization: `Bearer ${token}` }
    const runs: Record<'unsorted' | 'sorted', Timed<ArrayBuffer>[]> = { unsorted: [], sorted: [] }
    await bytesOf(await fetch(`${server.url}/api/v1/jobs/${id}/results/0/csv`, { headers: auth })) // unmeasured: the process's first export loads its modules
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ['unsorted', 'sorted'] as const) {
        const path = `/api/v1/jobs/${id}/results/0/csv${kind === 'sorted' ? '?sort=0' : ''}`
        const r = await timedUnderProbe(server, token, () => fetch(`${server.url}${path}`, { headers: auth }), (res) => res.arrayBuffer())
        if (r.status !== 200) throw new Error(`${path} answered ${r.status}`)
        runs[kind].push(r)
      }
    }
    const answerMb = runs.sorted[0].got.byteLength / 1e6
    const answer = JSON.parse(Buffer.from(runs.sorted[0].got).toString('utf8')) as { rows: number; truncated: boolean }
    for (const r of [...runs.sorted, ...runs.unsorted]) r.got = new ArrayBuffer(0) // not kept
    return {
      rows: EXPORT_ROWS,
      cellKb: EXPORT_CELL_KB,
      answerMb,
      fileRows: answer.rows,
      truncated: answer.truncated,
      unsorted: figuresOf('CSV export, stored order', runs.unsorted),
      sorted: figuresOf(`CSV export sorted by the ${EXPORT_CELL_KB} kB column (\`?sort=0\`)`, runs.sorted),
    }
  })
}

/** A finished script job whose stored input is `{"s":"xxx…"}` of `mb` MB, written into `store` (a submit is capped at 4 MB; values grow that large from tasks' outputs). */
function finishedJob(store: Store, mb: number, uuid: string): number {
  const id = store.jobs.create({ uuid, kind: 'script', name: uuid, submitter: 'admin', input: { s: '' }, inputJson: `{"s":"${'x'.repeat(mb * MB)}"}` }, [])
  store.jobs.saveJob({ ...store.jobs.getWithoutState(id)!, status: 'succeeded', finishedAt: Date.now() }, false, false)
  return id
}

/** Reads an answer to its end; resolves with the time from `started` to the first bytes of the value's own text (`xxxx`), ms. */
async function firstValueBytes(res: Response, started: number): Promise<number> {
  let first = Number.NaN
  let tail = ''
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (Number.isNaN(first)) {
      const text = tail + Buffer.from(chunk).toString('latin1')
      if (text.includes('xxxx')) first = performance.now() - started
      else tail = text.slice(-4)
    }
  }
  return first
}

export interface FirstSliceFigures {
  keptMb: number
  large: RequestFigures
  small: RequestFigures
}

/** The first read of a kept KEPT_MB MB finished value beside a 1 MB one's, RUNS of each (a job each, so every read is a first). */
export function measureFirstSlice(): Promise<FirstSliceFigures> {
  const ids: Record<'large' | 'small', number[]> = { large: [], small: [] }
  return withServer(
    async (server, token) => {
      const auth = { authorization: `Bearer ${token}` }
      const runs: Record<'large' | 'small', Timed<number>[]> = { large: [], small: [] }
      await bytesOf(await fetch(`${server.url}/api/v1/jobs/${ids.small[RUNS]}`, { headers: auth })) // unmeasured: the process's first detail loads its modules
      for (let i = 0; i < RUNS; i++) {
        for (const kind of ['large', 'small'] as const) {
          const r = await timedUnderProbe(server, token, () => fetch(`${server.url}/api/v1/jobs/${ids[kind][i]}`, { headers: auth }), firstValueBytes)
          if (r.status !== 200 || Number.isNaN(r.got)) throw new Error(`job ${ids[kind][i]}'s detail answered ${r.status}${Number.isNaN(r.got) ? ' without its value' : ''}`)
          runs[kind].push(r)
        }
      }
      const figures = (what: string, rs: Timed<number>[]): RequestFigures => ({ ...figuresOf(what, rs), firstSliceMs: median(rs.map((r) => r.got)) })
      return {
        keptMb: KEPT_MB,
        large: figures(`first read of a finished job's ${KEPT_MB} MB input (GET /api/v1/jobs/:id)`, runs.large),
        small: figures(`first read of a finished job's ${SMALL_MB} MB input`, runs.small),
      }
    },
    (dir) => {
      const store = openStore(join(dir, 'jobdesk.db'))
      try {
        for (let i = 0; i < RUNS; i++) ids.large.push(finishedJob(store, KEPT_MB, `kept-large-${i}`))
        for (let i = 0; i <= RUNS; i++) ids.small.push(finishedJob(store, SMALL_MB, `kept-small-${i}`)) // and one for the warm-up
      } finally {
        store.close()
      }
    },
  )
}

/** `descriptor_id=…&k0=&k1=&…`: `fields` fields in all, or as many as fit in `chars` characters. */
function formFields(descriptorId: string, o: { fields?: number; chars?: number }): string {
  const parts = [`descriptor_id=${descriptorId}`]
  for (let len = parts[0].length, i = 0; o.fields ? parts.length < o.fields : len < o.chars! - 20; i++) {
    const p = `k${i.toString(36)}=`
    parts.push(p)
    len += p.length + 1
  }
  return parts.join('&')
}

export interface FormFigures {
  takenFields: number
  refusedFields: number
  taken: RequestFigures
  refused: RequestFigures
  context: RequestFigures
}

/** Rill Flow form bodies: MAX_FORM_FIELDS fields taken, ~600,000 refused, a 240,000-key `context` parsed in the JSON worker; RUNS of each under the probe. */
export function measureForms(): Promise<FormFigures> {
  return withServer(async (server, token) => {
    const bearer = { authorization: `Bearer ${token}` }
    await json(`${server.url}/flow/bg/manage/descriptor/add_descriptor.json`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'workspace: bench\ndagName: form\ntype: flow\ntasks:\n  - {category: pass, name: a}\n' })
    const taken = formFields('bench:form', { fields: MAX_FORM_FIELDS })
    const refused = formFields('bench:form', { chars: FORM_BYTES })
    const context = `execution_id=none&task_name=none&context=${manyKeys(CONTEXT_KEYS)}`
    const cases = [
      { what: `submit.json, a form of ${MAX_FORM_FIELDS.toLocaleString('en')} fields (taken)`, path: '/flow/submit.json', body: taken, status: 200 },
      { what: `submit.json, a ${(refused.length / MB).toFixed(1)} MiB form of ${refused.split('&').length.toLocaleString('en')} fields (refused)`, path: '/flow/submit.json', body: refused, status: 413 },
      { what: `trigger.json, a \`context\` field of a ${(context.length / 1e6).toFixed(1)} MB map of ${CONTEXT_KEYS.toLocaleString('en')} keys (parsed in the JSON worker, then 400: no such execution)`, path: '/flow/trigger.json', body: context, status: 400 },
    ]
    const out: RequestFigures[] = []
    // no credential: a loopback Rill Flow client, as its clients call
    const post = (c: (typeof cases)[number]) => fetch(`${server.url}${c.path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: c.body })
    for (const c of cases) await bytesOf(await post(c)) // unmeasured: each path's first request loads its modules (and the JSON worker)
    for (const c of cases) {
      const rs = []
      for (let i = 0; i < RUNS; i++) {
        const r = await timedUnderProbe(server, token, () => post(c), bytesOf)
        if (r.status !== c.status) throw new Error(`${c.what}: answered ${r.status}, not ${c.status}`)
        rs.push(r)
        await new Promise((r) => setTimeout(r, 300)) // a taken submit's execution runs and ends
      }
      out.push(figuresOf(c.what, rs))
    }
    return { takenFields: MAX_FORM_FIELDS, refusedFields: refused.split('&').length, taken: out[0], refused: out[1], context: out[2] }
  })
}

/** One way of reading held values: how many answers at once and whether loads go to the worker reader. */
export interface HeldFigures {
  what: string
  runs: number
  /** Whole loads of a value per run (median): 1 per value is the floor. */
  loads: number
  /** Of them in the worker reader (median). */
  offThread: number
  /** From the answers' start to their last byte, ms: median, min, max. */
  wallMs: [number, number, number]
  /** The longest slice() call of any answer, ms (max over the runs): its time on the main thread. */
  worstSliceMs: number
  /** The most CPU one slice() call used, ms (max over the runs; /proc/thread-self/schedstat): its own work, without waiting for a CPU. */
  worstSliceCpuMs: number
  /** The event loop's longest delay over the run (a 5 ms timer's lateness, loopGaps; max over the runs), ms. */
  worstLoopDelayMs: number
}

/** Times the event loop: a timer every 5 ms; `stop` answers the longest it came late, ms (the longest turn, near enough). */
function loopGaps(): { stop(): number } {
  let last = performance.now()
  let worst = 0
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 5)
    last = now
  }, 5)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(worst, performance.now() - last - 5)
    },
  }
}

/** CPU ms this thread has run so far (/proc/thread-self/schedstat, ns), its waits for a CPU left out. */
const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6

/** Streams `ids`' stored inputs at once through jsonStream as answers do, each slice timed; answers the wall ms and the longest slice. */
async function readAtOnce(kept: FinishedBytes, store: Store, ids: number[]): Promise<{ ms: number; worstSliceMs: number; worstSliceCpuMs: number }> {
  let worstSliceMs = 0
  let worstSliceCpuMs = 0
  const started = performance.now()
  await Promise.all(
    ids.map(async (id) => {
      const slices = kept.slices(id, 'input', store.jobs.stateSlices(id, 'input')!.size)
      const timed: StoredSlices = {
        ...slices,
        size: slices.size,
        slice(from, length) {
          const t = performance.now()
          const cpu = threadCpuMs()
          const bytes = slices.slice(from, length)
          worstSliceMs = Math.max(worstSliceMs, performance.now() - t)
          worstSliceCpuMs = Math.max(worstSliceCpuMs, threadCpuMs() - cpu)
          return bytes
        },
      }
      let bytes = 0
      for await (const chunk of jsonStream({ value: new RawJson(timed) })) bytes += chunk.length
      if (bytes < slices.size) throw new Error(`an answer of job ${id}'s input gave ${bytes} bytes of ${slices.size}`)
    }),
  )
  return { ms: performance.now() - started, worstSliceMs, worstSliceCpuMs }
}

/** Two answers of HELD_MB MB finished values streamed at once beside one alone, with the store's worker reader, and two at once without it; RUNS of each, a fresh FinishedBytes each run. */
export async function measureHeld(): Promise<{ heldMb: number; rows: HeldFigures[] }> {
  const unbundle = await useBuiltWorkers()
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-held-bench-'))
  const file = join(dir, 'jobdesk.db')
  const store = openStore(file)
  try {
    const ids = ['held-a', 'held-b'].map((u) => finishedJob(store, HELD_MB, u))
    const reader = valueReader(file)
    const ways = [
      { what: `one answer of a ${HELD_MB} MB value alone`, ids: ids.slice(0, 1), read: reader },
      { what: `two answers of two ${HELD_MB} MB values at once`, ids, read: reader },
      { what: `two answers at once, no worker reader (loads on the main thread)`, ids, read: undefined },
    ]
    const rows: HeldFigures[] = []
    for (const way of ways) {
      const runs: { loads: number; offThread: number; ms: number; worstSliceMs: number; worstSliceCpuMs: number; delayMs: number }[] = []
      for (let i = 0; i < RUNS; i++) {
        const kept = createFinishedBytes(store.jobs, createJobChanges(), FINISHED_BYTES_LIMIT, way.read)
        const gaps = loopGaps()
        const r = await readAtOnce(kept, store, way.ids)
        runs.push({ ...r, loads: kept.stats.loads, offThread: kept.stats.offThread, delayMs: gaps.stop() })
      }
      rows.push({
        what: way.what,
        runs: RUNS,
        loads: median(runs.map((r) => r.loads)),
        offThread: median(runs.map((r) => r.offThread)),
        wallMs: spread(runs.map((r) => r.ms)),
        worstSliceMs: Math.max(...runs.map((r) => r.worstSliceMs)),
        worstSliceCpuMs: Math.max(...runs.map((r) => r.worstSliceCpuMs)),
        worstLoopDelayMs: Math.max(...runs.map((r) => r.delayMs)),
      })
    }
    return { heldMb: HELD_MB, rows }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
    unbundle()
  }
}

const ms = (x: number): string => x.toFixed(0)
const wall = ([m, lo, hi]: [number, number, number]): string => `${ms(m)} (${ms(lo)}–${ms(hi)})`
const probeCells = (p: ProbeFigures): string => `${p.count} | ${ms(p.p50Ms)} | ${ms(p.p99Ms)} | ${ms(p.maxMs)}${p.failures ? ` (${p.failures} failed)` : ''}`

/** The Markdown table of the export part. */
export function exportTable(r: ExportFigures): string[] {
  const row = (f: RequestFigures) => `| ${f.what} | ${f.status} | ${wall(f.wallMs)} | ${ms(f.mainCpuMs!)} | ${(f.tempBytes! / 1e6).toFixed(0)} | ${probeCells(f.probe)} |`
  return [
    `A set of ${r.rows.toLocaleString('en')} rows of one ${r.cellKb} kB cell; GET /api/v1/jobs/:id/results/0/csv answers ${r.answerMb.toFixed(0)} MB of JSON carrying a CSV of ${r.fileRows.toLocaleString('en')} rows` +
      `${r.truncated ? ' (cut at the native export\'s 32 MiB: the sorted export sorts all the rows first)' : ''}; ${r.sorted.runs} runs of each, taking turns:`,
    '',
    '| export | status | wall ms, median (min–max) | main-thread CPU ms | SQLite temp files, MB (peak) | probes | probe p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(r.unsorted),
    row(r.sorted),
    '',
    `Sorting costs ${(r.sorted.wallMs[0] / r.unsorted.wallMs[0]).toFixed(2)}× the unsorted export's wall time and ${(r.sorted.mainCpuMs! / Math.max(1, r.unsorted.mainCpuMs!)).toFixed(2)}× its main-thread CPU (medians).`,
  ]
}

/** The Markdown table of the firstslice part. */
export function firstSliceTable(r: FirstSliceFigures): string[] {
  const row = (f: RequestFigures) => `| ${f.what} | ${f.status} | ${ms(f.firstSliceMs!)} | ${wall(f.wallMs)} | ${ms(f.mainCpuMs!)} | ${probeCells(f.probe)} |`
  return [
    '| read (each a job read the first time) | status | to the value\'s first bytes, ms (median) | to the last byte, ms, median (min–max) | main-thread CPU ms | probes | probe p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(r.large),
    row(r.small),
  ]
}

/** The Markdown table of the forms part. */
export function formsTable(r: FormFigures): string[] {
  const row = (f: RequestFigures) => `| ${f.what} | ${f.status} | ${wall(f.wallMs)} | ${ms(f.mainCpuMs!)} | ${probeCells(f.probe)} |`
  return [
    '| Rill Flow form body (no credential: loopback) | status | to the answer, ms, median (min–max) | main-thread CPU ms | probes | probe p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row(r.taken),
    row(r.refused),
    row(r.context),
  ]
}

/** The Markdown table of the held part. */
export function heldTable(r: { rows: HeldFigures[] }): string[] {
  return [
    '| answers (each streamed in 1 MB slices, a turn each) | whole loads (in a worker) | wall ms, median (min–max) | longest slice ms | most CPU in one slice, ms | longest event-loop delay ms (5 ms timer) |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.rows.map((h) => `| ${h.what} | ${h.loads} (${h.offThread}) | ${wall(h.wallMs)} | ${h.worstSliceMs.toFixed(1)} | ${h.worstSliceCpuMs.toFixed(1)} | ${ms(h.worstLoopDelayMs)} |`),
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const part = process.argv[2]
  if (!part || part === 'export') exportTable(await measureExport()).forEach((l) => console.log(l))
  if (!part || part === 'firstslice') firstSliceTable(await measureFirstSlice()).forEach((l) => console.log(l))
  if (!part || part === 'forms') formsTable(await measureForms()).forEach((l) => console.log(l))
  if (!part || part === 'held') heldTable(await measureHeld()).forEach((l) => console.log(l))
  process.exit(0)
}
