// GES import-graph throughput (Huawei GES's dialect: a schema XML, one vertex file and one edge file
// with every label mixed in, `id,label,props…` and `src,dst,label,props…`), beside JobDesk's native
// import of the same rows. A GES import splits its files by label in a graph worker
// (graph/ges/ges-split.ts), makes the labels its data needs, then imports the split files through the
// same import engine as the native path (GraphHost.runImport); the ratio is what the split and the
// GES bookkeeping cost. Both run in one app, in a process of its own (bench/part-process.ts), each
// into a graph of its own; the GES import is started over HTTP with an IAM token as its SDK starts
// one, the native one through the graph service as the native API does.
// Run alone: npx tsx bench/ges-import.ts   (`npm run bench -- ges` writes its block).
// BENCH_GES=<vertices>,<edges> sets the graph's size (default 200000,1000000).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { answerPart, runPart } from './part-process'

export interface GesSize {
  vertices: number
  edges: number
}

/** One import's figures. */
export interface ImportFigures {
  seconds: number
  /** CPU seconds of the whole process (all threads) during the import. */
  cpuSeconds: number
  /** Lines per second, vertex and edge files together. */
  linesPerSecond: number
}

export interface GesImportResult {
  size: GesSize
  /** Sizes of the GES vertex and edge files, MB. */
  files: { vertexMb: number; edgeMb: number }
  ges: ImportFigures
  native: { vertices: ImportFigures; edges: ImportFigures; all: ImportFigures }
}

/** BENCH_GES="<vertices>,<edges>", or 200k / 1M. */
export function gesSize(): GesSize {
  const spec = process.env.BENCH_GES
  if (!spec) return { vertices: 200_000, edges: 1_000_000 }
  const [vertices, edges] = spec.split(',').map(Number)
  if (!(vertices >= 1 && edges >= 0)) throw new Error(`BENCH_GES must be "<vertices>,<edges>", got ${spec}`)
  return { vertices, edges }
}

/** Writes `count` lines made by `line(i)`, 50,000 at a time; returns the file's size in bytes. */
function writeLines(path: string, count: number, line: (i: number) => string): number {
  const fd = openSync(path, 'w')
  let bytes = 0
  try {
    for (let i = 0; i < count; i += 50_000) {
      let chunk = ''
      for (let k = i; k < Math.min(count, i + 50_000); k++) chunk += line(k)
      bytes += writeSync(fd, chunk)
    }
  } finally {
    closeSync(fd)
  }
  return bytes
}

const GES_SCHEMA = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PMML version="3.0" xmlns="http://www.dmg.org/PMML-3-0" xmlns:xsi="http://www.w3.org/2001/XMLSchema_instance">
  <labels>
    <label name="person"><properties>
      <property name="name" cardinality="single" dataType="string"/>
      <property name="age" cardinality="single" dataType="int"/>
    </properties></label>
    <label name="knows"><properties>
      <property name="since" cardinality="single" dataType="int"/>
    </properties></label>
  </labels>
