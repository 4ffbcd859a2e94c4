// A Rill Flow workflow (business_id:feature_name) belongs to whoever stored its first version, and to
// admins (#9.1). Before, any user could add a version to another's workflow with alias=release and so
// make the owner's next submit run their tasks. Every write, read and run of another user's workflow
// is refused, the same way over the Rill Flow API, its console and the native API (the Workflows page);
// listing reads (aliases, gray rules, versions) answer as for an unknown name, which a 403 would not.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser, type TestUser } from '../support/users'
import { consoleLogin } from './support'
import { oldDatabase } from '../support/old-database'

const yaml = (dag: string, task: string, extra = '') => `workspace: owned\ndagName: ${dag}\ntype: flow\ntasks:\n  - category: pass\n    name: ${task}\n${extra}`
const ADD = '/flow/bg/manage/descriptor/add_descriptor.json'
const version = (descriptorId: string) => descriptorId.split(':md5_')[1]

let t: TestApp
let bob: TestUser
let adminVersion: string
const bobAuth = () => ({ authorization: `Bearer ${bob.token}` })

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  const mine = await t.call('POST', `${ADD}?business_id=owned&feature_name=adminFlow&alias=release`, yaml('adminFlow', 'adminTask'), { 'content-type': 'text/plain' })
  expect(mine.body.ret).toBe(true)
  adminVersion = version(mine.body.descriptor_id)
}, 30_000)
afterAll(() => t?.close())

describe('Rill Flow API: another user’s workflow', () => {
  it('refuses bob a version of the admin’s workflow (403, BizError forbidden) and keeps release on the admin’s', async () => {
    const bobs = await t.call('POST', `${ADD}?business_id=owned&feature_name=adminFlow&alias=release`, yaml('adminFlow', 'bobWasHere'), {
      ...bobAuth(),
      'content-type': 'text/plain',
    })
    expect(bobs.status).toBe(403)
    expect(bobs.body).toEqual({ error_code: 30108, error: 'workflow owned:adminFlow belongs to another user; only its owner or an admin may change it' })
    const flow = (await t.call('GET', '/api/v1/workflows')).body.find((w: { name: string }) => w.name === 'adminFlow')
    expect(flow).toMatchObject({ owner: 'admin', versions: 1, aliases: { release: adminVersion } })
    // the admin's run runs the admin's task
    const run = await t.call('POST', '/flow/submit.json?descriptor_id=owned:adminFlow', {})
    const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(run.body.execution_id))!
    expect(t.app.store.jobs.tasks(job.id).map((x) => x.name)).toEqual(['adminTask'])
  })

  it('refuses bob every other write, read and run of it, and lists none of it to him', async () => {
    const q = 'business_id=owned&feature_name=adminFlow'
    for (const [method, path] of [
      ['POST', `/flow/bg/manage/descriptor/modify_alias.json?add=true&${q}&alias=release`],
      ['POST', `/flow/bg/manage/descriptor/modify_alias.json?add=false&${q}&alias=release`],
      ['POST', `/flow/bg/manage/descriptor/modify_gray.json?add=true&${q}&alias=release&gray_rule=true`],
      ['GET', `/flow/bg/manage/descriptor/get_descriptor.json?descriptor_id=owned:adminFlow:md5_${adminVersion}`],
      ['POST', '/flow/submit.json?descriptor_id=owned:adminFlow'],
      ['POST', '/flow/submit.json?descriptor_id=owned:adminFlow:release'],
    ] as const) {
      const r = await t.call(method, path, method === 'POST' ? {} : undefined, bobAuth())
      expect(r.status, `${method} ${path}`).toBe(403)
      expect(r.body.error_code, `${method} ${path}`).toBe(30108)
    }
    expect(t.app.store.workflows.aliases('owned', 'adminFlow')).toEqual({ release: adminVersion })
    // its aliases, gray rules and versions read as those of a name never stored: a 403 would tell bob it exists
    for (const read of ['get_gray.json?', 'get_alias.json?', 'get_version.json?alias=release&']) {
      const theirs = await t.call('GET', `/flow/bg/manage/descriptor/${read}${q}`, undefined, bobAuth())
      const unknown = await t.call('GET', `/flow/bg/manage/descriptor/${read}business_id=owned&feature_name=noSuchFlow`, undefined, bobAuth())
      expect(theirs.status, read).toBe(unknown.status)
      expect({ ...theirs.body, feature: 'x' }, read).toEqual({ ...unknown.body, feature: 'x' })
    }
    expect((await t.call('GET', `/flow/bg/manage/descriptor/get_alias.json?${q}`, undefined, bobAuth())).body.aliases).toEqual([])
    expect((await t.call('GET', '/flow/bg/manage/descriptor/get_business.json', undefined, bobAuth())).body.business_ids).not.toContain('owned')
    expect((await t.call('GET', '/flow/bg/manage/descriptor/get_feature.json?business_id=owned', undefined, bobAuth())).body.features).toEqual([])
    // the admin's own calls still work
    expect((await t.call('GET', `/flow/bg/manage/descriptor/get_alias.json?${q}`)).body.aliases).toEqual(['release'])
    expect((await t.call('GET', '/flow/bg/manage/descriptor/get_feature.json?business_id=owned')).body.features).toContain('adminFlow')
  })

  it('lets bob make and run his own workflow, and an admin change it without taking it over', async () => {
    const add = await t.call('POST', `${ADD}?business_id=owned&feature_name=bobFlow&alias=release`, yaml('bobFlow', 'bobTask'), { ...bobAuth(), 'content-type': 'text/plain' })
    expect(add.status, JSON.stringify(add.body)).toBe(200)
    const run = await t.call('POST', '/flow/submit.json?descriptor_id=owned:bobFlow', {}, bobAuth())
    expect(run.status).toBe(200)
    expect((await t.call('GET', '/flow/bg/manage/descriptor/get_feature.json?business_id=owned', undefined, bobAuth())).body.features).toEqual(['bobFlow'])
    const byAdmin = await t.call('POST', `${ADD}?business_id=owned&feature_name=bobFlow&alias=fixed`, yaml('bobFlow', 'adminFix'), { 'content-type': 'text/plain' })
    expect(byAdmin.status).toBe(200)
    expect(t.app.store.workflows.owner('owned', 'bobFlow')).toBe('bob')
    const more = await t.call('POST', `${ADD}?business_id=owned&feature_name=bobFlow&alias=release`, yaml('bobFlow', 'bobTask2'), { ...bobAuth(), 'content-type': 'text/plain' })
    expect(more.status).toBe(200)
  })

  it('refuses a sub-flow into another user’s workflow: the task fails, naming why', async () => {
    const caller = `workspace: owned\ndagName: bobCaller\ntype: flow\ntasks:\n  - {category: function, name: call, resourceName: "rillflow://owned:adminFlow", pattern: flow_sync}\n`
    expect((await t.call('POST', `${ADD}?business_id=owned&feature_name=bobCaller&alias=release`, caller, { ...bobAuth(), 'content-type': 'text/plain' })).status).toBe(200)
    const run = await t.call('POST', '/flow/submit.json?descriptor_id=owned:bobCaller', {}, bobAuth())
    const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(run.body.execution_id))!
    await waitForStatus(t, job.id, ['failed'])
    expect(t.app.store.jobs.task(job.id, 'call')!.error).toMatch(/belongs to another user/)
  })
})

