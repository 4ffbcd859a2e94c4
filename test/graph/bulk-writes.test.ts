// Bulk writes (imports) and single-row writes (every other writer) must give a graph the same
// numbers: the same vids, the same eids, the same refusals. Bulk writes go in multi-row INSERTs
// and redo a batch the single-row way when it meets a conflict; these tests give them thousands
// of rows (several batches) with duplicates everywhere, and compare both graphs row for row.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { sortByKey } from '../../electron/graph/store/row-order'
import type { Stored } from '../../electron/graph/store/values'
import { tempDir } from '../support/temp-store'
import { tempGraph } from './support'

let dir = ''
const open: GraphDb[] = []
afterEach(() => {
  for (const g of open.splice(0)) g.close()
  rmSync(dir, { recursive: true, force: true })
})

const schema = {
  schema: [
    { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'email', type: 'STRING', index: true, unique: true }] },
    { label: 'knows', type: 'EDGE', properties: [{ name: 'w', type: 'INT32', optional: true }] },
    { label: 'pays', type: 'EDGE', properties: [{ name: 'at', type: 'INT64' }, { name: 'k', type: 'INT32', index: true, pair_unique: true }], temporal: 'at' },
  ],
}

/** A deterministic pseudo-random integer in [0, n). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

function twoGraphs(): [GraphDb, GraphDb] {
  dir = tempDir()
  const a = tempGraph(join(dir, 'a'), schema)
  const b = tempGraph(join(dir, 'b'), schema)
  open.push(a, b)
  return [a, b]
}

const dump = (g: GraphDb, sql: string) => g.db.prepare(sql).raw().all() as unknown[][]

it('adds thousands of vertices with duplicate keys and unique values exactly as one by one', () => {
  const [single, bulk] = twoGraphs()
  const rand = random(7)
  const n = 4000
  // Distinct keys but for a few repeats and keys already there (most batches go in whole, some not),
  // then a stretch of repeats (every batch of it meets a conflict)
  const ids: Stored[] = Array.from({ length: n }, (_, i) => (i < 3000 ? 7 * i + 1 : 20000 + rand(300)))
  ids[10] = ids[2000]
  ids[2500] = 77
  const emails: Stored[] = Array.from({ length: n }, (_, i) => `m${i}`)
  emails[1500] = 'm40' // a unique value again
  for (const g of [single, bulk]) g.write((w) => [8, 2101, 15000].forEach((id) => w.addVertex(g.vertexTable('person'), [id, `first${id}`]))) // keys already there
  const order = sortByKey(Uint32Array.from(ids.keys()), ids) // primary-key order, file order among equals, as imports add them

  const refusedOne: number[] = []
  single.write((w) => {
    for (const row of order) if (w.addVertex(single.vertexTable('person'), [ids[row], emails[row]]) === null) refusedOne.push(row)
  })
  const refusedBulk: number[] = []
  const added = bulk.write((w) => w.addVertices(bulk.vertexTable('person'), [ids, emails], order, (row) => refusedBulk.push(row)))

  expect(refusedBulk).toEqual(refusedOne)
  expect(refusedOne.length).toBeGreaterThan(500)
  expect(added).toBe(n - refusedOne.length)
  for (const sql of ['SELECT * FROM v_0 ORDER BY vid', 'SELECT * FROM vertices ORDER BY vid', "SELECT value FROM meta WHERE key = 'next_vid'", 'SELECT kind, id, count FROM labels']) {
    expect(dump(bulk, sql)).toEqual(dump(single, sql))
  }
})

it('adds thousands of edges with repeated endpoints, temporal ids and pair-unique values exactly as one by one', () => {
  const [single, bulk] = twoGraphs()
  const rand = random(11)
  const vertices = 40
  for (const g of [single, bulk]) {
    g.write((w) => {
      for (let i = 0; i < vertices; i++) w.addVertex(g.vertexTable('person'), [i, `e${i}`])
      w.addEdge(g.edgeTable('knows'), 1, 2, 0, [null]) // eids already taken: the import's continue after them
      w.addEdge(g.edgeTable('pays'), 3, 4, 1, [1, 5])
    })
  }
  const n = 4000
  const src = Float64Array.from({ length: n }, () => rand(vertices))
  const dst = Float64Array.from({ length: n }, () => rand(vertices))
  const w: Stored[] = Array.from({ length: n }, () => (rand(3) === 0 ? null : rand(100)))
  const at: Stored[] = Array.from({ length: n }, () => rand(3))
  const k: Stored[] = Array.from({ length: n }, () => rand(50)) // repeats per (src, dst): refused
  const rows = Uint32Array.from({ length: n }, (_, i) => i)
  // the order bulk writes number eids in: (src, tid, dst), file order among equals
  const keyOrder = (tid: Stored[] | null) => {
    const order = rows.slice()
    sortByKey(order, dst)
    if (tid) sortByKey(order, tid)
    return sortByKey(order, src)
  }

  for (const [label, columns, tid] of [
    ['knows', [w], null],
    ['pays', [at, k], at],
  ] as const) {
    const refusedOne: number[] = []
    single.write((wr) => {
      for (const row of keyOrder(tid)) {
        try {
          wr.addEdge(single.edgeTable(label), src[row], dst[row], (tid?.[row] as number) ?? 0, columns.map((c) => c[row]))
        } catch (e) {
          if ((e as { code?: string }).code !== 'index_conflict') throw e
          refusedOne.push(row)
        }
      }
    })
    const refusedBulk: number[] = []
    const added = bulk.write((wr) =>
      wr.addEdges(bulk.edgeTable(label), { src, dst, tid: tid as (number | bigint)[] | null, columns: [...columns], rows }, (row) => refusedBulk.push(row)),
    )
    expect(refusedBulk).toEqual(refusedOne)
    expect(added).toBe(n - refusedOne.length)
    if (label === 'pays') expect(refusedOne.length).toBeGreaterThan(500)
    const tbl = bulk.edgeTable(label).label.tbl
    for (const sql of [`SELECT * FROM e_${tbl} ORDER BY src, tid, dst, eid`, `SELECT * FROM e_${tbl}_in ORDER BY dst, tid, src, eid`]) {
      expect(dump(bulk, sql)).toEqual(dump(single, sql))
    }
    expect(dump(bulk, `SELECT max(eid) FROM e_${tbl}`)[0][0]).toBeGreaterThan(3) // repeated (src, dst) pairs numbered on
  }
  expect(dump(bulk, 'SELECT kind, id, count FROM labels')).toEqual(dump(single, 'SELECT kind, id, count FROM labels'))
})
