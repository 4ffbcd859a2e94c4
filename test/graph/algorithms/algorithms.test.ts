// The algorithms on small graphs: known answers (K4 has 4 triangles, two components, a weighted
// shortest path) and graphology's implementations as the oracle on random graphs.
import betweennessCentrality from 'graphology-metrics/centrality/betweenness'
import closenessCentrality from 'graphology-metrics/centrality/closeness'
import pagerank from 'graphology-metrics/centrality/pagerank'
import { connectedComponents } from 'graphology-components'
import { dijkstra } from 'graphology-shortest-path'
import { describe, expect, it } from 'vitest'
import { ALGORITHM_NAMES, ALGORITHM_SPECS, type AlgorithmName } from '../../../shared/algorithms'
import { freeRunning } from '../../../electron/graph/algorithms/control'
import { resolveParams } from '../../../electron/graph/algorithms/params'
import { runAlgorithm } from '../../../electron/graph/algorithms/run-algorithm'
import type { Snapshot } from '../../../electron/graph/algorithms/snapshot'
import { complete, graphologyOf, randomEdges, snapshotOf } from './support'

const run = (name: AlgorithmName, s: Snapshot, params: Record<string, unknown> = {}) => {
  const t = runAlgorithm(name, s, resolveParams(name, params), freeRunning())
  return { ...t, all: Array.from({ length: t.rows }, (_, i) => t.row(i)) }
}
const column = (rows: unknown[][], i = 1) => rows.map((r) => r[i] as number)

