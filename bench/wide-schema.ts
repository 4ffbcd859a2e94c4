// `npm run bench -- wideschema` (or `npx tsx bench/wide-schema.ts`; BENCH_SCHEMA_RUNS, default 3): the
// graph list with a schema at its bound (MAX_SCHEMA_BYTES: 13 labels of 1,024 properties with 256-byte
// names, test/support/graph-setup.ts), served (the app in its own process, its workers built) with the
// status probe beside. GET /api/v1/graphs (graphs.list: label names and counts, atk16) beside GET
// /api/v1/graphs/wide (graphs.get: every definition, what the list carried for each graph before atk16),
// taking turns: bytes, wall ms, the server's main-thread CPU, and the probe's slowest answer.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_SCHEMA_BYTES } from '../electron/graph/store/names'
import { createOwnedGraph, postSchema, WIDE_LABEL_BYTES, WIDE_LABELS_FIT, wideLabels } from '../test/support/graph-setup'
import { adminToken, mainThreadCpuMs, median, probeDuring, startServer, stopServer, useBuiltWorkers, type ProbeFigures } from './served-app'

const RUNS = Number(process.env.BENCH_SCHEMA_RUNS ?? 3)

/** One kind of read over the runs: bytes of the answer, wall and main-thread CPU ms (median, max), the probe over all of them. */
interface ReadFigures {
  bytes: number
  wallMs: [number, number]
  mainCpuMs: [number, number]
  probe: ProbeFigures
}

/** The wideschema part's figures. */
export interface WideSchemaFigures {
  labels: number
  schemaBytes: number
  runs: number
  list: ReadFigures
  get: ReadFigures
  load: [number, number]
}

/** Starts the app, gives graph `wide` the widest schema under the bound, and reads the list and the graph in turns under the probe. */
export async function measureWideSchema(): Promise<WideSchemaFigures> {
  const loadAtStart = loadavg()[0]
  const unbundle = await useBuiltWorkers()
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-schema-bench-'))
  try {
    const server = await startServer(['jobdesk', dir])
    try {
      const token = await adminToken(server.url)
      await createOwnedGraph({ url: server.url, token }, 'wide', 'admin')
      const half = Math.floor(WIDE_LABELS_FIT / 2)
      for (const [from, count] of [[0, half], [half, WIDE_LABELS_FIT - half]]) {
        const posted = await postSchema(server.url, token, 'wide', wideLabels(from, count))
        if (posted.status !== 200) throw new Error(`the schema call of labels ${from}…${from + count - 1} answered ${posted.status}`)
      }
      const pid = server.child.pid!
      const read = async (path: string) => {
        const cpu0 = mainThreadCpuMs(pid)
        const t0 = performance.now()
        const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
        const bytes = (await res.arrayBuffer()).byteLength
        if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
        return { bytes, ms: performance.now() - t0, cpuMs: mainThreadCpuMs(pid) - cpu0 }
      }
      const runs = { list: [] as Awaited<ReturnType<typeof read>>[], get: [] as Awaited<ReturnType<typeof read>>[] }
      const { probe } = await probeDuring(server.url, token, async () => {
        for (let r = 0; r < RUNS; r++) {
          for (const kind of r % 2 ? (['get', 'list'] as const) : (['list', 'get'] as const)) runs[kind].push(await read(kind === 'list' ? '/api/v1/graphs' : '/api/v1/graphs/wide'))
        }
      })
      const figures = (rs: Awaited<ReturnType<typeof read>>[]): ReadFigures => ({
        bytes: median(rs.map((x) => x.bytes)),
        wallMs: [median(rs.map((x) => x.ms)), Math.max(...rs.map((x) => x.ms))],
        mainCpuMs: [median(rs.map((x) => x.cpuMs)), Math.max(...rs.map((x) => x.cpuMs))],
        probe,
      })
      return { labels: WIDE_LABELS_FIT, schemaBytes: WIDE_LABELS_FIT * WIDE_LABEL_BYTES, runs: RUNS, list: figures(runs.list), get: figures(runs.get), load: [loadAtStart, loadavg()[0]] }
    } finally {
      await stopServer(server)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    unbundle()
  }
}

const f0 = (x: number): string => x.toFixed(0)

/** The figures as a line of what the graph held and a markdown table. */
export function wideSchemaTable(r: WideSchemaFigures): string[] {
  const row = (what: string, x: ReadFigures) => `| ${what} | ${x.bytes.toLocaleString('en-US')} | ${f0(x.wallMs[0])} (${f0(x.wallMs[1])}) | ${f0(x.mainCpuMs[0])} (${f0(x.mainCpuMs[1])}) |`
  return [
    `Graph \`wide\`: ${r.labels} vertex labels of 1,024 properties with 256-byte names, ${(r.schemaBytes / 2 ** 20).toFixed(1)} MiB of definitions (the bound, MAX_SCHEMA_BYTES, is ${(MAX_SCHEMA_BYTES / 2 ** 20).toFixed(0)} MiB); ${r.runs} reads of each, taking turns, as the admin. ` +
      `The status probe (every 50 ms) over all of them: ${r.list.probe.count} probes, p50 ${f0(r.list.probe.p50Ms)} ms, p99 ${f0(r.list.probe.p99Ms)} ms, slowest ${f0(r.list.probe.maxMs)} ms, ${r.list.probe.failures} failed.`,
    '',
    '| read | bytes | wall ms: median (max) | server main-thread CPU ms: median (max; 10 ms steps) |',
    '|---|---:|---:|---:|',
    row('now: GET /api/v1/graphs (graphs.list: label names and counts)', r.list),
    row("GET /api/v1/graphs/wide (graphs.get: every definition; what the list carried for each graph before atk16)", r.get),
  ]
}

if (process.argv[1]?.endsWith('wide-schema.ts')) {
  const r = await measureWideSchema()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of wideSchemaTable(r)) console.log(line)
}
