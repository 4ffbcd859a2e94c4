// Every route that imports a schema keeps the rule Cypher's schema procedures and writes keep (#9):
// while an import into the graph is queued or running, the native POST /api/v1/graphs/:graph/schema
// answers 409 graph_busy, TuGraph's import_schema "400" with the same text, and the GUI's operation
// (graphs.importSchema, as IPC calls it) throws the same error; nothing is created. Another graph
// takes a schema meanwhile, and once the import has ended the same calls go through. (atk20: the
// native route answered 200 or 500 "database is locked" during an import; GES and Explorer have
// no route that changes a graph's labels: GES's import-graph is an import itself, queued after one.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGraphHandlers } from '../../electron/services/graph-operations'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { expectError, expectOk, tugraphClient, type TuGraphClient } from '../tugraph/support'
import { makePlainGraph, upload } from './support'

let t: TestApp
let tg: TuGraphClient

// one task at a time: a sleeping script holds the slot, so an import waits queued as long as needed
beforeAll(async () => {
  t = await startTestApp({ concurrency: 1 })
  tg = tugraphClient(t.url)
  await tg.login()
}, 120_000)
afterAll(() => t.close(), 120_000)

const BUSY = 'Graph [busy] has an import queued or running; cancel it or wait before changing its labels, indexes or data'
const label = (name: string) => ({ label: name, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] })
/** The admin as the desktop window's IPC transport names its caller. */
const admin = () => t.app.store.users.findByUsername('admin')!
const labelsOf = async (graph: string): Promise<string[]> => (await t.call('GET', `/api/v1/graphs/${graph}`)).body.labels.map((l: { name: string }) => l.name).sort()

describe('schema imports while an import into the graph is queued', () => {
  it('are refused with graph_busy in every dialect, other graphs take theirs, and they work once it has ended', async () => {
    await makePlainGraph(t, 'busy')
    await makePlainGraph(t, 'idle')
    upload(t.dir, 'few.csv', 'a,Ann\nb,Bob\n')
    const sleeper = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 120' })
    expect(sleeper.status).toBe(201)
    await waitForStatus(t, sleeper.body.id, ['running'], 30_000)
    const started = await t.call('POST', '/api/v1/imports', { graph: 'busy', files: [{ path: 'few.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] })
    expect(started.status, JSON.stringify(started.body)).toBe(201)

    const native = await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('nat')] })
    expect(native.status).toBe(409)
    expect(native.body.error).toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY })
    expectError(await tg.post('import_schema', { graph: 'busy', description: { schema: [label('tug')] } }), '400', BUSY)
    expectError(await tg.post('import_schema', { graph: 'busy', schema: JSON.stringify({ schema: [label('tug')] }) }), '400', BUSY)
    const gui = createGraphHandlers(t.app.graph)['graphs.importSchema']
    await expect(gui({ graph: 'busy', schema: [label('gui')] }, admin())).rejects.toMatchObject({ kind: 'conflict', code: 'graph_busy', message: BUSY })
    // an identical label changes nothing, yet it is refused too: the answer does not depend on the schema sent
    expect((await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('plain')] })).status).toBe(409)
    expect(await labelsOf('busy')).toEqual(['plain'])
    // the rule is per graph
    expect((await t.call('POST', '/api/v1/graphs/idle/schema', { schema: [label('nat')] })).status).toBe(200)
    expectOk(await tg.post('import_schema', { graph: 'idle', description: { schema: [label('tug')] } }))
    expect(await labelsOf('idle')).toEqual(['nat', 'plain', 'tug'])
    // the refusals came while the import waited (else they proved nothing)
    expect((await t.call('GET', `/api/v1/jobs/${started.body.jobId}`)).body.status).toBe('queued')

    expect((await t.call('POST', `/api/v1/jobs/${sleeper.body.id}/cancel`, {})).status).toBeLessThan(300)
    expect((await waitForStatus(t, started.body.jobId, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    expect((await t.call('POST', '/api/v1/graphs/busy/schema', { schema: [label('nat')] })).status).toBe(200)
    expectOk(await tg.post('import_schema', { graph: 'busy', description: { schema: [label('tug')] } }))
    await gui({ graph: 'busy', schema: [label('gui')] }, admin())
    expect(await labelsOf('busy')).toEqual(['gui', 'nat', 'plain', 'tug'])
  }, 240_000)
})
