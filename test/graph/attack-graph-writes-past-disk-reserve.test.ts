// Attack (#9 §3, atk16, graph side): the disk reserve (disk-reserve.ts) refuses new jobs and uploads
// once the data folder's disk has less than 512 MiB free, so that SQLite can still commit everyone's
// sign-ins, submits and job ends. Graph writes pass it: a plain user who owns a graph (graphs.create
// `owner`) writes into her graph's file with Cypher (POST /api/v1/graphs/:graph/cypher, not a job)
// and schema calls, past the reserve, and no per-user quota counts a graph's bytes either (graph.maxSizeGb
// is stored, never enforced). Measured here with the reserve set above the disk's free space: her
// CREATE of 8 vertices of 1 MiB strings answered 200 and her graph grew 8,630,608 bytes; each such
// statement may hold 256 MiB of values, and she may send them one after another until the disk is
// full, when no one's job or sign-in commits any more. Root cause: assertDiskRoom guards only job
// submits and upload chunks. This test FAILS until graph writes past the reserve are refused with a
// 503 disk_nearly_full naming the reserve, and the graph's file does not grow.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import { atDiskReserve } from '../support/disk-reserve'
import { createOwnedGraph } from '../support/graph-setup'

const suite = appSuite('mallory')

/** The graph's file and its WAL, in bytes. */
const graphBytes = (dir: string, graph: string): number =>
  [`${graph}.db`, `${graph}.db-wal`].reduce((n, f) => n + (statSync(join(dir, 'graphs', f), { throwIfNoEntry: false })?.size ?? 0), 0)

describe('attack: graph writes past the disk reserve', () => {
  it('a graph owner’s Cypher writes and schema calls are refused 503 disk_nearly_full and her graph does not grow', async () => {
    const { t, users } = suite
    const { mallory } = users
    // made by the admin while the disk had room: her graph with a label
    await createOwnedGraph(t, 'hers', 'mallory')
    const schema = [{ label: 'Blob', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 's', type: 'STRING', optional: true }] }]
    expect((await t.call('POST', '/api/v1/graphs/hers/schema', { schema })).status).toBe(200)
    const before = graphBytes(t.dir, 'hers')
    await atDiskReserve(t.dir, async () => {
      const write = await mallory.call('POST', '/api/v1/graphs/hers/cypher', {
        script: "UNWIND range(1, 8) AS i CREATE (:Blob {id: i, s: reduce(s = 'x', k IN range(1, 20) | s + s)})",
      })
      const more = await mallory.call('POST', '/api/v1/graphs/hers/schema', {
        schema: [{ label: 'More', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }],
      })
      const grown = graphBytes(t.dir, 'hers') - before
      const seen = `Cypher write: ${write.status} ${JSON.stringify(write.body).slice(0, 160)}; schema call: ${more.status}; her graph grew ${grown} bytes`
      // measured: 200 and 200, the graph 8,630,608 bytes larger
      expect(write.status, seen).toBe(503)
      expect((write.body as any).error, seen).toMatchObject({ code: 'disk_nearly_full' })
      expect(more.status, seen).toBe(503)
      expect(grown, seen).toBeLessThan(1024 * 1024)
    })
  })
})