describe('known answers', () => {
  it('PageRank sums to 1 and ranks the hub highest', () => {
    //   1 → 0 ← 2, 3 → 0, 4 → 0, 0 dangling
    const s = snapshotOf(5, [[1, 0], [2, 0], [3, 0], [4, 0]])
    const r = run('PageRank', s)
    expect(r.columns.map((c) => c.name)).toEqual(['VID', 'VALUE'])
    const values = column(r.all)
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(Math.max(...values)).toBe(values[0])
    expect(r.details.iterations).toBeLessThanOrEqual(10)
  })

  it('WCC finds two components, labelled by their smallest vid', () => {
    //   0 → 1 ← 2     3 — 4 → 5
    const s = snapshotOf(6, [[0, 1], [2, 1], [3, 4], [4, 5]])
    const r = run('WCC', s, { IS_CALC_MODULARITY: true })
    expect(r.all).toEqual([[0, 0], [1, 0], [2, 0], [3, 3], [4, 3], [5, 3]])
    expect(r.details.communities).toBe(2)
    expect(r.details.modularity).toBeCloseTo(0.5, 10)
  })

  it('the triangle count of K4 is 4 (whole graph, per vertex and listed)', () => {
    const s = snapshotOf(4, complete(4))
    expect(run('TriangleCount', s, { OPT: '1' }).all).toEqual([[4]])
    expect(column(run('TriangleCount', s, { OPT: 2 }).all)).toEqual([3, 3, 3, 3])
    const listed = run('TriangleCount', s).all.map((t) => [...(t as number[])].sort().join(''))
    expect(listed.sort()).toEqual(['012', '013', '023', '123'])
    expect(column(run('ClusteringCoefficient', s).all)).toEqual([1, 1, 1, 1])
    expect(run('ClusteringCoefficient', s, { TYPE: 'global' }).all).toEqual([[null, 1]])
  })

  it('parallel edges and self-loops do not make triangles', () => {
    const s = snapshotOf(3, [[0, 1], [1, 0], [0, 1], [1, 2], [2, 0], [2, 2]])
    expect(run('TriangleCount', s, { OPT: 1 }).all).toEqual([[1]])
  })

  it('SSSP on a weighted graph takes the light detour', () => {
    //   0 —10→ 3,  0 —1→ 1 —2→ 2 —3→ 3,  4 unreachable
    const s = snapshotOf(5, [[0, 3, 10], [0, 1, 1], [1, 2, 2], [2, 3, 3]], true)
    const r = run('SSSP', s, { ROOT: '0' })
    expect(r.columns.map((c) => c.name)).toEqual(['VID', 'DISTANCE'])
    expect(new Map(r.all as [number, number][])).toEqual(new Map([[0, 0], [1, 1], [2, 3], [3, 6]]))
    expect(run('ShortestPath', s, { src: '0', dst: '3,4' }).all).toEqual([['0,1,2,3']])
  })

  it('BFS visits what ROOT reaches, following directions unless told not to', () => {
    const s = snapshotOf(4, [[0, 1], [1, 2], [3, 0]])
    expect(run('BFS', s, { ROOT: '0' }).all).toEqual([[0, 1], [0, 2]])
    expect(run('BFS', s, { ROOT: '0', IS_DIRECTED: false }).all.map((r) => r[1]).sort()).toEqual([1, 2, 3])
  })

  it('APSP gives every reachable pair', () => {
    const s = snapshotOf(3, [[0, 1, 2], [1, 2, 2]], true)
    expect(run('APSP', s).all).toEqual([[0, 1, 2], [0, 2, 4], [1, 2, 2]])
  })

  it('KCore: a K4 with a tail has cores 3 and 1', () => {
    const s = snapshotOf(6, [...complete(4), [3, 4], [4, 5]])
    expect(column(run('KCore', s).all)).toEqual([3, 3, 3, 3, 1, 1])
    const sub = run('KCore', s, { TYPE: 'subgraph', KMIN: 3 }).all
    expect(sub).toHaveLength(12) // K4's 6 edges, both ways
  })

  it('DegreeCentrality counts distinct vertices within STEP hops', () => {
    //   0 → 1 → 2 → 3
    const s = snapshotOf(4, [[0, 1], [1, 2], [2, 3]])
    expect(run('DegreeCentrality', s, { STEP: 1, TYPE: 'out' }).all).toEqual([[0, 1], [1, 1], [2, 1], [3, 0]])
    expect(run('DegreeCentrality', s, { STEP: 2 }).all).toEqual([[0, 2, 2, 0], [1, 3, 2, 1], [2, 3, 1, 2], [3, 2, 0, 2]])
    expect(column(run('DegreeCentrality', s, { STEP: -1, TYPE: 'in' }).all)).toEqual([0, 1, 2, 3])
  })

  it('LPA and HANP find the two cliques joined by one edge; Louvain too', () => {
    const a = complete(4)
    const b = complete(4).map(([x, y]) => [x + 4, y + 4] as [number, number])
    const s = snapshotOf(8, [...a, ...b, [3, 4]])
    for (const name of ['LPA', 'HANP', 'Louvain'] as const) {
      const labels = column(run(name, s, { IS_DIRECTED: false }).all)
      expect(new Set(labels.slice(0, 4)).size, name).toBe(1)
      expect(new Set(labels.slice(4)).size, name).toBe(1)
      expect(labels[0], name).not.toBe(labels[7])
    }
  })

  it('Jaccard of neighbour sets', () => {
    //   0 — 2, 0 — 3, 1 — 2, 1 — 4
    const s = snapshotOf(5, [[0, 2], [0, 3], [1, 2], [1, 4]])
    expect(run('Jaccard', s, { IDS1: '0', IDS2: '1' }).all).toEqual([[0, 1, 1 / 3]])
    expect(run('Jaccard', s, { IDS1: '0' }).all).toEqual([[0, 1, 1 / 3]])
  })
})

