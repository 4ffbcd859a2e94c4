// What the stored versions of one user's workflows take is bounded in bytes (shared/quotas.ts
// MAX_WORKFLOW_BYTES_PER_USER, atk15: the count bounds alone let one user keep 400,000 versions of
// ~1 MiB): a Rill Flow descriptor's text and parsed form, a graph workflow version's document, the two
// kinds together (store/workflow-bytes.ts). A save past it is refused naming the bound, in the envelope
// of the API it came through (Rill Flow's add_descriptor.json, native /api/v1/workflows and
// /api/v1/graph-workflows), nothing stored; deleting a workflow frees its room; admins are exempt.
// Here the app holds a user to QUOTA (8 KiB) instead of 256 MiB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GraphWorkflowDocument } from '../../shared/graph-workflows'
import { startTestApp, type TestApp } from '../support/app'
import { upload } from '../support/upload-files'
import { addUser, type TestUser } from '../support/users'

const QUOTA = 8 * 1024
const M = '/flow/bg/manage/descriptor'

/** A descriptor of one pass task after a comment of ~`pad` characters; `n` makes each text (its version) new. */
const descriptor = (ws: string, dag: string, n: number, pad = 2000) => `# ${n} ${'x'.repeat(pad)}\nworkspace: ${ws}\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: only}\n`
const addDescriptor = (as: TestUser, ws: string, dag: string, n: number) =>
  as.call('POST', `${M}/add_descriptor.json?business_id=${ws}&feature_name=${dag}&alias=release`, descriptor(ws, dag, n), { 'content-type': 'text/plain' })
/** A graph workflow of one WCC over e.csv; `name` of some length makes the document larger. */
const wccDoc = (name: string): GraphWorkflowDocument =>
  ({ name, components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' } }], wires: [] }) as unknown as GraphWorkflowDocument

let t: TestApp
const admin = () => ({ call: t.call }) as TestUser
beforeAll(async () => {
  t = await startTestApp({ maxWorkflowBytesPerUser: QUOTA })
}, 60_000)
afterAll(() => t?.close())

describe("the bytes of a user's stored workflow versions", { timeout: 120_000 }, () => {
  it('refuses a descriptor version past the quota in Rill Flow’s envelope and the native one, naming it; deleting the workflow frees its room', async () => {
    const eve = await addUser(t, 'eve')
    let stored = 0
    let refused: { status: number; body: any } | undefined
    for (let n = 0; n < 10 && !refused; n++) {
      const r = await addDescriptor(eve, 'eves', 'big', n)
      if (r.status === 200) stored++
      else refused = r
    }
    expect(stored).toBeGreaterThan(0)
    expect(refused?.status).toBe(403)
    expect(refused?.body).toMatchObject({ error: expect.stringContaining("a user's workflows (every version of their Rill Flow and graph workflows) take at most 8,192 bytes") })
    const used = t.app.store.workflowBytes.ofOwner('eve')
    expect(used).toBeLessThanOrEqual(QUOTA)
    expect(t.app.store.workflows.versionCount('eves', 'big')).toBe(stored) // the refused one was not stored
    // the native API says it in its envelope, naming the field
    const native = await eve.call('POST', '/api/v1/workflows', { text: descriptor('eves', 'other', 0) })
    expect(native.status).toBe(403)
    expect(native.body.error).toMatchObject({ kind: 'forbidden', code: 'workflows_too_large', field: 'descriptor', message: expect.stringContaining('at most 8,192 bytes') })
    expect(t.app.store.workflows.owner('eves', 'other')).toBeUndefined()
    // a text she has stored still moves its alias: nothing new is stored
    expect((await addDescriptor(eve, 'eves', 'big', 0)).status).toBe(200)

    // deleting the workflow frees its versions' room
    expect((await eve.call('DELETE', '/api/v1/workflows?workspace=eves&name=big')).status).toBe(200)
    expect(t.app.store.workflowBytes.ofOwner('eve')).toBe(0)
    expect((await addDescriptor(eve, 'eves', 'big', 99)).status).toBe(200)
  })

  it('counts graph workflow versions with descriptors, refusing a create or a save past the quota in the native envelope', async () => {
    const dan = await addUser(t, 'dan')
    upload(t.dir, 'e.csv', '1,2\n2,3\n', 'dan')
    // most of his quota in descriptors: what is left holds a few graph workflow versions
    for (let n = 0; t.app.store.workflowBytes.ofOwner('dan') < QUOTA - 3000; n++) expect((await addDescriptor(dan, 'dans', `d${n}`, n)).status).toBe(200)
    const doc = wccDoc(`wcc_${'n'.repeat(190)}`)
    const made = await dan.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    let saves = 0
    let refused: { status: number; body: any } | undefined
    while (!refused && saves < 20) {
      const r = await dan.call('POST', `/api/v1/graph-workflows/${made.body.id}/versions`, { document: doc })
      if (r.status === 201) saves++
      else refused = r
    }
    expect(saves).toBeGreaterThan(0)
    expect(refused?.status).toBe(403)
    expect(refused?.body.error).toMatchObject({ kind: 'forbidden', code: 'workflows_too_large', field: 'document', message: expect.stringContaining('at most 8,192 bytes') })
    expect(t.app.store.graphWorkflows.versionCount(made.body.id)).toBe(saves + 1)
    expect(t.app.store.workflowBytes.ofOwner('dan')).toBeLessThanOrEqual(QUOTA)
    const another = await dan.call('POST', '/api/v1/graph-workflows', { document: doc })
    expect(another.status).toBe(403)
    expect(another.body.error).toMatchObject({ code: 'workflows_too_large', field: 'document' })
    // deleting the graph workflow frees its versions' room
    expect((await dan.call('DELETE', `/api/v1/graph-workflows/${made.body.id}`)).status).toBe(200)
    expect((await dan.call('POST', '/api/v1/graph-workflows', { document: doc })).status).toBe(201)
  })

  it('never refuses an admin', async () => {
    for (let n = 0; n < 8; n++) expect((await addDescriptor(admin(), 'adm', 'big', n)).status).toBe(200)
    expect(t.app.store.workflowBytes.ofOwner('admin')).toBeGreaterThan(QUOTA)
  })
})
