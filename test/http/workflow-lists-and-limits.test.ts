// What one user may store of workflows, and the pages their lists answer (#9 §2, atk11;
// shared/workflow-limits.ts): past a bound a store is refused with a 4xx naming it, in the envelope of
// the API it came through (Rill Flow's for add_descriptor.json, native for /api/v1), and the lists
// (GET /api/v1/workflows, /api/v1/graph-workflows, the console's get_descriptor_ids.json) answer the
// page asked for, with the total. The stores before a bound are filled through the same service
// calls the routes make (in-process: thousands of HTTP round trips would only slow the test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WORKFLOW_LIMITS, WORKFLOW_LIST_PAGE } from '../../shared/workflow-limits'
import type { GraphWorkflowDocument } from '../../shared/graph-workflows'
import { startTestApp, type TestApp } from '../support/app'
import { upload } from '../support/upload-files'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const M = '/flow/bg/manage/descriptor'
const yaml = (ws: string, dag: string, task = 'a') => `workspace: ${ws}\ndagName: ${dag}\ntype: flow\ntasks:\n  - category: pass\n    name: ${task}\n`
const addDescriptor = (as: TestUser, ws: string, dag: string, task = 'a') =>
  as.call('POST', `${M}/add_descriptor.json?business_id=${ws}&feature_name=${dag}&alias=release`, yaml(ws, dag, task), { 'content-type': 'text/plain' })
const wccDoc = (name: string): GraphWorkflowDocument =>
  ({ name, components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' } }], wires: [] }) as unknown as GraphWorkflowDocument

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  upload(t.dir, 'e.csv', '1,2\n2,3\n')
}, 60_000)
afterAll(() => t.close())

describe('Rill Flow workflows one user may store', { timeout: 120_000 }, () => {
  it('refuses a workflow past WORKFLOW_LIMITS.rillflowPerOwner in Rill Flow’s envelope, naming the bound; a stored one still takes versions', async () => {
    const caller = { username: 'bob', isAdmin: false }
    for (let n = 1; n < WORKFLOW_LIMITS.rillflowPerOwner; n++) t.app.workflows.addDescriptor({ workspace: undefined, dagName: undefined, text: yaml(`b${n % 7}`, `f${n}`), caller })
    expect((await addDescriptor(bob, 'b0', 'last')).status).toBe(200) // the bound itself
    const refused = await addDescriptor(bob, 'b0', 'onemore')
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ error_code: 30110, error: expect.stringContaining('(2,000)'), pass_through: true })
    expect(refused.body.error).toContain('the most one user may hold')
    // the native API says it in its envelope, naming the field
    const native = await bob.call('POST', '/api/v1/workflows', { text: yaml('b0', 'native') })
    expect(native.status).toBe(400)
    expect(native.body.error).toMatchObject({ kind: 'invalid', code: 'too_many_workflows', field: 'feature_name', message: expect.stringContaining('(2,000)') })
    // nothing of the refused ones was stored; a workflow bob has still takes a new version
    expect(t.app.store.workflows.owner('b0', 'onemore')).toBeUndefined()
    expect((await addDescriptor(bob, 'b0', 'last', 'b')).status).toBe(200)
    // another user's bound is their own
    const carol = await addUser(t, 'carol')
    expect((await addDescriptor(carol, 'c', 'first')).status).toBe(200)
  })

  it('refuses a version past WORKFLOW_LIMITS.rillflowVersions; a text already stored still moves its alias', async () => {
    const caller = { username: 'admin', isAdmin: true }
    for (let n = 1; n < WORKFLOW_LIMITS.rillflowVersions; n++) t.app.workflows.addDescriptor({ workspace: undefined, dagName: undefined, text: yaml('ver', 'many', `t${n}`), caller })
    const admin = { call: t.call } as TestUser
    expect((await addDescriptor(admin, 'ver', 'many', 'last')).status).toBe(200) // the 200th
    const refused = await addDescriptor(admin, 'ver', 'many', 'onemore')
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ error_code: 30110, error: expect.stringContaining('versions, the most one workflow may hold (200)'), pass_through: true })
    expect(t.app.store.workflows.versionCount('ver', 'many')).toBe(WORKFLOW_LIMITS.rillflowVersions)
    const again = await addDescriptor(admin, 'ver', 'many', 't1') // stored already: the alias moves back to it
    expect(again.status).toBe(200)
    expect(t.app.store.workflows.alias('ver', 'many', 'release')).toBe(again.body.descriptor_id.split(':md5_')[1])
  })
})