</PMML>`

/**
 * The same rows in both formats under `uploads`: ges/{schema.xml,vertex.csv,edge.csv} and
 * native/{person.csv,knows.csv}. Vertex ids are strings (`v<i>`: a GES vertex id is its STRING
 * primary key); edge endpoints are drawn by a fixed sequence, so runs compare.
 */
function generate(uploads: string, size: GesSize): { vertexMb: number; edgeMb: number } {
  for (const d of ['ges', 'native']) mkdirSync(join(uploads, d), { recursive: true })
  writeFileSync(join(uploads, 'ges', 'schema.xml'), GES_SCHEMA)
  const endpoints = new Uint32Array(size.edges * 2)
  let s = 42
  for (let i = 0; i < endpoints.length; i++) endpoints[i] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % size.vertices
  const vertex = writeLines(join(uploads, 'ges', 'vertex.csv'), size.vertices, (i) => `v${i},person,person ${i},${i % 90}\n`)
  const edge = writeLines(join(uploads, 'ges', 'edge.csv'), size.edges, (i) => `v${endpoints[2 * i]},v${endpoints[2 * i + 1]},knows,${2000 + (i % 25)}\n`)
  writeLines(join(uploads, 'native', 'person.csv'), size.vertices, (i) => `v${i},person ${i},${i % 90}\n`)
  writeLines(join(uploads, 'native', 'knows.csv'), size.edges, (i) => `v${endpoints[2 * i]},v${endpoints[2 * i + 1]},${2000 + (i % 25)}\n`)
  return { vertexMb: vertex / 1e6, edgeMb: edge / 1e6 }
}

const cpuNow = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

/** Times `run` (wall and this process's CPU); `lines` is what it imported. */
async function timed(lines: number, run: () => Promise<void>): Promise<ImportFigures> {
  const started = performance.now()
  const cpu = cpuNow()
  await run()
  const seconds = (performance.now() - started) / 1000
  return { seconds, cpuSeconds: cpuNow() - cpu, linesPerSecond: lines / seconds }
}

/** In the child: starts the app on `dataDir` (files generated under its admin's upload folder), imports both ways, answers the figures. */
async function runImports(dataDir: string, size: GesSize): Promise<Omit<GesImportResult, 'files'>> {
  const { startApp } = await import('../electron/app')
  const app = await startApp({ dataDir, host: '127.0.0.1', port: 0, concurrency: 4 })
  const admin = { username: 'admin', isAdmin: true }
  try {
    // the first import starts the import worker thread (under tsx it also compiles its modules): done
    // once on a scratch graph, untimed, so both figures are those of a running app
    await app.graph.createGraph('warmup', admin)
    await app.graph.importSchema('warmup', { schema: [{ label: 'w', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] }, admin)
    writeFileSync(join(dataDir, 'upload_files', 'admin', 'warmup.csv'), '1\n')
    const warm = await app.graph.startImport({ graph: 'warmup', files: [{ path: 'warmup.csv', format: 'CSV', label: 'w', columns: ['id'] }] }, admin)
    if ((await app.engine.waitFor(warm.jobId)).status !== 'succeeded') throw new Error('the warm-up import failed')
    await app.graph.dropGraph('warmup', admin)

    // GES: IAM token, import-graph, its status polled as the SDK polls it
    await app.graph.createGraph('ges', admin)
    const iam = await fetch(`${app.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: '73@TuGraph', domain: { name: 'admin' } } } }, scope: { project: { name: 'p1' } } } }),
    })
    const token = iam.headers.get('x-subject-token')!
    let detail: { vertexset_path: { successful_lines: number }[]; edgeset_path: { successful_lines: number }[] } | undefined
    const ges = await timed(size.vertices + size.edges, async () => {
      const res = await fetch(`${app.url}/v2/p1/graphs/ges/import-graph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ schema_path: 'ges/schema.xml', vertexset_path: 'ges/vertex.csv', edgeset_path: 'ges/edge.csv', delimiter: ',' }),
      })
      const started = (await res.json()) as { job_id?: string; error_msg?: string }
      if (!started.job_id) throw new Error(`import-graph answered ${res.status}: ${started.error_msg}`)
      for (;;) {
        const s = (await (await fetch(`${app.url}/v2/p1/graphs/ges/jobs/${started.job_id}/status`, { headers: { 'x-auth-token': token } })).json()) as { status: string; job_detail: typeof detail }
        if (s.status !== 'running' && s.status !== 'pending') {
          if (s.status !== 'success') throw new Error(`the GES import ended ${s.status}: ${JSON.stringify(s).slice(0, 500)}`)
          detail = s.job_detail
          break
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    })
    const imported = (detail!.vertexset_path[0]?.successful_lines ?? 0) + (detail!.edgeset_path[0]?.successful_lines ?? 0)
    if (imported !== size.vertices + size.edges) throw new Error(`the GES import took ${imported} lines of ${size.vertices + size.edges}`)

    // native: the same labels as GES makes them (STRING primary id, optional properties), the same rows
    await app.graph.createGraph('native', admin)
    await app.graph.importSchema('native', {
      schema: [
        { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }, { name: 'age', type: 'INT32', optional: true }] },
        { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
      ],
    }, admin)
    const nativeImport = (lines: number, file: Record<string, unknown>) =>
      timed(lines, async () => {
        const { jobId } = await app.graph.startImport({ graph: 'native', files: [file] }, admin)
        const job = await app.engine.waitFor(jobId)
        if (job.status !== 'succeeded') throw new Error(`the native import ${job.status}: ${job.error}`)
      })
    const vertices = await nativeImport(size.vertices, { path: 'native/person.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'] })
    const edges = await nativeImport(size.edges, { path: 'native/knows.csv', format: 'CSV', label: 'knows', SRC_ID: 'person', DST_ID: 'person', columns: ['SRC_ID', 'DST_ID', 'since'] })
    const info = await app.graph.getGraph('native', { user: 'admin' })
    if (info.vertexCount !== size.vertices || info.edgeCount !== size.edges) throw new Error(`the native graph holds ${info.vertexCount} vertices and ${info.edgeCount} edges`)
    const seconds = vertices.seconds + edges.seconds
    const all = { seconds, cpuSeconds: vertices.cpuSeconds + edges.cpuSeconds, linesPerSecond: (size.vertices + size.edges) / seconds }
    return { size, ges, native: { vertices, edges, all } }
  } finally {
    await app.close()
  }
}

/** Generates the files, runs both imports in a process of its own, removes everything. */
export function measureGesImport(size = gesSize()): GesImportResult | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-ges-bench-'))
  try {
    const files = generate(join(dir, 'upload_files', 'admin'), size)
    const r = runPart<Omit<GesImportResult, 'files'>>(import.meta.filename, 'run', [dir, String(size.vertices), String(size.edges)])
    return 'error' in r ? r : { ...r, files }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The Markdown table of a run. */
export function gesImportTable(r: GesImportResult): string[] {
  const row = (name: string, f: ImportFigures) => `| ${name} | ${f.seconds.toFixed(1)} | ${f.cpuSeconds.toFixed(1)} | ${Math.round(f.linesPerSecond).toLocaleString('en')} |`
  return [
    `Graph: ${r.size.vertices.toLocaleString('en')} vertices and ${r.size.edges.toLocaleString('en')} edges (GES files ${r.files.vertexMb.toFixed(0)} MB and ${r.files.edgeMb.toFixed(0)} MB).`,
    '',
    '| import | s | CPU s (process) | lines/s |',
    '|---|---:|---:|---:|',
    row('GES import-graph (split by label, then import), both files', r.ges),
    row('native import of the same rows: vertices', r.native.vertices),
    row('native import of the same rows: edges', r.native.edges),
    row('native import of the same rows: both', r.native.all),
    '',
    `GES import-graph takes ${(r.ges.seconds / r.native.all.seconds).toFixed(2)}× the native import's time (${(r.ges.cpuSeconds / r.native.all.cpuSeconds).toFixed(2)}× its CPU).`,
  ]
}

const main = pathToFileURL(process.argv[1] ?? '').href === import.meta.url
if (main && process.argv[2] === '--part') {
  const [, , dataDir, vertices, edges] = process.argv.slice(2)
  answerPart(await runImports(dataDir, { vertices: Number(vertices), edges: Number(edges) }))
} else if (main) {
  const r = measureGesImport()
  if ('error' in r) throw new Error(r.error)
  gesImportTable(r).forEach((l) => console.log(l))
}
