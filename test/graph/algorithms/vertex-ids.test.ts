// Algorithms on a graph name vertices by their primary-key value (as NebulaGraph and GES do), in
// their output and in id parameters; `Label:pk` for every vertex when a value repeats across vertex
// labels, where a bare repeated value is refused as ambiguous. Write-back still reaches the right
// vertex. Run in-process on graph files in a temp dir, through the worker's own entry point.
import { afterEach, describe, expect, it } from 'vitest'
import { runAlgorithmInWorker, type AlgorithmEnd, type AlgorithmInput } from '../../../electron/graph/algorithms/algorithm-run'
import { resolveParams } from '../../../electron/graph/algorithms/params'
import { packedRows } from '../../../electron/graph/cypher/packed-rows'
import type { Stored } from '../../../electron/graph/store/values'
import type { AlgorithmName } from '../../../shared/algorithms'
import { tempDir } from '../../support/temp-store'
import { createGraphFile, graphFile } from '../../../electron/graph/store/catalog'
import { GraphDb } from '../../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../../electron/graph/store/schema'

const open: GraphDb[] = []
let graphs = 0
afterEach(() => {
  while (open.length) open.pop()!.close()
})

const vertexLabel = (label: string, keyType: string) => ({
  label,
  type: 'VERTEX',
  primary: 'id',
  properties: [
    { name: 'id', type: keyType },
    { name: 'score', type: 'DOUBLE', optional: true },
  ],
})

/** A graph with vertex labels {label: key type}, vertices [label, key] (added in this order: vids 0, 1, …) and `link` edges by [label, key] pairs. */
function graph(labels: Record<string, string>, vertices: [string, Stored][], edges: [[string, Stored], [string, Stored]][]): GraphDb {
  const schema = {
    schema: [...Object.entries(labels).map(([l, t]) => vertexLabel(l, t)), { label: 'link', type: 'EDGE', properties: [{ name: 'w', type: 'DOUBLE', optional: true }], constraints: [] }],
  }
  // a name of its own: the worker's snapshot cache is keyed by graph name
  const name = `g${++graphs}`
  const dir = tempDir()
  createGraphFile(dir, name)
  const g = GraphDb.open(name, graphFile(dir, name))
  g.addLabels(parseSchemaDescription(schema))
  open.push(g)
  const vid = new Map<string, number>()
  g.write((w) => {
    for (const [l, k] of vertices) vid.set(`${l}:${k}`, w.addVertex(g.vertexTable(l), [k, null])!)
    for (const [[sl, sk], [dl, dk]] of edges) w.addEdge(g.edgeTable('link'), vid.get(`${sl}:${sk}`)!, vid.get(`${dl}:${dk}`)!, 0, [1])
  })
  return g
}

interface Ran {
  end: AlgorithmEnd
  columns: { name: string; type: string }[]
  rows: unknown[][]
}

function run(g: GraphDb, algorithm: AlgorithmName, params: Record<string, unknown> = {}, writeBack?: string): Ran {
  const input: AlgorithmInput = { algorithm, params: resolveParams(algorithm, params), source: { kind: 'graph', graph: g.name }, weighted: false, ...(writeBack ? { writeBack: { property: writeBack } } : {}) }
  const out: Ran = { end: { outcome: 'cancelled' }, columns: [], rows: [] }
  out.end = runAlgorithmInWorker(input, {
    emit(e) {
      if (e.type === 'columns') out.columns = e.columns
      if (e.type === 'rows') out.rows.push(...packedRows(e.rows).slice(0, e.rows.ends.length))
    },
    stopped: () => false,
    openGraph: () => g,
  })
  return out
}

const errorOf = (r: Ran) => (r.end.outcome === 'failed' ? r.end.error : null)

