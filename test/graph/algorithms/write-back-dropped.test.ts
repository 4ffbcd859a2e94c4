// An algorithm's write-back goes only into the graph file it read (#9 §3): a graph dropped and made
// anew under the same name while the algorithm ran (someone else's now, whose rights the job never
// had) is not written into; the run fails saying so. Run in-process through the worker's entry point;
// the drop happens between the result rows and the write-back. A graph made anew is not read from
// the cached snapshot of the dropped one.
import { afterEach, describe, expect, it } from 'vitest'
import { runAlgorithmInWorker, type AlgorithmInput } from '../../../electron/graph/algorithms/algorithm-run'
import { resolveParams } from '../../../electron/graph/algorithms/params'
import { createGraphFile, dropGraphFiles, graphFile } from '../../../electron/graph/store/catalog'
import { GraphDb } from '../../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../../electron/graph/store/schema'
import { tempDir } from '../../support/temp-store'

const open: GraphDb[] = []
afterEach(() => {
  while (open.length) open.pop()!.close()
})

const SCHEMA = parseSchemaDescription({
  schema: [
    { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'rank', type: 'DOUBLE', optional: true }] },
    { label: 'knows', type: 'EDGE', properties: [], constraints: [['person', 'person']] },
  ],
})

function person3(dir: string, name: string): GraphDb {
  createGraphFile(dir, name)
  const g = GraphDb.open(name, graphFile(dir, name))
  open.push(g)
  g.addLabels(SCHEMA)
  g.write((w) => {
    const v = [1, 2, 3].map((id) => w.addVertex(g.vertexTable('person'), [id, null])!)
    w.addEdge(g.edgeTable('knows'), v[0], v[1], 0, [])
    w.addEdge(g.edgeTable('knows'), v[1], v[2], 0, [])
  })
  return g
}

describe('write-back', () => {
  const input = (graph: string): AlgorithmInput => ({ algorithm: 'PageRank', params: resolveParams('PageRank', {}), source: { kind: 'graph', graph }, weighted: false, writeBack: { property: 'rank' } })

  it('writes into the graph it read', () => {
    const dir = tempDir()
    const g = person3(dir, 'kept')
    const end = runAlgorithmInWorker(input('kept'), { emit: () => undefined, stopped: () => false, openGraph: () => g })
    expect(end.outcome).toBe('succeeded')
    expect(end.outcome === 'succeeded' && end.summary.writtenBack?.vertices).toBe(3)
  })

  it('reads the graph made anew, not the cached snapshot of the dropped graph of that name', () => {
    const dir = tempDir()
    // as the algorithm worker sees graphs: a connection of its own, opened after the data was written
    const fresh = (build: () => GraphDb): GraphDb => {
      build().close()
      open.pop()
      const g = GraphDb.open('renewed', graphFile(dir, 'renewed'))
      open.push(g)
      return g
    }
    const g = fresh(() => person3(dir, 'renewed'))
    const first = runAlgorithmInWorker({ ...input('renewed'), writeBack: undefined }, { emit: () => undefined, stopped: () => false, openGraph: () => g })
    expect(first.outcome === 'succeeded' && first.summary.vertices).toBe(3)
    g.close()
    open.pop()
    dropGraphFiles(dir, 'renewed')
    const again = fresh(() => {
      createGraphFile(dir, 'renewed')
      const w = GraphDb.open('renewed', graphFile(dir, 'renewed'))
      open.push(w)
      w.addLabels(SCHEMA)
      w.write((tx) => {
        const v = [7, 8].map((id) => tx.addVertex(w.vertexTable('person'), [id, null])!)
        tx.addEdge(w.edgeTable('knows'), v[0], v[1], 0, [])
        tx.addEdge(w.edgeTable('knows'), v[1], v[0], 0, [])
      })
      return w
    })
    const second = runAlgorithmInWorker({ ...input('renewed'), writeBack: undefined }, { emit: () => undefined, stopped: () => false, openGraph: () => again })
    expect(second.outcome === 'succeeded' && second.summary.vertices).toBe(2) // 3: the dropped graph's cached snapshot
  })

  it('is refused when the graph was dropped and made anew while the algorithm ran', () => {
    const dir = tempDir()
    let g = person3(dir, 'team')
    const end = runAlgorithmInWorker(input('team'), {
      emit(e) {
        if (e.type !== 'columns') return
        g.close()
        open.pop()
        dropGraphFiles(dir, 'team')
        g = person3(dir, 'team') // the new graph of that name: vids 0..2 again, other data
      },
      stopped: () => false,
      openGraph: () => g,
    })
    expect(end.outcome).toBe('failed')
    expect(end.outcome === 'failed' && end.error.message).toBe('Graph [team] was dropped while PageRank ran: nothing was written back.')
    expect(g.db.prepare('SELECT count(*) FROM vertices').pluck().get()).toBe(3)
    const ranks = g.db.prepare(`SELECT * FROM ${'v_0'}`).all() as Record<string, unknown>[]
    expect(ranks.every((r) => Object.values(r).includes(null))).toBe(true) // no rank written
  })
})
