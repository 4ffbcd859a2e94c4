// Graph algorithm speed (#15.6): PageRank (10 iterations), WCC and triangle count on a generated
// social graph of 2.4M edges (200,000 people, 12 follows each, mostly by preferential attachment,
// so degrees are skewed as in real social graphs), run by JobDesk's CSR algorithms (the code the
// algorithm worker runs) and by graphology's implementations on the same graph in the same
// process, with times, ratios and peak RSS. graphology has no triangle counter: its per-edge
// Simmelian strength (triangles through each edge) summed and divided by 3 is its count.
// Run alone: npx tsx bench/algorithms.ts [people] [follows]   (npm run bench runs it too)
import Graph from 'graphology'
import { connectedComponents } from 'graphology-components'
import pagerank from 'graphology-metrics/centrality/pagerank'
import simmelianStrength from 'graphology-metrics/edge/simmelian-strength'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { freeRunning } from '../electron/graph/algorithms/control'
import { buildCsr, EdgeList } from '../electron/graph/algorithms/csr'
import { resolveParams } from '../electron/graph/algorithms/params'
import { runAlgorithm } from '../electron/graph/algorithms/run-algorithm'
import { Snapshot } from '../electron/graph/algorithms/snapshot'

const DOC = resolve(import.meta.dirname, '../docs/PERFORMANCE.md')
const BEGIN = '<!-- bench:algorithms:begin -->'
const END = '<!-- bench:algorithms:end -->'

export interface AlgorithmBenchRow {
  name: string
  oursMs: number
  graphologyMs: number
  agree: string
}