describe('aliases one Rill Flow workflow may hold', () => {
  it('refuses a new alias name past WORKFLOW_LIMITS.rillflowAliases, on add_descriptor, modify_alias and the native API; moving one it has is allowed', async () => {
    const admin = { call: t.call } as TestUser
    const add = (alias: string) => t.call('POST', `${M}/add_descriptor.json?business_id=al&feature_name=many&alias=${alias}`, yaml('al', 'many'), { 'content-type': 'text/plain' })
    for (let n = 1; n <= WORKFLOW_LIMITS.rillflowAliases; n++) expect((await add(`a${n}`)).status).toBe(200) // a1 … a100
    const refused = await add('onemore')
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ error_code: 30110, error: expect.stringContaining('aliases, the most one workflow may hold (100)'), pass_through: true })
    const md5 = t.app.store.workflows.alias('al', 'many', 'a1')!
    const modify = await t.call('POST', `${M}/modify_alias.json?add=true&business_id=al&feature_name=many&alias=onemore`)
    expect([modify.status, modify.body.error_code]).toEqual([400, 30110])
    const native = await t.call('POST', '/api/v1/workflows/aliases', { workspace: 'al', name: 'many', alias: 'onemore', version: md5 })
    expect(native.status).toBe(400)
    expect(native.body.error).toMatchObject({ code: 'too_many_aliases', field: 'alias', message: expect.stringContaining('(100)') })
    expect(t.app.store.workflows.aliasCount('al', 'many')).toBe(WORKFLOW_LIMITS.rillflowAliases)
    // an alias it has still moves: a new version under a1
    expect((await addDescriptor(admin, 'al', 'many', 'b')).status).toBe(400) // release is not among a1…a100: a new name
    const moved = await t.call('POST', `${M}/add_descriptor.json?business_id=al&feature_name=many&alias=a1`, yaml('al', 'many', 'b'), { 'content-type': 'text/plain' })
    expect(moved.status).toBe(200)
    expect(t.app.store.workflows.alias('al', 'many', 'a1')).not.toBe(md5)
  })
})

describe('aliases the workflows of one user may hold together', () => {
  it('refuses a new alias name, also a new workflow’s first, past WORKFLOW_LIMITS.rillflowAliasesPerOwner', async () => {
    const fay = await addUser(t, 'fay')
    const caller = { username: 'fay', isAdmin: false }
    const per = WORKFLOW_LIMITS.rillflowAliases
    const workflows = WORKFLOW_LIMITS.rillflowAliasesPerOwner / per
    t.app.store.transaction(() => {
      for (let n = 0; n < workflows; n++) {
        const { descriptorId } = t.app.workflows.addDescriptor({ workspace: undefined, dagName: undefined, text: yaml('fay', `f${n}`), caller })
        for (let a = 1; a < per; a++) t.app.store.workflows.setAlias('fay', `f${n}`, `x${a}`, descriptorId.split(':md5_')[1])
      }
    })
    expect(t.app.store.workflows.aliasCountOfOwner('fay')).toBe(WORKFLOW_LIMITS.rillflowAliasesPerOwner)
    const refused = await addDescriptor(fay, 'fay', 'fresh')
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ error_code: 30110, error: expect.stringContaining('aliases together, the most they may hold (5,000)'), pass_through: true })
    expect(t.app.store.workflows.owner('fay', 'fresh')).toBeUndefined()
    // the definitions list of all of them still answers a page at once
    const page = await fay.call('GET', '/flow/bg/get_descriptor_ids.json?page=3&pageSize=20')
    expect([page.status, page.body.total, page.body.items.length]).toEqual([200, WORKFLOW_LIMITS.rillflowAliasesPerOwner, 20])
  })
})

