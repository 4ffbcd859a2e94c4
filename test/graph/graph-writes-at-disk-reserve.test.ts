// Every graph write a client can make keeps the data folder's disk reserve (graph-room.ts, #9 §3,
// atk16): with less free than the reserve, Cypher statements that may grow a graph (write clauses,
// write procedures, dbms.graph.createGraph), schema calls, graph creation and imports are refused
// 503 disk_nearly_full in each dialect's envelope and store nothing; reads are answered, and a
// DELETE still runs (it frees room). Once the disk has room again the same writes run.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { atDiskReserve } from '../support/disk-reserve'
import { gesToken } from '../ges/support'
import { expectError, expectOk, tugraphAppSuite, type TuGraphClient } from '../tugraph/support'
import { makePlainGraph, nativeCypher, upload } from './support'

let t: TestApp
let tg: TuGraphClient
let token: string
const suite = tugraphAppSuite()
beforeAll(() => ({ t, tg } = suite))
beforeAll(async () => {
  token = await gesToken(t.url)
  await makePlainGraph(t, 'g')
  expect((await nativeCypher(t, 'g', "CREATE (:plain {id: 'a', name: 'A'}), (:plain {id: 'b', name: 'B'})")).status).toBe(200)
  upload(t.dir, 'few.csv', 'c,C\nd,D\n')
}, 120_000)

/** What the refusal says, whoever asks: the reserve and what it refuses. */
const REFUSAL = /less than the .* JobDesk keeps in reserve: graph writes \(Cypher writes, schema changes, imports, new graphs\) are refused until an admin frees space/

/** Runs `fn` with the reserve set above any test disk's free space, then sets it back. */
const atReserve = (fn: () => Promise<void>): Promise<void> => atDiskReserve(t.dir, fn)

/** The plain vertices of graph g as `id:name`, and its labels: what a refused write must leave as it was. */
async function contents(): Promise<{ rows: string[]; labels: string[]; graphs: string[] }> {
  const read = await nativeCypher(t, 'g', "MATCH (n:plain) RETURN n.id + ':' + n.name AS v ORDER BY v")
  expect(read.status).toBe(200)
  const graphs = await t.call('GET', '/api/v1/graphs')
  expect(graphs.status).toBe(200)
  const g = (graphs.body as { name: string; labels: { name: string }[] }[]).find((x) => x.name === 'g')!
  return { rows: read.body.rows.map((r: string[]) => r[0]), labels: g.labels.map((l) => l.name).sort(), graphs: graphs.body.map((x: { name: string }) => x.name).sort() }
}

// each may add to the graph or the data folder: a write clause, a write procedure, a new graph
const WRITES = [
  "CREATE (:plain {id: 'x', name: 'X'})",
  "MATCH (n:plain {id: 'a'}) SET n.name = 'changed'",
  "MERGE (n:plain {id: 'z', name: 'Z'})",
  "UNWIND range(1, 3) AS i CREATE (:plain {id: toString(i), name: 'n'})",
  "CALL db.upsertVertex('plain', [{id: 'u', name: 'U'}])",
  "CALL db.createVertexLabel('more', 'id', 'id', 'INT64', false)",
  "CALL db.alterLabelAddFields('vertex', 'plain', ['extra', 'STRING', '', true])",
  "CALL dbms.graph.createGraph('other', 'by Cypher', 1)",
]

describe('graph writes when the disk is down to its reserve', () => {
  it('native API: every write path answers 503 disk_nearly_full and stores nothing; reads are answered; a DELETE runs', async () => {
    const before = await contents()
    await atReserve(async () => {
      for (const script of WRITES) {
        const r = await nativeCypher(t, 'g', script)
        expect(r.status, script).toBe(503)
        expect(r.body.error, script).toMatchObject({ kind: 'unavailable', code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) })
      }
      const schema = await t.call('POST', '/api/v1/graphs/g/schema', { schema: [{ label: 'More', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] })
      const create = await t.call('POST', '/api/v1/graphs', { graph: 'fresh' })
      const imported = await t.call('POST', '/api/v1/imports', { graph: 'g', files: [{ path: 'few.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] })
      for (const [what, r] of [['schema', schema], ['create', create], ['import', imported]] as const) {
        expect(r.status, what).toBe(503)
        expect(r.body.error, what).toMatchObject({ code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) })
      }
      // reads go on, at the reserve
      expect(await contents()).toEqual(before)
      expect((await t.call('GET', '/api/v1/graphs/g')).status).toBe(200)
      // and a DELETE frees room rather than taking it
      expect((await nativeCypher(t, 'g', "MATCH (n:plain {id: 'b'}) DELETE n")).status).toBe(200)
    })
    const after = await contents()
    expect(after.rows).toEqual(['a:A'])
    expect(after.labels).toEqual(before.labels)
    expect(after.graphs).toEqual(before.graphs)
    // with room again, the same writes run
    expect((await nativeCypher(t, 'g', "CREATE (:plain {id: 'b', name: 'B'})")).status).toBe(200)
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'fresh' })).status).toBe(201)
  }, 120_000)

  it('TuGraph: cypher writes and import_schema answer errorCode "400" naming the reserve; a read answers "200"', async () => {
    const before = await contents()
    await atReserve(async () => {
      expectError(await tg.post('cypher', { graph: 'g', script: "CREATE (:plain {id: 'y', name: 'Y'})" }), '400', REFUSAL)
      expectError(await tg.post('cypher', { graph: 'g', script: "CALL db.upsertVertex('plain', [{id: 'u', name: 'U'}])" }), '400', REFUSAL)
      const schema = { schema: [{ label: 'Other', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] }
      expectError(await tg.post('import_schema', { graph: 'g', description: schema }), '400', REFUSAL)
      const read = expectOk(await tg.post('cypher', { graph: 'g', script: 'MATCH (n:plain) RETURN count(n) AS n' }))
      expect(read.result).toEqual([{ n: before.rows.length }])
    })
    expect(await contents()).toEqual(before)
  }, 120_000)

  it('GES: import-graph answers 503 with its error_code naming the reserve; the job list is answered', async () => {
    await atReserve(async () => {
      const res = await fetch(`${t.url}/v2/p1/graphs/g/import-graph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ schema_path: 'ges/schema.xml', vertexset_path: 'ges/v.csv' }),
      })
      const body = (await res.json()) as { error_code: string; error_msg: string }
      expect(res.status, JSON.stringify(body)).toBe(503)
      expect(body.error_code).toBe('GES.8000')
      expect(body.error_msg).toMatch(/JobDesk keeps in reserve/)
      const jobs = await fetch(`${t.url}/v2/p1/graphs/jobs`, { headers: { 'x-auth-token': token } })
      expect(jobs.status).toBe(200)
    })
  }, 120_000)
})
