// Attack (#9 atk2, write-back adding a property of 22ae55bd): every graph write a client can make
// keeps the data folder's disk reserve (graph-room.ts, atk16): Cypher writes, schema calls and each
// import package are refused once the disk is down to it. An algorithm's write-back was checked only
// at its submit (app.ts admit: new jobs), not when it wrote, which may be long after: with the disk
// at its reserve by then it added the property (rebuilding the label's table, a copy of its rows)
// and wrote a value per vertex. Now refused when it writes, disk_nearly_full, nothing added.
// Run in-process through the worker's entry point with the room check the graph worker gives it.
import { expect, it } from 'vitest'
import { runAlgorithmInWorker } from '../../../electron/graph/algorithms/algorithm-run'
import { resolveParams } from '../../../electron/graph/algorithms/params'
import { graphWriteRefusal } from '../../../electron/graph/graph-room'
import { atDiskReserve } from '../../support/disk-reserve'
import { tempDir } from '../../support/temp-store'
import { tempGraph } from '../support'

it('MEDIUM: a write-back when the disk is down to its reserve fails disk_nearly_full, adding nothing; with room it writes', async () => {
  const dir = tempDir()
  const g = tempGraph(dir, {
    schema: [
      { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] },
      { label: 'knows', type: 'EDGE', properties: [], constraints: [['person', 'person']] },
    ],
  })
  try {
    g.write((w) => {
      const v = [1, 2, 3].map((id) => w.addVertex(g.vertexTable('person'), [id])!)
      w.addEdge(g.edgeTable('knows'), v[0], v[1], 0, [])
    })
    const run = () =>
      runAlgorithmInWorker(
        { algorithm: 'PageRank', params: resolveParams('PageRank', {}), source: { kind: 'graph', graph: 'g' }, weighted: false, writeBack: { property: 'rank' } },
        { emit: () => undefined, stopped: () => false, openGraph: () => g, room: () => graphWriteRefusal(dir) },
      )
    const full = await atDiskReserve(dir, async () => run())
    expect(full.outcome === 'failed' ? full.error.code : full.outcome).toBe('disk_nearly_full')
    expect(g.labels().find((l) => l.name === 'person')!.def.properties.map((p) => p.name)).toEqual(['id'])
    const room = run()
    expect(room.outcome === 'succeeded' && room.summary.writtenBack?.vertices).toBe(3)
  } finally {
    g.close()
  }
})
