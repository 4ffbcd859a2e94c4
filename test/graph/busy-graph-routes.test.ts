// Every route that changes a graph's labels or data outside Cypher keeps the rule Cypher's schema
// procedures and writes keep (#9): while an import into the graph is queued or running it is
// refused with graph_busy and one text, each dialect in its own envelope. Schema imports: the native
// POST /api/v1/graphs/:graph/schema (409), TuGraph's import_schema ("400"), the GUI's
// graphs.importSchema operation (as IPC calls it); nothing is created. Algorithm write-back: the
// native POST /api/v1/algorithms/jobs (409) and an Explorer workflow run whose component writes
// back (Explorer's ErrBadRequest); the same algorithm without write-back runs. Another graph takes
// all of it meanwhile, and once the import has ended the same calls go through. (atk20: the native
// schema route answered 200, or 500 "database is locked", during an import. GES has no route that
// changes labels or writes back: its import-graph is an import itself, queued after one.)
import { beforeAll, describe, expect, it } from 'vitest'
import { createGraphHandlers } from '../../electron/services/graph-operations'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { expectError, expectOk, tugraphAppSuite, type TuGraphClient } from '../tugraph/support'
import { makePlainGraph, upload } from './support'

let t: TestApp
let tg: TuGraphClient

// one task at a time: a sleeping script holds the slot, so an import waits queued as long as needed
const suite = tugraphAppSuite({ concurrency: 1 })
beforeAll(() => ({ t, tg } = suite))

/** The refusal's words, naming the import job that holds the graph. */
const BUSY = (job: number) => `Graph [busy] has an import queued or running (job ${job}); cancel it or wait before changing its labels, indexes or data`
const label = (name: string) => ({ label: name, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] })
/** The admin as the desktop window's IPC transport names its caller. */
const admin = () => t.app.store.users.findByUsername('admin')!
const labelsOf = async (graph: string): Promise<string[]> => (await t.call('GET', `/api/v1/graphs/${graph}`)).body.labels.map((l: { name: string }) => l.name).sort()

/** An import into `graph` left queued behind a sleeping script (one task at a time); cancel the sleeper to let it run. */
async function queuedImport(graph: string): Promise<{ sleeperId: number; jobId: number }> {
  upload(t.dir, 'few.csv', 'a,Ann\nb,Bob\n')
  const sleeper = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 120' })
  expect(sleeper.status).toBe(201)
  await waitForStatus(t, sleeper.body.id, ['running'], 30_000)
  const started = await t.call('POST', '/api/v1/imports', { graph, files: [{ path: 'few.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] })
  expect(started.status, JSON.stringify(started.body)).toBe(201)
  return { sleeperId: sleeper.body.id, jobId: started.body.jobId }
}

/** Lets the import run and waits for it to succeed. */
async function endImport(q: { sleeperId: number; jobId: number }): Promise<void> {
  expect((await t.call('POST', `/api/v1/jobs/${q.sleeperId}/cancel`, {})).status).toBeLessThan(300)
  expect((await waitForStatus(t, q.jobId, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
}

describe('routes that change a graph while an import into it is queued', () => {
  it('schema imports are refused with graph_busy in every dialect, other graphs take theirs, and they work once it has ended', async () => {
    await makePlainGraph(t, 'busy')
    await makePlainGraph(t, 'idle')
    const started = await queuedImport('busy')

    const native = await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('nat')] })
    expect(native.status).toBe(409)
    expect(native.body.error).toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY(started.jobId) })
    expectError(await tg.post('import_schema', { graph: 'busy', description: { schema: [label('tug')] } }), '400', BUSY(started.jobId))
    expectError(await tg.post('import_schema', { graph: 'busy', schema: JSON.stringify({ schema: [label('tug')] }) }), '400', BUSY(started.jobId))
    const gui = createGraphHandlers(t.app.graph)['graphs.importSchema']
    await expect(gui({ graph: 'busy', schema: [label('gui')] }, admin())).rejects.toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY(started.jobId) })
    // an identical label changes nothing, yet it is refused too: the answer does not depend on the schema sent
    expect((await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('plain')] })).status).toBe(409)
    expect(await labelsOf('busy')).toEqual(['plain'])
    // the rule is per graph
    expect((await t.call('POST', '/api/v1/graphs/idle/schema', { schema: [label('nat')] })).status).toBe(200)
    expectOk(await tg.post('import_schema', { graph: 'idle', description: { schema: [label('tug')] } }))
    expect(await labelsOf('idle')).toEqual(['nat', 'plain', 'tug'])
    // the refusals came while the import waited (else they proved nothing)
    expect((await t.call('GET', `/api/v1/jobs/${started.jobId}`)).body.status).toBe('queued')

    await endImport(started)
    expect((await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('nat')] })).status).toBe(200)
    expectOk(await tg.post('import_schema', { graph: 'busy', description: { schema: [label('tug')] } }))
    await gui({ graph: 'busy', schema: [label('gui')] }, admin())
    expect(await labelsOf('busy')).toEqual(['gui', 'nat', 'plain', 'tug'])
  }, 240_000)

  it('algorithm write-back is refused with graph_busy natively and in an Explorer run; without write-back it runs', async () => {
    await makePlainGraph(t, 'wb')
    await makePlainGraph(t, 'wbidle')
    // overwrite: the import fills name (the ids are STRING, so are WCC's community labels)
    const writeBack = (graph: string) => ({ algorithm: 'WCC', source: { kind: 'graph', graph }, writeBack: { property: 'name', overwrite: true } })
    const made = await t.call('POST', '/api/v1/graph-workflows', {
      document: { name: 'wcc_back', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'wb' }, writeBack: { property: 'name', overwrite: true } }], wires: [] },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const started = await queuedImport('wb')

    const native = await t.call('POST', '/api/v1/algorithms/jobs', writeBack('wb'))
    expect(native.status).toBe(409)
    expect(native.body.error).toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY(started.jobId).replace('[busy]', '[wb]') })
    const explorer = await explorerRun(made.body.id)
    expect(explorer.status).toBe(400)
    expect(explorer.body.code).toBe(40004000)
    expect(explorer.body.message).toContain(BUSY(started.jobId).replace('[busy]', '[wb]'))
    // reading the graph goes on; another graph is written back into
    expect((await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: { kind: 'graph', graph: 'wb' } })).status).toBe(201)
    expect((await t.call('POST', '/api/v1/algorithms/jobs', writeBack('wbidle'))).status).toBe(201)
    expect((await t.call('GET', `/api/v1/jobs/${started.jobId}`)).body.status).toBe('queued')

    await endImport(started)
    expect((await t.call('POST', '/api/v1/algorithms/jobs', writeBack('wb'))).status).toBe(201)
    expect((await explorerRun(made.body.id)).status).toBe(200)
  }, 240_000)
})

/** Starts a run of graph workflow `id` as an Explorer client (connected as the admin). */
async function explorerRun(id: number): Promise<{ status: number; body: any }> {
  const bearer = Buffer.from('admin:73@TuGraph').toString('base64')
  const connected = await fetch(`${t.url}/api-open/v1/connect`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ address: '127.0.0.1', port: 9669 }) })
  const cookie = /explorer_token=[^;]+/.exec(connected.headers.get('set-cookie') ?? '')![0]
  const res = await fetch(`${t.url}/api-open/v1/workflows/${id}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' })
  return { status: res.status, body: await res.json() }
}
