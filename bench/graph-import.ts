// Graph import speed (issue #11 item 6): a generated graph of 1M vertices and 5M edges in CSV,
// loaded three ways, each in a process of its own so that its peak RSS is its own:
//   jobdesk  the app started as `serve` starts it; the import goes the API's way (graph service →
//            engine job of kind import → import executor → graph worker), while a status call
//            (GET /api/v1/imports/:taskId over HTTP) is timed every 50 ms;
//   floor    the same rows put into the same table layout by a bare better-sqlite3 loop, one INSERT
//            a row, ~850k rows a transaction (no parsing, no lookups, no checks);
//   kuzu     Kuzu's COPY of the same files (bench only: installed into bench/.peers, never a
//            dependency of JobDesk).
// Run alone: npx tsx bench/graph-import.ts [vertices edges]   (`npm run bench` runs it too).
// BENCH_GRAPH=100000,500000 picks a smaller graph for a quick run.
import { closeSync, linkSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureKuzu, KUZU_VERSION, withKuzu } from './kuzu'
import { answerPart, runPart as runPartProcess } from './part-process'

/** The issue's target, rows per second, for vertices and for edges. */
export const TARGET_ROWS_PER_SECOND = 300_000

export interface GraphSize {
  vertices: number
  edges: number
}

/** One contender's figures; `error` says why it has none. */
export interface LoadFigures {
  verticesPerSecond: number
  edgesPerSecond: number
  vertexSeconds: number
  edgeSeconds: number
  /** CPU seconds of the whole process (all its threads) during each load. */
  vertexCpuSeconds: number
  edgeCpuSeconds: number
  /** The process's peak resident set, MB (the kernel's count, whole process lifetime). */
  peakRssMb: number
  note?: string
  error?: string
}

export interface JobDeskFigures extends LoadFigures {
  /** The status probe: how many calls were timed during the imports, and the slowest, ms. */
  probes: number
  probeMaxMs: number
  probeP99Ms: number
  /** RSS when the app had started, before the imports, MB. */
  startRssMb: number
  /** A one-line import into a scratch graph before the measured ones (it starts the import worker), ms. */
  firstImportMs: number
  graphFileMb: number
}

export interface GraphImportResult {
  size: GraphSize
  files: { vertexMb: number; edgeMb: number }
  jobdesk: JobDeskFigures | { error: string }
  floor: LoadFigures | { error: string }
  kuzu: LoadFigures | { error: string }
}

/** The size of the graph: BENCH_GRAPH="<vertices>,<edges>" or 1M / 5M. */
export function graphSize(): GraphSize {
  const spec = process.env.BENCH_GRAPH
  if (!spec) return { vertices: 1_000_000, edges: 5_000_000 }
  const [vertices, edges] = spec.split(',').map(Number)
  if (!(vertices >= 1 && edges >= 0)) throw new Error(`BENCH_GRAPH must be "<vertices>,<edges>", got ${spec}`)
  return { vertices, edges }
}

/** A deterministic pseudo-random sequence (so runs compare). */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

/** Writes `count` lines made by `line(i)` in chunks, never holding the file in memory; returns its size. */
function writeLines(path: string, count: number, line: (i: number) => string): number {
  const fd = openSync(path, 'w')
  for (let i = 0; i < count; i += 50_000) {
    let chunk = ''
    for (let k = i; k < Math.min(count, i + 50_000); k++) chunk += line(k)
    writeSync(fd, chunk)
  }
  closeSync(fd)
  return statSync(path).size
}

/** person.csv (id,name,age) in id order and knows.csv (src,dst,since) with random endpoints. */
function generate(dir: string, size: GraphSize): { vertexMb: number; edgeMb: number } {
  mkdirSync(dir, { recursive: true })
  const rand = lcg(42)
  const v = writeLines(join(dir, 'person.csv'), size.vertices, (i) => `${i},person ${i},${i % 90}\n`)
  const e = writeLines(join(dir, 'knows.csv'), size.edges, () => `${rand() % size.vertices},${rand() % size.vertices},${2000 + (rand() % 25)}\n`)
  return { vertexMb: v / 1e6, edgeMb: e / 1e6 }
}