describe('vertex ids of algorithms on a graph', () => {
  it('are the primary-key values, in the output and in ROOT (integers: an INT64 VID column)', () => {
    // vids 0..3; keys 101..104
    const g = graph({ person: 'INT64' }, [['person', 101], ['person', 102], ['person', 103], ['person', 104]], [
      [['person', 101], ['person', 102]],
      [['person', 103], ['person', 104]],
    ])
    const wcc = run(g, 'WCC')
    expect(wcc.columns).toEqual([{ name: 'VID', type: 'INT64' }, { name: 'LABEL', type: 'INT64' }])
    expect(wcc.rows).toEqual([[101, 101], [102, 101], [103, 103], [104, 103]])
    const sssp = run(g, 'SSSP', { ROOT: '101' })
    expect(sssp.rows).toEqual([[101, 0], [102, 1]])
    // a vid is not an id clients know
    expect(errorOf(run(g, 'SSSP', { ROOT: '0' }))?.message).toBe('ROOT: vertex "0" is not in the graph')
    // `Label:pk` names the same vertex
    expect(run(g, 'SSSP', { ROOT: 'person:103' }).rows).toEqual([[103, 0], [104, 1]])
    expect(errorOf(run(g, 'SSSP', { ROOT: 'city:103' }))?.message).toBe('ROOT: vertex "city:103" is not in the graph')
    const jaccard = run(g, 'Jaccard', { IDS1: '101', IDS2: '102,104' })
    expect(jaccard.rows.map((r) => r.slice(0, 2))).toEqual([[101, 102], [101, 104]])
  })

  it('are text for STRING keys (a GES import’s m1, m2, u1: a STRING VID column)', () => {
    const g = graph({ movie: 'STRING', user: 'STRING' }, [['movie', 'm1'], ['movie', 'm2'], ['user', 'u1']], [
      [['user', 'u1'], ['movie', 'm1']],
      [['user', 'u1'], ['movie', 'm2']],
    ])
    const pr = run(g, 'PageRank')
    expect(pr.columns[0]).toEqual({ name: 'VID', type: 'STRING' })
    expect(pr.rows.map((r) => r[0])).toEqual(['m1', 'm2', 'u1'])
    expect(run(g, 'BFS', { ROOT: 'u1' }).rows).toEqual([['u1', 'm1'], ['u1', 'm2']])
  })

  it('are text when key types differ across labels but no value repeats', () => {
    const g = graph({ person: 'INT64', city: 'STRING' }, [['person', 1], ['city', 'Paris']], [[['person', 1], ['city', 'Paris']]])
    const wcc = run(g, 'WCC')
    expect(wcc.columns[0]).toEqual({ name: 'VID', type: 'STRING' })
    expect(wcc.rows).toEqual([['1', '1'], ['Paris', '1']])
    expect(run(g, 'SSSP', { ROOT: '1' }).rows).toEqual([['1', 0], ['Paris', 1]])
  })

  it('are Label:pk for every vertex once a key value repeats across labels; a bare repeated key is refused as ambiguous', () => {
    // TuGraph allows Person.id=1 and City.id=1
    const g = graph({ Person: 'INT64', City: 'INT64' }, [['Person', 1], ['Person', 2], ['City', 1], ['City', 3]], [
      [['Person', 1], ['City', 1]],
      [['Person', 2], ['City', 3]],
    ])
    const wcc = run(g, 'WCC')
    expect(wcc.columns).toEqual([{ name: 'VID', type: 'STRING' }, { name: 'LABEL', type: 'STRING' }])
    expect(wcc.rows).toEqual([['Person:1', 'Person:1'], ['Person:2', 'Person:2'], ['City:1', 'Person:1'], ['City:3', 'Person:2']])
    const ambiguous = errorOf(run(g, 'SSSP', { ROOT: '1' }))
    expect(ambiguous).toMatchObject({ code: 'invalid_request', field: 'params.ROOT' })
    expect(ambiguous?.message).toBe('ROOT: vertex "1" is ambiguous in this graph: Person:1, City:1 have that primary key; write Label:key')
    expect(run(g, 'SSSP', { ROOT: 'City:1' }).rows).toEqual([['City:1', 0]])
    expect(run(g, 'SSSP', { ROOT: 'Person:1' }).rows).toEqual([['Person:1', 0], ['City:1', 1]])
    // a key only one vertex has is still taken bare
    expect(run(g, 'SSSP', { ROOT: '2' }).rows).toEqual([['Person:2', 0], ['City:3', 1]])
    expect(errorOf(run(g, 'Jaccard', { IDS1: '3,1' }))?.message).toMatch(/^IDS1: vertex "1" is ambiguous/)
  })

  // vids are never reused: a graph whose vertices were made and deleted for long (or a file whose
  // next_vid is large) has vids far past its vertex count. The snapshot indexed vertices by an
  // Int32Array(maxVid + 1): 8 GiB filled for a vid of 2^31 - 1, a RangeError for 2^53 (#9).
  it('takes vids of 2^31 - 1 and 2^53 without room by their size: ids, edges, write-back as for small vids', () => {
    const g = graph({ person: 'INT64' }, [['person', 101]], [])
    const big = [2 ** 31 - 1, 2 ** 53]
    for (const [i, vid] of big.entries()) {
      g.setMeta('next_vid', String(vid))
      g.write((w) => w.addVertex(g.vertexTable('person'), [102 + i, null]))
    }
    expect(g.vidByPrimary('person', 102)).toBe(2 ** 31 - 1)
    expect(g.vidByPrimary('person', 103)).toBe(2 ** 53)
    g.write((w) => {
      w.addEdge(g.edgeTable('link'), 0, 2 ** 31 - 1, 0, [1])
      w.addEdge(g.edgeTable('link'), 2 ** 31 - 1, 2 ** 53, 0, [1])
    })
    const buffersBefore = process.memoryUsage().arrayBuffers
    const started = performance.now()
    const sssp = run(g, 'SSSP', { ROOT: '101' }, 'score')
    const ms = performance.now() - started
    expect(sssp.end, JSON.stringify(sssp.end)).toMatchObject({ outcome: 'succeeded', summary: { writtenBack: { property: 'score', vertices: 3, skipped: 0 } } })
    expect(sssp.rows).toEqual([[101, 0], [102, 1], [103, 2]])
    expect(run(g, 'WCC').rows).toEqual([[101, 101], [102, 101], [103, 101]])
    expect(g.vertex(2 ** 53)?.properties.score).toBe(2)
    // three vertices: kilobytes, in milliseconds (a 2^31 slot array alone is 8 GiB and seconds to fill)
    expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(64 * 1024 * 1024)
    expect(ms).toBeLessThan(1000)
  })

  it('write-back puts each value into the vertex the row names (keys unlike vids, and Label:pk)', () => {
    const g = graph({ Person: 'INT64', City: 'INT64' }, [['Person', 7], ['Person', 1], ['City', 1]], [
      [['Person', 7], ['City', 1]],
      [['City', 1], ['Person', 1]],
    ])
    const sssp = run(g, 'SSSP', { ROOT: 'Person:7' }, 'score')
    expect(sssp.end).toMatchObject({ outcome: 'succeeded', summary: { writtenBack: { property: 'score', vertices: 3, skipped: 0 } } })
    expect(sssp.rows).toEqual([['Person:7', 0], ['City:1', 1], ['Person:1', 2]])
    const score = (label: string, key: number) => g.vertex(g.vidByPrimary(label, key)!)?.properties.score
    expect([score('Person', 7), score('City', 1), score('Person', 1)]).toEqual([0, 1, 2])
  })
})