export interface AlgorithmBench {
  vertices: number
  edges: number
  generateMs: number
  csrMs: number
  graphologyBuildMs: number
  rows: AlgorithmBenchRow[]
  /** Peak RSS after JobDesk's runs (before graphology's graph exists), and at the end. */
  oursPeakRssMb: number
  endPeakRssMb: number
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024

/** A skewed follower graph: each new person follows `k` others, picked mostly by preferential attachment; no pair twice. */
export function socialGraph(people: number, k: number): EdgeList {
  let s = 12345
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
  const edges = new EdgeList(false)
  const pairs = new Set<number>()
  const seed = k + 1
  for (let v = 1; v < people; v++) {
    const want = Math.min(k, v)
    for (let made = 0, tries = 0; made < want && tries < want * 20; tries++) {
      // half the time an endpoint of a random existing edge (preferential), else anyone older
      const u = v < seed || edges.m === 0 || rnd() < 0.5 ? Math.floor(rnd() * v) : rnd() < 0.5 ? edges.src[Math.floor(rnd() * edges.m)] : edges.dst[Math.floor(rnd() * edges.m)]
      if (u === v) continue
      const key = u < v ? u * people + v : v * people + u
      if (pairs.has(key)) continue
      pairs.add(key)
      if (rnd() < 0.5) edges.add(v, u)
      else edges.add(u, v)
      made++
    }
  }
  return edges
}

/**
 * CPU milliseconds (user + system) of `fn`: every run here is single-threaded, and on a shared
 * machine CPU time measures the work where wall time also measures the neighbours.
 */
const time = <T>(fn: () => T): [T, number] => {
  const t0 = process.cpuUsage()
  const r = fn()
  const d = process.cpuUsage(t0)
  return [r, (d.user + d.system) / 1000]
}

export function measureAlgorithms(people = 200_000, follows = 12): AlgorithmBench {
  const [edges, generateMs] = time(() => socialGraph(people, follows))
  const [snapshot, csrMs] = time(() => new Snapshot(buildCsr(people, edges, Array.from({ length: people }, (_, i) => i)), 'generated social graph'))
  const ctl = freeRunning()
  const run = (name: 'PageRank' | 'WCC' | 'TriangleCount', params: Record<string, unknown>) => time(() => runAlgorithm(name, snapshot, resolveParams(name, params), ctl))
  // a warm-up of each, so both sides are measured with the JIT warm
  run('PageRank', { ITERATIONS: 1 })
  const [pr, prMs] = run('PageRank', { ITERATIONS: 10, EPS: 0 })
  const [wcc, wccMs] = run('WCC', {})
  const [tri, triMs] = run('TriangleCount', { OPT: '1' })
  const oursPeakRssMb = peakRssMb()

  const [graph, graphologyBuildMs] = time(() => {
    const g = new Graph({ type: 'directed', multi: false })
    for (let i = 0; i < people; i++) g.addNode(i)
    for (let e = 0; e < edges.m; e++) g.addEdge(edges.src[e], edges.dst[e])
    return g
  })
  let theirRank: Record<string, number> = {}
  const [, gPrMs] = time(() => {
    try {
      theirRank = pagerank(graph, { maxIterations: 10, tolerance: 0, getEdgeWeight: null })
    } catch {
      // graphology throws when 10 passes do not converge (they never do with tolerance 0): the 10 passes are what is timed
    }
  })
  const [components, gWccMs] = time(() => connectedComponents(graph))
  const [strengths, gTriMs] = time(() => simmelianStrength(graph))
  const theirTriangles = Object.values(strengths).reduce((a, b) => a + b, 0) / 3
  let ourSum = 0
  let maxDiff = 0
  for (let i = 0; i < pr.rows; i++) {
    const v = pr.row(i)[1] as number
    ourSum += v
    if (theirRank[String(i)] !== undefined) maxDiff = Math.max(maxDiff, Math.abs(v - theirRank[String(i)]))
  }
  return {
    vertices: people,
    edges: edges.m,
    generateMs,
    csrMs,
    graphologyBuildMs,
    oursPeakRssMb,
    endPeakRssMb: peakRssMb(),
    rows: [
      { name: 'PageRank, 10 iterations', oursMs: prMs, graphologyMs: gPrMs, agree: `ranks sum to ${ourSum.toFixed(6)}${Object.keys(theirRank).length ? `; largest difference from graphology ${maxDiff.toExponential(1)}` : ''}` },
      { name: 'WCC', oursMs: wccMs, graphologyMs: gWccMs, agree: `${wcc.details.communities} components (graphology: ${components.length})` },
      { name: 'Triangle count', oursMs: triMs, graphologyMs: gTriMs, agree: `${tri.details.triangles} triangles (graphology: ${theirTriangles})` },
    ],
  }
}

/** The section of docs/PERFORMANCE.md between the algorithm markers. */
export function algorithmBlock(b: AlgorithmBench): string {
  const rows = b.rows.map((r) => `| ${r.name} | ${r.oursMs.toFixed(0)} | ${r.graphologyMs.toFixed(0)} | ${(r.graphologyMs / r.oursMs).toFixed(1)}× | ${r.agree} |`)
  return [
    BEGIN,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}: a generated social graph of ` +
      `${b.vertices.toLocaleString('en')} vertices and ${b.edges.toLocaleString('en')} edges (generated in ${b.generateMs.toFixed(0)} ms; CSR built in ${b.csrMs.toFixed(0)} ms; ` +
      `the graphology graph in ${b.graphologyBuildMs.toFixed(0)} ms; all CPU time).`,
    '',
    '| algorithm | JobDesk CPU ms | graphology CPU ms | speed-up | results |',
    '|---|---:|---:|---:|---|',
    ...rows,
    '',
    `Peak RSS after JobDesk's runs: ${b.oursPeakRssMb.toFixed(0)} MB (target < 1 GB); after graphology's as well: ${b.endPeakRssMb.toFixed(0)} MB.`,
    END,
  ].join('\n')
}

export function writeAlgorithmBlock(b: AlgorithmBench): void {
  const doc = readFileSync(DOC, 'utf8')
  const start = doc.indexOf(BEGIN)
  const end = doc.indexOf(END)
  if (start === -1 || end === -1) throw new Error(`${DOC} lacks the ${BEGIN} … ${END} markers`)
  writeFileSync(DOC, doc.slice(0, start) + algorithmBlock(b) + doc.slice(end + END.length))
}

export function printAlgorithms(b: AlgorithmBench): void {
  console.log(`graph algorithms on ${b.vertices.toLocaleString('en')} vertices, ${b.edges.toLocaleString('en')} edges (CSR ${b.csrMs.toFixed(0)} ms):`)
  for (const r of b.rows) console.log(`  ${r.name}: JobDesk ${r.oursMs.toFixed(0)} ms, graphology ${r.graphologyMs.toFixed(0)} ms, ${(r.graphologyMs / r.oursMs).toFixed(1)}× — ${r.agree}`)
  console.log(`  peak RSS: ${b.oursPeakRssMb.toFixed(0)} MB after JobDesk's runs, ${b.endPeakRssMb.toFixed(0)} MB at the end`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = measureAlgorithms(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 12))
  printAlgorithms(b)
  writeAlgorithmBlock(b)
  console.log(`written to ${DOC}`)
}
