// Cypher procedures that drop a graph or change its labels keep the native drop's rule (#9 §1): while
// an import into the graph is queued or running they are refused with graph_busy, in the native
// envelope (409) and TuGraph's ("400" with the same text), after the statement's own errors (a function
// unknown, the query's own graph dropped); a checkpoint (db.flushDB) and reads go on.
// Once the import has ended they work. And an import whose graph file is removed under it (behind
// the app's back, or in the moment between the busy check and a drop) fails naming that, instead
// of reporting rows imported into a graph that is gone.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropGraphFiles } from '../../electron/graph/store/catalog'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { expectError, tugraphAppSuite, type TuGraphClient } from '../tugraph/support'
import { ADMIN, makePlainGraph, nativeCypher, upload } from './support'

let t: TestApp
let tg: TuGraphClient

// one task at a time: a sleeping script holds the slot, so an import waits queued as long as needed
const suite = tugraphAppSuite({ concurrency: 1 })
beforeAll(() => ({ t, tg } = suite))

const cypher = (graph: string, script: string) => nativeCypher(t, graph, script)
const makeGraph = (graph: string) => makePlainGraph(t, graph)

describe('procedures that drop or change a graph while an import into it is queued', () => {
  it('are refused like the native drop, and work once the import has ended', async () => {
    await makeGraph('busy')
    upload(t.dir, 'few.csv', 'a,Ann\nb,Bob\n')
    const sleeper = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 120' })
    expect(sleeper.status).toBe(201)
    await waitForStatus(t, sleeper.body.id, ['running'], 30_000)
    const started = await t.call('POST', '/api/v1/imports', { graph: 'busy', files: [{ path: 'few.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    expect((await t.call('GET', `/api/v1/jobs/${started.body.jobId}`)).body.status).toBe('queued')

    const busy = new RegExp(`^Graph \\[busy\\] has an import queued or running \\(job ${started.body.jobId}\\); cancel it or wait before`)
    const native = await t.call('POST', '/api/v1/graphs/busy/drop', {})
    expect(native.status).toBe(409)
    expect(native.body.error).toMatchObject({ code: 'graph_busy', message: `Graph [busy] has an import queued or running (job ${started.body.jobId}); cancel it or wait before dropping the graph` })
    const deleted = await cypher('default', "CALL dbms.graph.deleteGraph('busy')")
    expect(deleted.status).toBe(409)
    expect(deleted.body.error).toEqual(native.body.error)
    expectError(await tg.post('cypher', { graph: 'default', script: "CALL dbms.graph.deleteGraph('busy')" }), '400', new RegExp(`^Graph \\[busy\\] has an import queued or running \\(job ${started.body.jobId}\\); cancel it or wait before dropping the graph$`))
    for (const script of ['CALL db.dropDB()', "CALL db.deleteLabel('vertex', 'plain')", "CALL db.alterLabelDelFields('vertex', 'plain', ['name'])", "CALL db.addIndex('plain', 'name', false)"]) {
      const refused = await cypher('busy', script)
      expect(refused.status, script).toBe(409)
      expect(refused.body.error.message, script).toMatch(busy)
    }
    // a statement's own error (found as it is planned) comes before the refusal, in each envelope
    const unplanned = await cypher('busy', "CREATE (:plain {id: nosuch('x')})")
    expect(unplanned.status).toBe(400)
    expect(unplanned.body.error).toMatchObject({ code: 'cypher_semantic', message: "Unknown function 'nosuch'" })
    expectError(await tg.post('cypher', { graph: 'busy', script: "CREATE (:plain {id: nosuch('x')})" }), '400', "Unknown function 'nosuch'")
    expectError(await tg.post('cypher', { graph: 'default', script: "CALL dbms.graph.deleteGraph('default') UNION CALL dbms.graph.deleteGraph('busy')" }), '400', 'Graph [default] is the graph of this query; run the procedure on another graph.')
    expect((await cypher('busy', 'CALL db.flushDB()')).status).toBe(200)
    expect((await cypher('busy', 'MATCH (n:plain) RETURN count(n) AS n')).body.rows).toEqual([[0]])

    // the import runs and ends; then the same calls go through
    expect((await t.call('POST', `/api/v1/jobs/${sleeper.body.id}/cancel`, {})).status).toBeLessThan(300)
    expect((await waitForStatus(t, started.body.jobId, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    expect((await cypher('busy', "CALL db.alterLabelDelFields('vertex', 'plain', ['name'])")).status).toBe(200)
    expect((await cypher('default', "CALL dbms.graph.deleteGraph('busy')")).status).toBe(200)
    expect((await t.call('GET', '/api/v1/graphs/busy')).status).toBe(404)
  }, 240_000)
})

describe('an import whose graph is removed while it runs', () => {
  it('fails saying so instead of succeeding', async () => {
    await makeGraph('vanishing')
    const dir = join(t.dir, 'upload_files', 'admin')
    mkdirSync(dir, { recursive: true })
    const fd = openSync(join(dir, 'many.csv'), 'w')
    try {
      for (let from = 0; from < 1_000_000; from += 100_000) {
        const lines: string[] = []
        for (let i = from; i < from + 100_000; i++) lines.push(`v${i},name${i}`)
        writeSync(fd, `${lines.join('\n')}\n`)
      }
    } finally {
      closeSync(fd)
    }
    // small packages (the service takes packageBytes; the API does not): many commits, a long run
    const started = await t.app.graph.startImport({ graph: 'vanishing', packageBytes: 64 * 1024, files: [{ path: 'many.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] }, ADMIN)
    for (;;) {
      const s = await t.call('GET', `/api/v1/imports/${started.taskId}`)
      if (s.body.status === 'running' && s.body.live?.bytesDone > 0) break
      expect(['queued', 'running']).toContain(s.body.status)
      await new Promise((r) => setTimeout(r, 20))
    }
    dropGraphFiles(t.dir, 'vanishing') // as a drop in the moment after its busy check would
    const job = await waitForStatus(t, started.jobId, ENDED_STATUSES, 300_000)
    expect(job.status).toBe('failed')
    expect(JSON.stringify(job)).toMatch(/Graph \[vanishing\] was dropped while the import ran/)
    expect((await t.call('GET', '/api/v1/graphs/vanishing')).status).toBe(404)
  }, 400_000)
})
