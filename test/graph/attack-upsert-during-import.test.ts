// Attack on #9 (graph_busy for data writes): while an import is writing into a graph, Cypher that
// writes its data is refused with 409 graph_busy (busy-graph-writes.test.ts covers CREATE, SET,
// MERGE, DELETE). Measured: the write procedures db.upsertVertex / db.upsertEdge write the same label
// tables the import is writing, yet execute.ts refuses only statements with a write *clause*
// (dataWrites) and upsertVertex never calls refuseWhileImporting, so the CALL runs (200, insert 1)
// in the middle of the import, in the native API and the TuGraph dialect alike. Lower-case,
// PROFILE-prefixed and comment-hidden write clauses are checked here too (they were refused when this was written).
// Also measured: POST /api/v1/graphs/:graph/schema with a new label during the import (Cypher's
// db.createVertexLabel is refused there) is never graph_busy: of 10 calls in a row, 8 then 1 of 10
// answered 500 worker_failed "database is locked" (SQLite busy leaking as a server error), the rest
// 200 (the label made while the import writes). Load average 1.8 on 2 cores.
// Held since: the schema import is refused by GraphHost.request like every request that changes a
// graph (protocol.ts REFUSED_WHILE_IMPORTING), and schema changes take the write lock before they
// read (BEGIN IMMEDIATE), so none meets "database is locked" (schema-lock-wait.test.ts).
import { beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { tugraphAppSuite, type TuGraphClient } from '../tugraph/support'
import { makePlainGraph, nativeCypher, startLongImport } from './support'

let t: TestApp
let tg: TuGraphClient
const suite = tugraphAppSuite()
beforeAll(() => ({ t, tg } = suite))

/** The refusal's words, naming the import job that holds the graph. */
const BUSY = (job: number) => `Graph [busy] has an import queued or running (job ${job}); cancel it or wait before changing its labels, indexes or data`

describe('write procedures and disguised write clauses while an import writes into the graph', () => {
  it('are refused with graph_busy like CREATE/SET/MERGE/DELETE', async () => {
    await makePlainGraph(t, 'busy')
    const started = await startLongImport(t, 'busy')
    const scripts = [
      "create (:plain {id: 'lc', name: 'LC'})",
      "/* MATCH */ CREATE (:plain {id: 'cm', name: 'CM'})",
      "MATCH (n:plain {id: 'v0'}) // comment\n detach delete n",
      "PROFILE CREATE (:plain {id: 'pf', name: 'PF'})",
      "CALL db.upsertVertex('plain', [{id: 'up1', name: 'UP'}])",
      "call db.upsertVertex('plain', [{id: 'up2', name: 'UP'}]) YIELD insert RETURN insert",
    ]
    const answers: Record<string, unknown> = {}
    for (const script of scripts) {
      const native = await nativeCypher(t, 'busy', script)
      const dialect = await tg.post('cypher', { graph: 'busy', script: script.replace('up1', 'tg1').replace('up2', 'tg2') })
      answers[script] = { native: native.status, nativeCode: native.body.error?.code, tugraph: dialect.body.errorCode, tugraphMessage: dialect.body.errorMessage }
    }
    // a new label through the native schema import, where Cypher's db.createVertexLabel is refused
    const schemaAnswers: unknown[] = []
    for (let i = 0; i < 10; i++) {
      const extra = { schema: [{ label: `extra${i}`, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] }] }
      const schema = await t.call('POST', '/api/v1/graphs/busy/schema', extra)
      schemaAnswers.push({ native: schema.status, nativeCode: schema.body.error?.code, message: schema.body.error?.message })
    }
    // the answers came while the import was still writing (else they proved nothing)
    expect((await t.call('GET', `/api/v1/imports/${started.taskId}`)).body.status).toBe('running')
    expect((await t.call('POST', `/api/v1/jobs/${started.jobId}/cancel`, {})).status).toBeLessThan(300)
    await waitForStatus(t, started.jobId, ENDED_STATUSES, 120_000)
    for (const script of scripts) expect(answers[script], script).toEqual({ native: 409, nativeCode: 'graph_busy', tugraph: '400', tugraphMessage: BUSY(started.jobId) })
    for (const a of schemaAnswers) expect(a, 'POST /api/v1/graphs/busy/schema').toMatchObject({ native: 409, nativeCode: 'graph_busy' })
  }, 300_000)
})