describe('the workflow lists answer a page and the total', () => {
  it('GET /api/v1/workflows: limit and offset, newest first, X-Total-Count; WORKFLOW_LIST_PAGE.defaultLimit without them', async () => {
    const dave = await addUser(t, 'dave')
    const names: string[] = []
    for (let n = 0; n < 5; n++) {
      expect((await dave.call('POST', '/api/v1/workflows', { text: yaml('dpage', `w${n}`) })).status).toBe(201)
      names.unshift(`dpage:w${n}`) // newest first
    }
    const page = await dave.call('GET', '/api/v1/workflows?limit=2&offset=1')
    expect(page.status).toBe(200)
    expect(page.body.map((w: { workspace: string; name: string }) => `${w.workspace}:${w.name}`)).toEqual(names.slice(1, 3))
    expect(page.headers.get('x-total-count')).toBe('5')
    expect(page.body[0]).toEqual({ workspace: 'dpage', name: 'w3', owner: 'dave', versions: 1, latestVersion: expect.stringMatching(/^[0-9a-f]{32}$/), updatedAt: expect.any(Number), aliases: { release: page.body[0].latestVersion } })
    // a page script of an allowed origin (Settings' CORS allow-list) may read the total
    const origin = 'https://tools.example.com'
    expect((await t.call('POST', '/api/v1/settings/server', { allowRemote: false, allowedHosts: [], allowedOrigins: [origin], rillflowRequireToken: false })).status).toBe(200)
    const cors = await dave.call('GET', '/api/v1/workflows?limit=1', undefined, { origin })
    expect([cors.headers.get('access-control-allow-origin'), cors.headers.get('access-control-expose-headers'), cors.headers.get('x-total-count')]).toEqual([origin, 'x-total-count', '5'])
    const all = await dave.call('GET', '/api/v1/workflows')
    expect(all.body).toHaveLength(5)
    expect((await dave.call('GET', '/api/v1/workflows?offset=5')).body).toEqual([])
    // an admin's list is everyone's: bob's 2,000 and more, a default page of them, the total in the header
    const admins = await t.call('GET', '/api/v1/workflows')
    expect(admins.body).toHaveLength(WORKFLOW_LIST_PAGE.defaultLimit)
    expect(Number(admins.headers.get('x-total-count'))).toBeGreaterThan(WORKFLOW_LIMITS.rillflowPerOwner)
  })

  it('refuses a page out of range naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      [`limit=${WORKFLOW_LIST_PAGE.maxLimit + 1}`, 'limit'],
      ['limit=x', 'limit'],
      ['offset=-1', 'offset'],
    ]) {
      for (const path of ['/api/v1/workflows', '/api/v1/graph-workflows']) {
        const r = await t.call('GET', `${path}?${query}`)
        expect({ path, query, status: r.status }).toEqual({ path, query, status: 400 })
        expect(r.body.error.message).toContain(field)
      }
    }
  })

  it('get_descriptor_ids.json pages one business of many in the store, with its total', async () => {
    const erin = await addUser(t, 'erin')
    for (let n = 0; n < 12; n++) expect((await addDescriptor(erin, n % 2 ? 'odd' : 'even', `e${n}`)).status).toBe(200)
    const page = await erin.call('GET', '/flow/bg/get_descriptor_ids.json?business=odd&page=2&pageSize=4')
    expect(page.status).toBe(200)
    expect(page.body.total).toBe(6)
    expect(page.body.items.map((r: { feature_id: string }) => r.feature_id)).toEqual(['e3', 'e1']) // newest first: e11 e9 e7 e5 | e3 e1
    expect((await erin.call('GET', '/flow/bg/get_descriptor_ids.json?pageSize=500')).body.total).toBe(12) // only hers
  })
})

describe('graph workflows one user may store, and their list', { timeout: 120_000 }, () => {
  it('pages the list with its total, newest saved first', async () => {
    const ids: number[] = []
    for (let n = 0; n < 4; n++) {
      const made = await t.call('POST', '/api/v1/graph-workflows', { document: wccDoc(`paged ${n}`) })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      ids.unshift(made.body.id)
      await new Promise((r) => setTimeout(r, 3)) // distinct save times
    }
    const page = await t.call('GET', '/api/v1/graph-workflows?limit=2&offset=1')
    expect(page.body.map((w: { id: number }) => w.id)).toEqual(ids.slice(1, 3))
    expect(page.headers.get('x-total-count')).toBe('4')
  })

  it('refuses a save past WORKFLOW_LIMITS.graphVersions, naming the bound', async () => {
    const made = await t.call('POST', '/api/v1/graph-workflows', { document: wccDoc('saved often') })
    const id = made.body.id as number
    for (let v = 2; v < WORKFLOW_LIMITS.graphVersions; v++) t.app.store.graphWorkflows.saveVersion(id, wccDoc('saved often'), 'admin')
    expect((await t.call('POST', `/api/v1/graph-workflows/${id}/versions`, { document: wccDoc('saved often') })).status).toBe(201) // the 200th
    const refused = await t.call('POST', `/api/v1/graph-workflows/${id}/versions`, { document: wccDoc('saved often') })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ kind: 'invalid', code: 'too_many_versions', field: 'id', message: expect.stringContaining('(200)') })
    expect(t.app.store.graphWorkflows.versionCount(id)).toBe(WORKFLOW_LIMITS.graphVersions)
  })

  it('refuses a workflow past WORKFLOW_LIMITS.graphPerOwner, naming the bound', async () => {
    const held = t.app.store.graphWorkflows.countOfOwner('admin')
    for (let n = held; n < WORKFLOW_LIMITS.graphPerOwner - 1; n++) t.app.store.graphWorkflows.create(wccDoc(`filled ${n}`), 'admin')
    expect((await t.call('POST', '/api/v1/graph-workflows', { document: wccDoc('the last') })).status).toBe(201)
    const refused = await t.call('POST', '/api/v1/graph-workflows', { document: wccDoc('one more') })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ kind: 'invalid', code: 'too_many_workflows', field: 'document', message: expect.stringContaining('(2,000)') })
    expect(t.app.store.graphWorkflows.countOfOwner('admin')).toBe(WORKFLOW_LIMITS.graphPerOwner)
  })
})
