// JobDesk keeps free space on its data folder's disk (disk-reserve.ts): once less than the reserve is
// free, new jobs and uploads are refused with a 503 in the dialect's envelope naming the reserve, for
// admins too, and nothing is stored (#9, attack-sql-disk-fill). The reserve is set above the free
// space of the test's real disk, which statfs reads.
import { statfsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertDiskRoom } from '../../electron/disk-reserve'
import { startTestApp, type TestApp } from '../support/app'
import { PAST_ANY_DISK } from '../support/disk-reserve'
import { linkisClient } from '../linkis/support'
import { tempDir } from '../support/temp-store'
import { finishedScriptJob } from '../support/finished-jobs'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ diskReserveBytes: PAST_ANY_DISK })
}, 30_000)
afterAll(() => t?.close())

const REFUSAL = /^the data folder's disk has [\d,.]+ [GM]iB free, less than the 1,073,741,824 GiB JobDesk keeps in reserve: /

describe('the disk reserve', () => {
  it('refuses new jobs (native, Linkis) and uploads while less than the reserve is free, storing nothing', async () => {
    const jobsBefore = t.app.store.db.prepare('SELECT count(*) AS n FROM jobs').get()
    const native = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1' })
    expect(native.status).toBe(503)
    expect(native.body.error).toMatchObject({ kind: 'unavailable', code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) })
    expect(native.body.error.message).toMatch(/new jobs are refused until an admin frees space$/)

    const linkis = linkisClient(t.url)
    await linkis.login()
    const viaLinkis = await linkis.submit('SELECT 1', 'sql')
    expect(viaLinkis.body).toMatchObject({ message: expect.stringMatching(REFUSAL) })
    expect(viaLinkis.body.status).not.toBe(0)
    expect(t.app.store.db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual(jobsBefore)

    const upload = await fetch(`${t.url}/api/v1/files/upload?path=a.csv&offset=0`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/octet-stream' },
      body: 'id\n1\n',
    })
    expect(upload.status).toBe(503)
    expect(((await upload.json()) as any).error.message).toMatch(/uploads are refused until an admin frees space$/)
  })

  it('refuses new workflow versions (Rill Flow descriptors through every API, graph workflows) and saved scripts that grow, storing nothing', async () => {
    const yaml = (n: number) => `workspace: full\ndagName: disk\ntype: flow\ntasks:\n  - {category: pass, name: t${n}}\n`
    const native = await t.call('POST', '/api/v1/workflows', { text: yaml(1) })
    expect(native.status).toBe(503)
    expect(native.body.error).toMatchObject({ kind: 'unavailable', code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) })
    expect(native.body.error.message).toMatch(/workflow saves are refused until an admin frees space$/)
    const rill = await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=full&feature_name=disk&alias=release', yaml(2), { 'content-type': 'text/plain' })
    expect(rill.status).toBe(503)
    expect(rill.body).toMatchObject({ error: expect.stringMatching(REFUSAL) })
    expect(t.app.store.workflows.owner('full', 'disk')).toBeUndefined()

    const doc = { name: 'disk', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'default' } }], wires: [] }
    const graphBefore = t.app.store.db.prepare('SELECT count(*) FROM graph_workflow_versions').pluck().get()
    const created = await t.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(created.status, JSON.stringify(created.body)).toBe(503)
    expect(created.body.error).toMatchObject({ code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) })
    const id = t.app.store.graphWorkflows.create(doc as never, 'admin') // stored before the disk filled up
    const saved = await t.call('POST', `/api/v1/graph-workflows/${id}/versions`, { document: doc })
    expect(saved.status).toBe(503)
    expect(saved.body.error).toMatchObject({ code: 'disk_nearly_full' })
    expect(t.app.store.db.prepare('SELECT count(*) FROM graph_workflow_versions').pluck().get()).toBe((graphBefore as number) + 1)

    t.app.store.savedScripts.insert({ owner: 'admin', path: 'kept.sql', kind: 'script', language: 'sql', code: 'SELECT 1 -- written before' })
    const grown = await t.call('POST', '/api/v1/saved-scripts', { path: 'kept.sql', language: 'sql', code: `SELECT 1 -- ${'x'.repeat(1000)}`, overwrite: true })
    expect(grown.status).toBe(503)
    expect(grown.body.error.message).toMatch(/saved scripts that grow are refused until an admin frees space$/)
    const fresh = await t.call('POST', '/api/v1/saved-scripts', { path: 'new.sql', language: 'sql', code: 'SELECT 2' })
    expect(fresh.status).toBe(503)
    expect(t.app.store.savedScripts.get('admin', 'new.sql')).toBeUndefined()
    expect(t.app.store.savedScripts.get('admin', 'kept.sql')?.code).toBe('SELECT 1 -- written before')
    // a save that frees room is taken
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: 'kept.sql', language: 'sql', code: 'SELECT 1', overwrite: true })).status).toBe(201)
  })

  it('refuses to re-open an ended job (redo, rerun in place), as a new job, leaving it as it was', () => {
    const id = finishedScriptJob(t.app.store, 'ended-before', '{}', 'admin') // ended before the disk filled up
    expect(() => t.app.engine.redo(id, null)).toThrow(expect.objectContaining({ code: 'disk_nearly_full', message: expect.stringMatching(REFUSAL) }))
    expect(t.app.store.jobs.get(id)?.status).toBe('succeeded')
  })

  it('lets everything through while the disk has its reserve free', () => {
    const dir = tempDir()
    const s = statfsSync(dir)
    expect(() => assertDiskRoom(dir, 'new jobs')).not.toThrow() // the default reserve, 512 MiB: the test disk has more
    expect(s.bavail * s.bsize).toBeGreaterThan(512 * 1024 * 1024)
  })
})