/** CPU seconds of this process so far (all threads). */
function cpuSeconds(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

const peakRssMb = (): number => (process.resourceUsage().maxRSS * 1024) / 1e6

// ── jobdesk ─────────────────────────────────────────────────────────────────────────────────────

async function runJobDesk(files: string, size: GraphSize): Promise<JobDeskFigures> {
  const { startApp } = await import('../electron/app')
  const dataDir = join(files, 'jobdesk')
  rmSync(dataDir, { recursive: true, force: true })
  const uploads = join(dataDir, 'upload_files', 'admin')
  mkdirSync(uploads, { recursive: true })
  for (const f of ['person.csv', 'knows.csv']) linkSync(join(files, f), join(uploads, f)) // the same bytes, no copy
  const app = await startApp({ dataDir, host: '127.0.0.1', port: 0, concurrency: 4 })
  const startRssMb = process.memoryUsage().rss / 1e6
  const admin = { username: 'admin', isAdmin: true }
  try {
    const login = await fetch(`${app.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }),
    })
    const { token } = (await login.json()) as { token: string }
    await app.graph.importSchema('default', {
      schema: [
        { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'age', type: 'INT32', optional: true }] },
        { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
      ],
    }, admin)
    const latencies: number[] = []
    // A first import starts the import worker thread (under tsx it also compiles its modules): done
    // once, on a scratch graph, and timed apart, so that the figures are those of a running app.
    const coldStarted = performance.now()
    await app.graph.createGraph('warmup', admin)
    await app.graph.importSchema('warmup', { schema: [{ label: 'w', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] }, admin)
    writeFileSync(join(uploads, 'warmup.csv'), '1\n')
    const warm = await app.graph.startImport({ graph: 'warmup', files: [{ path: 'warmup.csv', format: 'CSV', label: 'w', columns: ['id'] }] }, admin)
    if ((await app.engine.waitFor(warm.jobId)).status !== 'succeeded') throw new Error('the warm-up import failed')
    const firstImportMs = performance.now() - coldStarted
    await app.graph.dropGraph('warmup', admin)
    const run = async (file: Record<string, unknown>) => {
      const started = performance.now()
      const cpu = cpuSeconds()
      const { taskId, jobId } = await app.graph.startImport({ graph: 'default', files: [file] }, admin)
      let running = true
      const probe = (async () => {
        while (running) {
          const t = performance.now()
          const res = await fetch(`${app.url}/api/v1/imports/${taskId}`, { headers: { authorization: `Bearer ${token}` } })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`the status call answered ${res.status}`)
          latencies.push(performance.now() - t)
          await new Promise((ok) => setTimeout(ok, 50))
        }
      })()
      let job
      try {
        job = await app.engine.waitFor(jobId)
      } finally {
        running = false
      }
      const seconds = (performance.now() - started) / 1000
      const cpuUsed = cpuSeconds() - cpu
      await probe
      const s = await app.graph.importStatus(taskId)
      if (job.status !== 'succeeded') throw new Error(`import ${job.status}: ${job.error}`)
      if (s.report!.failed !== 0) throw new Error(`${s.report!.failed} lines failed`)
      return { seconds, cpuUsed, imported: s.report!.imported }
    }
    const v = await run({ path: 'person.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'] })
    const e = await run({ path: 'knows.csv', format: 'CSV', label: 'knows', SRC_ID: 'person', DST_ID: 'person', columns: ['SRC_ID', 'DST_ID', 'since'] })
    const info = await app.graph.getGraph('default', { user: 'admin' })
    if (info.vertexCount !== size.vertices || info.edgeCount !== size.edges) throw new Error(`the graph holds ${info.vertexCount} vertices and ${info.edgeCount} edges`)
    latencies.sort((a, b) => a - b)
    return {
      verticesPerSecond: v.imported / v.seconds,
      edgesPerSecond: e.imported / e.seconds,
      vertexSeconds: v.seconds,
      edgeSeconds: e.seconds,
      vertexCpuSeconds: v.cpuUsed,
      edgeCpuSeconds: e.cpuUsed,
      peakRssMb: peakRssMb(),
      startRssMb,
      firstImportMs,
      graphFileMb: info.sizeBytes / 1e6,
      probes: latencies.length,
      probeMaxMs: latencies.at(-1) ?? NaN,
      probeP99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? NaN,
    }
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// ── floor ───────────────────────────────────────────────────────────────────────────────────────

async function runFloor(files: string, size: GraphSize): Promise<LoadFigures> {
  const { default: Database } = await import('better-sqlite3')
  const file = join(files, 'floor.db')
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('cache_size = -65536')
    // The graph file's layout (electron/graph/store/label-tables.ts): a label's vertex table with a
    // unique index on its primary key, the vid → label table, and an edge label's two tables.
    db.exec(`CREATE TABLE vertices (vid INTEGER PRIMARY KEY, label_id INTEGER NOT NULL);
      CREATE TABLE v (vid INTEGER PRIMARY KEY, p0 INTEGER NOT NULL, p1 TEXT NOT NULL, p2 INTEGER);
      CREATE UNIQUE INDEX v_p0 ON v (p0);
      CREATE TABLE e (src INTEGER NOT NULL, dst INTEGER NOT NULL, tid INTEGER NOT NULL, eid INTEGER NOT NULL, p0 INTEGER, PRIMARY KEY (src, tid, dst, eid)) WITHOUT ROWID;
      CREATE TABLE e_in (dst INTEGER NOT NULL, tid INTEGER NOT NULL, src INTEGER NOT NULL, eid INTEGER NOT NULL, PRIMARY KEY (dst, tid, src, eid)) WITHOUT ROWID`)
    const load = (n: number, insert: (i: number) => void) => {
      const started = performance.now()
      const cpu = cpuSeconds()
      for (let from = 0; from < n; from += 850_000) db.transaction(() => { for (let i = from; i < Math.min(n, from + 850_000); i++) insert(i) })()
      return { seconds: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu }
    }
    const v = db.prepare('INSERT INTO v VALUES (?, ?, ?, ?)')
    const vid = db.prepare('INSERT INTO vertices VALUES (?, 0)')
    const vs = load(size.vertices, (i) => {
      v.run(i, i, `person ${i}`, i % 90)
      vid.run(i)
    })
    const rand = lcg(42)
    const e = db.prepare('INSERT INTO e VALUES (?, ?, 0, ?, ?)')
    const ein = db.prepare('INSERT INTO e_in VALUES (?, 0, ?, ?)')
    const es = load(size.edges, (i) => {
      const src = rand() % size.vertices
      const dst = rand() % size.vertices
      e.run(src, dst, i, 2000 + (rand() % 25)) // eid i: unique, so no lookup of the last eid
      ein.run(dst, src, i)
    })
    return {
      verticesPerSecond: size.vertices / vs.seconds,
      edgesPerSecond: size.edges / es.seconds,
      vertexSeconds: vs.seconds,
      edgeSeconds: es.seconds,
      vertexCpuSeconds: vs.cpu,
      edgeCpuSeconds: es.cpu,
      peakRssMb: peakRssMb(),
    }
  } finally {
    db.close()
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  }
}

// ── kuzu ────────────────────────────────────────────────────────────────────────────────────────

async function runKuzu(files: string, size: GraphSize): Promise<LoadFigures> {
  return withKuzu(join(files, 'kuzu'), async (conn, version) => {
    await conn.query('CREATE NODE TABLE person (id INT64, name STRING, age INT32, PRIMARY KEY (id))')
    await conn.query('CREATE REL TABLE knows (FROM person TO person, since INT32)')
    const copy = async (table: string, file: string) => {
      const started = performance.now()
      const cpu = cpuSeconds()
      await conn.query(`COPY ${table} FROM '${join(files, file)}' (header = false)`)
      return { seconds: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu }
    }
    const v = await copy('person', 'person.csv')
    const e = await copy('knows', 'knows.csv')
    return {
      verticesPerSecond: size.vertices / v.seconds,
      edgesPerSecond: size.edges / e.seconds,
      vertexSeconds: v.seconds,
      edgeSeconds: e.seconds,
      vertexCpuSeconds: v.cpu,
      edgeCpuSeconds: e.cpu,
      peakRssMb: peakRssMb(),
      note: `Kuzu ${version}, its default thread pool`,
    }
  })
}

// ── the three, each in its own process ─────────────────────────────────────────────────────────

const PARTS = { jobdesk: runJobDesk, floor: runFloor, kuzu: runKuzu } as const
type Part = keyof typeof PARTS
/** Runs one part in a child process (this file, through tsx) and returns its figures or why it has none. */
const runPart = <T>(part: Part, files: string, size: GraphSize) => runPartProcess<T>(import.meta.filename, part, [files, String(size.vertices), String(size.edges)])

/** Generates the graph, loads it the three ways and returns the figures. */
export function measureGraphImport(size = graphSize()): GraphImportResult {
  const files = join(tmpdir(), `jobdesk-graph-bench-${process.pid}`)
  try {
    const generated = generate(files, size)
    const jobdesk = runPart<JobDeskFigures>('jobdesk', files, size)
    const floor = runPart<LoadFigures>('floor', files, size)
    const missing = ensureKuzu()
    const kuzu = missing ? { error: missing } : runPart<LoadFigures>('kuzu', files, size)
    return { size, files: generated, jobdesk, floor, kuzu }
  } finally {
    rmSync(files, { recursive: true, force: true })
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en')
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`

/** The figures as lines of text, with the ratios beside them. */
export function describeGraphImport(r: GraphImportResult): string[] {
  const lines = [
    `graph: ${n(r.size.vertices)} vertices (${r.files.vertexMb.toFixed(0)} MB CSV), ${n(r.size.edges)} edges (${r.files.edgeMb.toFixed(0)} MB CSV)`,
  ]
  const j = r.jobdesk
  if ('error' in j) {
    lines.push(`JobDesk import: FAILED: ${j.error}`)
    return lines
  }
  lines.push(
    `JobDesk import (API path: job → import worker): ${n(j.verticesPerSecond)} vertices/s (${times(j.verticesPerSecond, TARGET_ROWS_PER_SECOND)} the 300k target), ` +
      `${n(j.edgesPerSecond)} edges/s (${times(j.edgesPerSecond, TARGET_ROWS_PER_SECOND)}); per CPU second: ${n(r.size.vertices / j.vertexCpuSeconds)} vertices, ${n(r.size.edges / j.edgeCpuSeconds)} edges; ` +
      `peak RSS ${j.peakRssMb.toFixed(0)} MB (${j.startRssMb.toFixed(0)} MB at start); graph file ${j.graphFileMb.toFixed(0)} MB`,
    `status call during the import: ${j.probes} calls, slowest ${j.probeMaxMs.toFixed(1)} ms, p99 ${j.probeP99Ms.toFixed(1)} ms (target < 50 ms)`,
    `before them, a one-line import into a scratch graph (it starts the import worker thread): ${j.firstImportMs.toFixed(0)} ms`,
  )
  const compare = (name: string, c: LoadFigures | { error: string }) => {
    if ('error' in c) return lines.push(`${name}: not measured: ${c.error}`)
    lines.push(
      `${name}: ${n(c.verticesPerSecond)} vertices/s, ${n(c.edgesPerSecond)} edges/s, peak RSS ${c.peakRssMb.toFixed(0)} MB${c.note ? ` (${c.note})` : ''}; ` +
        `JobDesk is ${times(j.verticesPerSecond, c.verticesPerSecond)} its vertices/s, ${times(j.edgesPerSecond, c.edgesPerSecond)} its edges/s, ${times(j.peakRssMb, c.peakRssMb)} its peak RSS`,
    )
  }
  compare('floor: bare better-sqlite3 insert loop, same layout', r.floor)
  compare('Kuzu COPY', r.kuzu)
  return lines
}

/** The figures as a Markdown table (docs/PERFORMANCE.md). */
export function graphImportTable(r: GraphImportResult): string[] {
  const rows = ['| loader | vertices/s | edges/s | vertices: s (CPU s) | edges: s (CPU s) | peak RSS MB |', '|---|---:|---:|---:|---:|---:|']
  const row = (name: string, c: LoadFigures | { error: string }) =>
    'error' in c
      ? rows.push(`| ${name} | – | – | – | – | – |`)
      : rows.push(
          `| ${name} | ${n(c.verticesPerSecond)} | ${n(c.edgesPerSecond)} | ${c.vertexSeconds.toFixed(1)} (${c.vertexCpuSeconds.toFixed(1)}) | ${c.edgeSeconds.toFixed(1)} (${c.edgeCpuSeconds.toFixed(1)}) | ${c.peakRssMb.toFixed(0)} |`,
        )
  row('JobDesk import (API path)', r.jobdesk)
  row('floor: bare better-sqlite3 loop', r.floor)
  row(`Kuzu ${KUZU_VERSION} COPY`, r.kuzu)
  return rows
}

async function child(): Promise<void> {
  const [, part, files, vertices, edges] = process.argv.slice(2)
  answerPart(await PARTS[part as Part](files, { vertices: Number(vertices), edges: Number(edges) }))
}

const main = pathToFileURL(process.argv[1] ?? '').href === import.meta.url
if (main && process.argv[2] === '--part') await child()
else if (main) {
  const [v, e] = process.argv.slice(2).map(Number)
  const r = measureGraphImport(v ? { vertices: v, edges: e || 0 } : graphSize())
  for (const l of describeGraphImport(r)) console.log(l)
}