describe('Rill Flow console: another user’s workflow', () => {
  it('lists only bob’s definitions and businesses to him and refuses the admin’s descriptor', async () => {
    const c = await consoleLogin(t, 'bob', bob.password)
    const rows = (await c.call('GET', '/flow/bg/get_descriptor_ids.json?business=owned')).body.items
    expect(new Set(rows.map((r: { feature_id: string }) => r.feature_id))).toEqual(new Set(['bobFlow', 'bobCaller']))
    const refused = await c.call('GET', '/flow/bg/get_descriptor.json?id=owned:adminFlow')
    expect(refused.status).toBe(403)
    expect(refused.body.error_code).toBe(30108)
    const admin = await consoleLogin(t, 'admin', '73@TuGraph')
    const all = (await admin.call('GET', '/flow/bg/get_descriptor_ids.json?business=owned')).body.items.map((r: { feature_id: string }) => r.feature_id)
    expect(all).toEqual(expect.arrayContaining(['adminFlow', 'bobFlow']))
  })
})

describe('native API (the Workflows page): another user’s workflow', () => {
  it('refuses bob saving over, reading, running and managing the admin’s workflow', async () => {
    const saved = await bob.call('POST', '/api/v1/workflows', { text: yaml('adminFlow', 'bobWasHere') })
    expect(saved.status).toBe(403)
    expect(saved.body.error).toMatchObject({ kind: 'forbidden', code: 'not_your_workflow' })
    expect((await bob.call('GET', '/api/v1/workflows/descriptor?descriptorId=owned:adminFlow')).status).toBe(403)
    expect((await bob.call('POST', '/api/v1/workflows/submit', { descriptorId: 'owned:adminFlow' })).status).toBe(403)
    expect((await bob.call('GET', '/api/v1/workflows/grid?workspace=owned&name=adminFlow')).status).toBe(403)
    expect((await bob.call('POST', '/api/v1/workflows/aliases', { workspace: 'owned', name: 'adminFlow', alias: 'release', version: adminVersion })).status).toBe(403)
    const listed = (await bob.call('GET', '/api/v1/workflows')).body.map((w: { name: string; owner: string }) => `${w.name}:${w.owner}`)
    expect(listed.sort()).toEqual(['bobCaller:bob', 'bobFlow:bob'])
    expect(t.app.store.workflows.aliases('owned', 'adminFlow')).toEqual({ release: adminVersion })
  })
})

describe('migration 013-workflow-owners', () => {
  it('gives each existing workflow the author of its first version', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, 12, (old) => {
      const add = old.prepare(`INSERT INTO workflows (workspace, name, version, format, source, parsed, created_by, created_at) VALUES ('ws', ?, ?, 'yaml', '', '{}', ?, 1)`)
      add.run('shared', 'v1', 'alice')
      add.run('shared', 'v2', 'bob') // bob added a version later: the workflow stays alice's
      add.run('anon', 'v1', null)
    })
    const db = openDatabase(file)
    const owners = db.prepare('SELECT name, owner FROM workflow_owners ORDER BY name').all()
    expect(owners).toEqual([
      { name: 'anon', owner: 'rillflow' },
      { name: 'shared', owner: 'alice' },
    ])
    db.close()
  })
})
