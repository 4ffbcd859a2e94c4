// Graph import speed: 1M vertices and 5M edges generated as CSV, imported through the same path
// as the API (graph service → engine job → import executor → graph worker). Prints vertices/s and
// edges/s (per wall second and per CPU second: on a shared machine the second says more), the
// process's peak RSS, and the floor: the same rows put by a bare better-sqlite3 insert loop into
// the same table layout (no parsing, no lookups, no checks).
// Run: npx tsx bench/graph-import.ts [vertices] [edges]   (not part of `npm run bench` yet)
import Database from 'better-sqlite3'
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp } from '../electron/app'

const VERTICES = Number(process.argv[2] ?? 1_000_000)
const EDGES = Number(process.argv[3] ?? 5_000_000)
const ADMIN = { username: 'admin', isAdmin: true }

/** Writes `count` lines made by `line(i)` in chunks, never holding the file in memory. */
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

/** A deterministic pseudo-random sequence (so runs compare). */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `jobdesk-graph-bench-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  const uploads = join(dir, 'upload_files', 'admin')
  mkdirSync(uploads, { recursive: true })
  const rand = lcg(42)
  let t = performance.now()
  const vBytes = writeLines(join(uploads, 'person.csv'), VERTICES, (i) => `${i},person ${i},${i % 90}\n`)
  const eBytes = writeLines(join(uploads, 'knows.csv'), EDGES, () => `${rand() % VERTICES},${rand() % VERTICES},${2000 + (rand() % 25)}\n`)
  console.log(`generated ${VERTICES.toLocaleString('en')} vertices (${(vBytes / 1e6).toFixed(0)} MB) and ${EDGES.toLocaleString('en')} edges (${(eBytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 4 })
  let peak = process.memoryUsage().rss
  const base = peak
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25)
  try {
    await app.graph.importSchema('default', {
      schema: [
        { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'age', type: 'INT32', optional: true }] },
        { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
      ],
    })
    const run = async (file: Record<string, unknown>) => {
      const started = performance.now()
      const cpu = process.cpuUsage() // the whole process: the graph worker threads included
      const { taskId, jobId } = await app.graph.startImport({ graph: 'default', files: [file] }, ADMIN)
      const job = await app.engine.waitFor(jobId)
      const s = await app.graph.importStatus(taskId)
      if (job.status !== 'succeeded') throw new Error(`import ${job.status}: ${job.error}`)
      const used = process.cpuUsage(cpu)
      return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, imported: s.report!.imported, failed: s.report!.failed }
    }
    const show = (what: string, r: { seconds: number; cpuSeconds: number; imported: number; failed: number }) =>
      console.log(
        `${what}: ${r.imported.toLocaleString('en')} in ${r.seconds.toFixed(1)} s = ${Math.round(r.imported / r.seconds).toLocaleString('en')}/s; ` +
          `${r.cpuSeconds.toFixed(1)} CPU s = ${Math.round(r.imported / r.cpuSeconds).toLocaleString('en')} per CPU second (${r.failed} failed)`,
      )
    show('vertices', await run({ path: 'person.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'] }))
    show('edges', await run({ path: 'knows.csv', format: 'CSV', label: 'knows', SRC_ID: 'person', DST_ID: 'person', columns: ['SRC_ID', 'DST_ID', 'since'] }))
    const info = await app.graph.getGraph('default')
    console.log(`graph file: ${(info.sizeBytes / 1e6).toFixed(0)} MB; ${info.vertexCount.toLocaleString('en')} vertices, ${info.edgeCount.toLocaleString('en')} edges`)
  } finally {
    clearInterval(sampler)
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`peak RSS ${(peak / 1e6).toFixed(0)} MB (${((peak - base) / 1e6).toFixed(0)} MB above the started app)`)
  floor(dir)
}

/** The same rows by a bare insert loop into the graph store's layout, ~850k rows a transaction (an edge package's worth). */
function floor(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'floor.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('cache_size = -65536')
  db.exec(`CREATE TABLE v (vid INTEGER PRIMARY KEY, p0 INTEGER NOT NULL, p1 TEXT NOT NULL, p2 INTEGER);
    CREATE UNIQUE INDEX v_p0 ON v (p0);
    CREATE TABLE e (src INTEGER NOT NULL, dst INTEGER NOT NULL, tid INTEGER NOT NULL, eid INTEGER NOT NULL, p0 INTEGER, PRIMARY KEY (src, tid, dst, eid)) WITHOUT ROWID;
    CREATE INDEX e_in ON e (dst, tid, src, eid)`)
  const rand = lcg(42)
  const measure = (what: string, n: number, insert: (i: number) => void) => {
    const started = performance.now()
    for (let from = 0; from < n; from += 850_000) db.transaction(() => { for (let i = from; i < Math.min(n, from + 850_000); i++) insert(i) })()
    const seconds = (performance.now() - started) / 1000
    console.log(`floor ${what} (bare better-sqlite3 loop): ${Math.round(n / seconds).toLocaleString('en')}/s`)
  }
  const v = db.prepare('INSERT INTO v VALUES (?, ?, ?, ?)')
  measure('vertices', VERTICES, (i) => v.run(i, i, `person ${i}`, i % 90))
  const e = db.prepare('INSERT INTO e VALUES (?, ?, 0, ?, ?)')
  measure('edges', EDGES, (i) => e.run(rand() % VERTICES, rand() % VERTICES, i, 2000 + (rand() % 25)))
  db.close()
  rmSync(dir, { recursive: true, force: true })
}

await main()