describe('graphology as the oracle', () => {
  const n = 300
  const edges = randomEdges(n, 1500, 7)

  it('PageRank matches graphology-metrics', () => {
    const ours = column(run('PageRank', snapshotOf(n, edges), { ITERATIONS: 1000, EPS: 1e-13 }).all)
    const theirs = pagerank(graphologyOf(n, edges), { getEdgeWeight: null, tolerance: 1e-14, maxIterations: 1000 })
    ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[String(i)], 9))
  })

  it('weighted PageRank matches graphology-metrics', () => {
    const weighted = edges.map(([s, d], i) => [s, d, 1 + (i % 5)] as [number, number, number])
    const ours = column(run('PageRank', snapshotOf(n, weighted, true), { ITERATIONS: 1000, EPS: 1e-13 }).all)
    const theirs = pagerank(graphologyOf(n, weighted), { getEdgeWeight: 'weight', tolerance: 1e-14, maxIterations: 1000 })
    ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[String(i)], 9))
  })

  it('WCC matches graphology-components', () => {
    const sparse = randomEdges(n, 200, 3)
    const labels = column(run('WCC', snapshotOf(n, sparse)).all)
    const components = connectedComponents(graphologyOf(n, sparse, 'undirected'))
    expect(new Set(labels).size).toBe(components.length)
    for (const c of components) expect(new Set(c.map((v) => labels[Number(v)])).size).toBe(1)
  })

  it('betweenness and closeness match graphology-metrics (undirected)', () => {
    const small = randomEdges(60, 150, 11)
    const s = snapshotOf(60, small)
    const g = graphologyOf(60, small, 'undirected')
    const b = column(run('BetweennessCentrality', s, { IS_DIRECTED: false }).all)
    const theirB = betweennessCentrality(g, { normalized: false, getEdgeWeight: null })
    b.forEach((v, i) => expect(v).toBeCloseTo(theirB[String(i)], 9))
    const c = column(run('ClosenessCentrality', s, { IS_DIRECTED: false }).all)
    const theirC = closenessCentrality(g)
    c.forEach((v, i) => expect(v).toBeCloseTo(theirC[String(i)], 9))
  })

  it('directed betweenness matches graphology-metrics', () => {
    const small = randomEdges(50, 200, 5)
    const b = column(run('BetweennessCentrality', snapshotOf(50, small)).all)
    const theirs = betweennessCentrality(graphologyOf(50, small), { normalized: false, getEdgeWeight: null })
    b.forEach((v, i) => expect(v).toBeCloseTo(theirs[String(i)], 9))
  })

  it('SSSP matches graphology-shortest-path dijkstra', () => {
    const weighted = edges.map(([s, d], i) => [s, d, 1 + ((i * 7) % 13)] as [number, number, number])
    const g = graphologyOf(n, weighted)
    const ours = new Map(run('SSSP', snapshotOf(n, weighted, true), { ROOT: '0' }).all as [number, number][])
    const paths = dijkstra.singleSource(g, '0', 'weight')
    expect(ours.size).toBe(Object.keys(paths).length)
    for (const [target, path] of Object.entries(paths)) {
      let d = 0
      for (let k = 1; k < path.length; k++) d += g.getEdgeAttribute(path[k - 1], path[k], 'weight') as number
      expect(ours.get(Number(target))).toBe(d)
    }
  })
})

describe('parameters', () => {
  it('every algorithm runs with its defaults (ids given where required)', () => {
    const s = snapshotOf(5, [[0, 1], [1, 2], [2, 0], [3, 4]])
    for (const name of ALGORITHM_NAMES) {
      const needs: Record<string, string> = { ROOT: '0', IDS1: '0', src: '0', dst: '2' }
      const params = Object.fromEntries(ALGORITHM_SPECS[name].params.filter((p) => p.default === undefined || name === 'ShortestPath').map((p) => [p.name, needs[p.name]]))
      const r = run(name, s, params)
      expect(r.columns.map((c) => c.name), name).toEqual(ALGORITHM_SPECS[name].columns(resolveParams(name, params)))
    }
  })

  it('refuses unknown names, bad values and unknown vertices, naming the parameter', () => {
    expect(() => resolveParams('PageRank', { DAMPING: 'x' })).toThrow(/DAMPING: must be a number/)
    expect(() => resolveParams('PageRank', { ITER: 3 })).toThrow(/ITER: PageRank has no such parameter/)
    expect(() => resolveParams('SSSP', {})).toThrow(/ROOT: is required/)
    expect(() => resolveParams('KCore', { TYPE: 'edges' })).toThrow(/TYPE: must be one of vertex, subgraph/)
    expect(() => run('SSSP', snapshotOf(2, [[0, 1]]), { ROOT: '9' })).toThrow(/ROOT: vertex "9" is not in the graph/)
  })
})
