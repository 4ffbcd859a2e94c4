// Cypher that writes a graph's data (DELETE, CREATE, SET, MERGE) keeps the rule schema changes
// keep (#9): while an import is writing into the graph it is refused with graph_busy and the same
// text, in the native envelope (409) and TuGraph's ("400"); reads go on. Once the import has ended
// the same statements run.
import { beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { expectError, tugraphAppSuite, type TuGraphClient } from '../tugraph/support'
import { makePlainGraph, nativeCypher, startLongImport } from './support'

let t: TestApp
let tg: TuGraphClient
const suite = tugraphAppSuite()
beforeAll(() => ({ t, tg } = suite))

const cypher = (graph: string, script: string) => nativeCypher(t, graph, script)
/** The refusal's words, naming the import job that holds the graph. */
const BUSY = (job: number) => `Graph [busy] has an import queued or running (job ${job}); cancel it or wait before changing its labels, indexes or data`
// and the write procedures, which have no write clause (atk20: they answered 200 during the import)
const WRITES = [
  'MATCH (n) DELETE n',
  "CREATE (:plain {id: 'x', name: 'X'})",
  "MATCH (n:plain) SET n.name = 'y'",
  "MERGE (n:plain {id: 'z', name: 'Z'})",
  "CALL db.upsertVertex('plain', [{id: 'u', name: 'U'}])",
  "call db.upsertVertex('plain', [{id: 'v', name: 'V'}]) YIELD insert RETURN insert",
]

describe('data writes while an import writes into the graph', () => {
  it('are refused like schema changes, reads go on, and the writes run once the import has ended', async () => {
    await makePlainGraph(t, 'busy')
    const started = await startLongImport(t, 'busy')

    for (const script of WRITES) {
      const refused = await cypher('busy', script)
      expect(refused.status, script).toBe(409)
      expect(refused.body.error, script).toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY(started.jobId) })
      expectError(await tg.post('cypher', { graph: 'busy', script }), '400', BUSY(started.jobId))
    }
    // the same words as a schema change there
    expect((await cypher('busy', "CALL db.alterLabelDelFields('vertex', 'plain', ['name'])")).body.error.message).toBe(BUSY(started.jobId))
    // a malformed write answers its syntax error, as on a graph no import holds, in both envelopes (it answered graph_busy)
    await makePlainGraph(t, 'free')
    for (const script of ['CREATE (n:X {', "CALL db.upsertVertex('plain', [{id: 'u'}]", "MATCH (n:plain) SET n.name = 'y' RETURN ,"]) {
      const native = await cypher('busy', script)
      expect(native.status, script).toBe(400)
      expect(native.body.error, script).toMatchObject({ code: 'cypher_syntax' })
      expect(native.body, script).toEqual((await cypher('free', script)).body)
      const tugraph = await tg.post('cypher', { graph: 'busy', script })
      expectError(tugraph, '400')
      expect(tugraph.body, script).toEqual((await tg.post('cypher', { graph: 'free', script })).body)
    }
    const read = await cypher('busy', 'MATCH (n:plain) RETURN count(n) AS n')
    expect(read.status).toBe(200)
    expect(typeof read.body.rows[0][0]).toBe('number')
    expect((await tg.post('cypher', { graph: 'busy', script: 'MATCH (n:plain) RETURN n.id LIMIT 1' })).body.errorCode).toBe('200')
    // the refusals above came while the import was still writing (else they proved nothing)
    expect((await t.call('GET', `/api/v1/imports/${started.taskId}`)).body.status).toBe('running')

    expect((await t.call('POST', `/api/v1/jobs/${started.jobId}/cancel`, {})).status).toBeLessThan(300)
    await waitForStatus(t, started.jobId, ENDED_STATUSES, 120_000)
    // one vertex each: the import committed too many for a whole-graph DELETE in one statement
    const after = ["MATCH (n:plain {id: 'v0'}) DELETE n", "CREATE (:plain {id: 'x', name: 'X'})", "MATCH (n:plain {id: 'x'}) SET n.name = 'y'", "MERGE (n:plain {id: 'z', name: 'Z'})"]
    for (const script of after) expect((await cypher('busy', script)).status, script).toBe(200)
  }, 300_000)
})
