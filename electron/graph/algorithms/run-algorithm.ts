// Runs one algorithm on a snapshot with Explorer's parameters and shapes its result as Explorer's
// fixed output columns. VID columns carry the ids clients know (a graph vertex's primary-key value,
// or `Label:pk` when values repeat across labels; a file's ids as written).
import { ALGORITHM_SPECS, type AlgorithmName, type ParamValue } from '../../../shared/algorithms'
import { graphError } from '../errors'
import { betweenness, closeness, shortestFrom } from './centrality'
import { countDistinct, modularity, weaklyConnected } from './components'
import type { AlgorithmControl } from './control'
import { nStepDegree } from './degree'
import { jaccard } from './jaccard'
import { coreNumbers } from './kcore'
import { propagateLabels } from './label-propagation'
import { louvainCommunities } from './louvain'
import { pageRank } from './pagerank'
import { idList } from './params'
import { RowCollector, type ResultColumn, type ResultTable } from './result-table'
import type { Snapshot } from './snapshot'
import { countTriangles, globalClustering, localClustering } from './triangles'

/** APSP writes n² rows: beyond this many vertices it is refused rather than run for hours. */
export const APSP_MAX_VERTICES = 2000

type Runner = (s: Snapshot, p: Record<string, ParamValue>, ctl: AlgorithmControl) => ResultTable

/** Runs `algorithm` with resolved parameters (params.ts). Throws invalid_request for ids not in the graph. */
export function runAlgorithm(algorithm: AlgorithmName, s: Snapshot, params: Record<string, ParamValue>, ctl: AlgorithmControl): ResultTable {
  return RUNNERS[algorithm](s, params, ctl)
}

const vidType = (s: Snapshot): ResultColumn['type'] => (s.n > 0 && typeof s.id(0) === 'string' ? 'STRING' : 'INT64')

/** A table of one value per vertex: VID and `name`. */
function perVertex(s: Snapshot, name: string, type: ResultColumn['type'], values: ArrayLike<number>, details: ResultTable['details'] = {}, asId = false): ResultTable {
  const value = (i: number) => (asId ? s.id(values[i]) : values[i])
  return {
    columns: [{ name: 'VID', type: vidType(s) }, { name, type: asId ? vidType(s) : type }],
    rows: s.n,
    row: (i) => [s.id(i), value(i)],
    truncated: false,
    details,
    vertexValue: { column: name, index: (i) => i, value },
  }
}

function fromRows(columns: ResultColumn[], rows: RowCollector, details: ResultTable['details'] = {}): ResultTable {
  return { columns, rows: rows.rows.length, row: (i) => rows.rows[i], truncated: rows.truncated, details }
}

/** The vertex index of an id parameter; invalid_request naming the parameter when it is not in the graph. */
function vertex(s: Snapshot, param: string, id: string): number {
  const i = s.indexOf(id)
  const several = i === undefined ? s.candidates(id) : []
  if (several.length > 1) {
    throw graphError('invalid_request', `${param}: vertex ${JSON.stringify(id)} is ambiguous in this graph: ${several.join(', ')} have that primary key; write Label:key`, { field: `params.${param}` })
  }
  if (i === undefined) throw graphError('invalid_request', `${param}: vertex ${JSON.stringify(id)} is not in the graph`, { field: `params.${param}` })
  return i
}

function communities(s: Snapshot, p: Record<string, ParamValue>, labels: Int32Array, details: ResultTable['details']): ResultTable {
  details.communities = countDistinct(labels)
  if (p.IS_CALC_MODULARITY === true) details.modularity = modularity(s.csr, labels)
  return perVertex(s, 'LABEL', 'INT64', labels, details, true)
}

