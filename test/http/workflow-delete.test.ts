// Deleting a workflow over the native API (#13): owner-or-admin, refused while executions of it are
// kept, and the list, aliases, gray rules and a later re-creation start afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const flow = (ws: string, task = 'a') => `workspace: ${ws}\ndagName: gone\ntype: flow\ntasks:\n  - {category: pass, name: ${task}}\n`
const names = async (call: TestApp['call']) => ((await call('GET', '/api/v1/workflows')).body as { workspace: string; name: string }[]).map((w) => `${w.workspace}:${w.name}`)

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 60_000)
afterAll(async () => {
  await t?.close()
})

describe('DELETE /api/v1/workflows', () => {
  it('deletes every version and alias of the owner’s workflow; a new one of the same name starts afresh', async () => {
    expect((await bob.call('POST', '/api/v1/workflows', { text: flow('del') })).status).toBe(201)
    expect((await bob.call('POST', '/api/v1/workflows', { text: flow('del', 'b'), alias: 'release' })).status).toBe(201)
    // not admin's to refuse, but another user's: refused, and nothing goes
    const alice = await addUser(t, 'alice')
    const refused = await alice.call('DELETE', '/api/v1/workflows?workspace=del&name=gone')
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('not_your_workflow')
    expect(await names(bob.call)).toContain('del:gone')

    const deleted = await bob.call('DELETE', '/api/v1/workflows?workspace=del&name=gone')
    expect(deleted.status).toBe(200)
    expect(deleted.body).toEqual({ deleted: true })
    expect(await names(bob.call)).not.toContain('del:gone')
    expect((await bob.call('DELETE', '/api/v1/workflows?workspace=del&name=gone')).status).toBe(404)
    // alice may now create it: its first version makes her the owner, with no alias of bob's
    const again = await alice.call('POST', '/api/v1/workflows', { text: flow('del') })
    expect(again.status).toBe(201)
    const detail = await alice.call('GET', `/api/v1/workflows/descriptor?descriptorId=${encodeURIComponent(again.body.descriptorId)}`)
    expect(detail.body.versions).toHaveLength(1)
    expect(Object.keys(detail.body.aliases)).toEqual(['release'])
    expect(detail.body.aliases.release).toBe(detail.body.version)
  })

  it('a user who is not an admin cannot delete the admin’s workflow (nor see it listed); an admin may delete a user’s', async () => {
    expect((await t.call('POST', '/api/v1/workflows', { text: flow('adm') })).status).toBe(201)
    expect(await names(bob.call)).not.toContain('adm:gone')
    const refused = await bob.call('DELETE', '/api/v1/workflows?workspace=adm&name=gone')
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('not_your_workflow')
    expect(await names(t.call)).toContain('adm:gone')

    expect((await bob.call('POST', '/api/v1/workflows', { text: flow('bobs') })).status).toBe(201)
    expect((await t.call('DELETE', '/api/v1/workflows?workspace=bobs&name=gone')).status).toBe(200)
    expect(await names(bob.call)).not.toContain('bobs:gone')
  })

  it('refuses while executions of it are kept, naming how many (conflict), and keeps the workflow', async () => {
    const { body } = await t.call('POST', '/api/v1/workflows', { text: flow('ran') })
    const run = await t.call('POST', '/api/v1/workflows/submit', { descriptorId: body.descriptorId, context: {} })
    expect(run.status).toBe(201)
    await waitForStatus(t, run.body.jobId, ['succeeded'])
    const refused = await t.call('DELETE', '/api/v1/workflows?workspace=ran&name=gone')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('workflow_has_executions')
    expect(refused.body.error.message).toContain('1 execution')
    expect(await names(t.call)).toContain('ran:gone')
    // with the execution deleted, the workflow may go
    expect((await t.call('DELETE', `/api/v1/jobs/${run.body.jobId}`)).status).toBe(200)
    expect((await t.call('DELETE', '/api/v1/workflows?workspace=ran&name=gone')).status).toBe(200)
    expect(await names(t.call)).not.toContain('ran:gone')
  })
})