const RUNNERS: Record<AlgorithmName, Runner> = {
  PageRank(s, p, ctl) {
    const r = pageRank(s.directed(p.IS_DIRECTED as boolean), { iterations: p.ITERATIONS as number, eps: p.EPS as number, damping: p.DAMPING as number }, ctl)
    return perVertex(s, 'VALUE', 'DOUBLE', r.rank, { iterations: r.iterations, delta: r.delta })
  },
  WCC(s, p, ctl) {
    return communities(s, p, weaklyConnected(s.csr, ctl), {})
  },
  LPA(s, p, ctl) {
    const incoming = p.IS_DIRECTED ? s.reverse : s.symmetric
    const r = propagateLabels(incoming, p.ITERATIONS as number, ctl)
    return communities(s, p, r.labels, { passes: r.passes })
  },
  HANP(s, p, ctl) {
    const incoming = p.IS_DIRECTED ? s.reverse : s.symmetric
    const r = propagateLabels(incoming, p.ITERATIONS as number, ctl, { preference: p.PREFERENCE as number, hopAttenuation: p.HOP_ATT as number })
    return communities(s, { ...p, IS_CALC_MODULARITY: false }, r.labels, { passes: r.passes })
  },
  Louvain(s, p, ctl) {
    const r = louvainCommunities(s.csr, p.IS_DIRECTED as boolean, ctl)
    const details: ResultTable['details'] = { communities: r.count }
    if (p.IS_CALC_MODULARITY === true) details.modularity = r.modularity
    return perVertex(s, 'LABEL', 'INT64', r.labels, details, true)
  },
  KCore(s, p, ctl) {
    const core = coreNumbers(s.simple, ctl)
    let max = 0
    for (const c of core) if (c > max) max = c
    if (p.TYPE === 'vertex') return perVertex(s, 'VALUE', 'INT64', core, { maxCore: max })
    const rows = new RowCollector()
    const g = s.simple
    const inRange = (i: number) => core[i] >= (p.KMIN as number) && core[i] <= (p.KMAX as number)
    for (let i = 0; i < g.n && !rows.full; i++) {
      if (!inRange(i)) continue
      for (let e = g.offsets[i]; e < g.offsets[i + 1]; e++) if (inRange(g.targets[e])) rows.add([s.id(i), s.id(g.targets[e])])
    }
    return fromRows([{ name: 'VID', type: vidType(s) }, { name: 'VALUE', type: vidType(s) }], rows, { maxCore: max })
  },
  DegreeCentrality(s, p, ctl) {
    const steps = p.STEP as number
    const directed = p.IS_DIRECTED as boolean
    const out = () => nStepDegree(directed ? s.csr : s.symmetric, steps, ctl)
    const inn = () => nStepDegree(directed ? s.reverse : s.symmetric, steps, ctl)
    if (p.TYPE === 'out') return perVertex(s, 'OUT_DEGREE', 'INT64', out())
    if (p.TYPE === 'in') return perVertex(s, 'IN_DEGREE', 'INT64', inn())
    const both = nStepDegree(s.symmetric, steps, ctl)
    const o = out()
    const i = inn()
    const table = perVertex(s, 'BOTH_DEGREE', 'INT64', both)
    return { ...table, columns: [...table.columns, { name: 'OUT_DEGREE', type: 'INT64' }, { name: 'IN_DEGREE', type: 'INT64' }], row: (r) => [s.id(r), both[r], o[r], i[r]] }
  },
  BetweennessCentrality(s, p, ctl) {
    const directed = p.IS_DIRECTED as boolean
    const chosen = String(p.CHOSEN).trim()
    const sources = chosen === '-1' ? undefined : idList(chosen).map((id) => vertex(s, 'CHOSEN', id))
    return perVertex(s, 'VALUE', 'DOUBLE', betweenness(pathGraph(s, directed), !directed, ctl, sources))
  },
  ClosenessCentrality(s, p, ctl) {
    return perVertex(s, 'VALUE', 'DOUBLE', closeness(pathGraph(s, p.IS_DIRECTED as boolean), ctl))
  },
  SSSP(s, p, ctl) {
    const root = vertex(s, 'ROOT', String(p.ROOT))
    checkWeights(s)
    const r = shortestFrom(s.csr, root, ctl)
    const rows = new RowCollector()
    for (let k = 0; k < r.reached; k++) rows.add([s.id(r.order[k]), r.dist[r.order[k]]])
    const table = fromRows([{ name: 'VID', type: vidType(s) }, { name: 'DISTANCE', type: 'DOUBLE' }], rows, { reached: r.reached })
    const order = r.order
    return { ...table, vertexValue: { column: 'DISTANCE', index: (k) => order[k], value: (k) => r.dist[order[k]] } }
  },
  BFS(s, p, ctl) {
    const root = vertex(s, 'ROOT', String(p.ROOT))
    const g = s.directed(p.IS_DIRECTED as boolean)
    const r = shortestFrom({ ...g, weights: null }, root, ctl)
    const rows = new RowCollector()
    for (let k = 1; k < r.reached; k++) rows.add([s.id(root), s.id(r.order[k])])
    return fromRows([{ name: 'ROOT', type: vidType(s) }, { name: 'VISITED', type: vidType(s) }], rows, { visited: r.reached - 1 })
  },
  ShortestPath(s, p, ctl) {
    checkWeights(s)
    const sources = idList(p.src).map((id) => vertex(s, 'src', id))
    const targets = idList(p.dst).map((id) => vertex(s, 'dst', id))
    const rows = new RowCollector()
    let unreachable = 0
    for (const a of sources) {
      const r = shortestFrom(s.csr, a, ctl, true)
      for (const b of targets) {
        if (r.dist[b] === Infinity) {
          unreachable++
          continue
        }
        const path: number[] = []
        for (let v = b; v !== -1; v = v === a ? -1 : r.parent![v]) path.push(v)
        rows.add([path.reverse().map((v) => String(s.id(v))).join(',')])
      }
    }
    return fromRows([{ name: 'VALUE', type: 'STRING' }], rows, { unreachable })
  },
  APSP(s, _p, ctl) {
    if (s.n > APSP_MAX_VERTICES) {
      throw graphError('invalid_request', `APSP writes a row per pair of vertices: ${s.n} vertices is more than the ${APSP_MAX_VERTICES} it runs on; use SSSP or ShortestPath`, { field: 'algorithm' })
    }
    checkWeights(s)
    const rows = new RowCollector()
    for (let a = 0; a < s.n; a++) {
      const r = shortestFrom(s.csr, a, ctl)
      for (let k = 1; k < r.reached; k++) rows.add([s.id(a), s.id(r.order[k]), r.dist[r.order[k]]])
      ctl.progress(a / s.n)
    }
    return fromRows([{ name: 'VID1', type: vidType(s) }, { name: 'VID2', type: vidType(s) }, { name: 'DISTANCE', type: 'DOUBLE' }], rows)
  },
  TriangleCount(s, p, ctl) {
    const opt = String(p.OPT)
    if (opt === '3') {
      const rows = new RowCollector()
      const r = countTriangles(s.simple, ctl, (a, b, c) => rows.add([s.id(a), s.id(b), s.id(c)]))
      const t = vidType(s)
      return fromRows([{ name: 'VID1', type: t }, { name: 'VID2', type: t }, { name: 'VID3', type: t }], rows, { triangles: r.total })
    }
    const r = countTriangles(s.simple, ctl)
    if (opt === '2') return perVertex(s, 'COUNT', 'INT64', r.perVertex, { triangles: r.total })
    return { columns: [{ name: 'COUNT', type: 'INT64' }], rows: 1, row: () => [r.total], truncated: false, details: { triangles: r.total } }
  },
  ClusteringCoefficient(s, p, ctl) {
    const g = s.simple
    const r = countTriangles(g, ctl)
    if (p.TYPE === 'global') {
      const value = globalClustering(g, r.total)
      return { columns: [{ name: 'VID', type: vidType(s) }, { name: 'VALUE', type: 'DOUBLE' }], rows: 1, row: () => [null, value], truncated: false, details: { triangles: r.total, global: value } }
    }
    return perVertex(s, 'VALUE', 'DOUBLE', localClustering(g, r.perVertex), { triangles: r.total })
  },
  Jaccard(s, p, ctl) {
    const left = idList(p.IDS1).map((id) => vertex(s, 'IDS1', id))
    if (left.length === 0) throw graphError('invalid_request', 'IDS1: give at least one vertex id', { field: 'params.IDS1' })
    const rightIds = idList(p.IDS2)
    const right = rightIds.length ? rightIds.map((id) => vertex(s, 'IDS2', id)) : null
    const rows = new RowCollector()
    jaccard(s.simple, left, right, ctl, (a, b, v) => rows.add([s.id(a), s.id(b), v]))
    const t = vidType(s)
    return fromRows([{ name: 'VID1', type: t }, { name: 'VID2', type: t }, { name: 'VALUE', type: 'DOUBLE' }], rows)
  },
}

/** What centralities search: undirected and unweighted, each neighbour once (parallel edges are not more paths). */
const pathGraph = (s: Snapshot, directed: boolean) => (directed ? s.csr : s.csr.weights ? s.symmetric : s.simple)

/** Dijkstra needs weights of at least 0. */
function checkWeights(s: Snapshot): void {
  const w = s.csr.weights
  if (!w) return
  for (let e = 0; e < w.length; e++) {
    if (!(w[e] >= 0)) throw graphError('invalid_request', `shortest paths need weights of at least 0; an edge has weight ${w[e]}`, { field: 'source.weight' })
  }
}

/** The output column names for a request, as the spec lists them (for the UI before a run). */
export const outputColumns = (algorithm: AlgorithmName, params: Record<string, ParamValue>): string[] => ALGORITHM_SPECS[algorithm].columns(params)
