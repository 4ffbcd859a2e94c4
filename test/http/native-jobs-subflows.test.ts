// Sub-flows in the jobs list (#9, new-user LOW): a Rill Flow execution's flow_sync tasks each start a
// job, and the Jobs page listed them all as top-level rows, with nothing saying whose sub-flow each was.
// The list tells each job's parent (`parentJobId`) and a parent's number of sub-flows (`subflowCount`),
// and `parent` keeps the top-level jobs (`none`), one job's sub-flows (its id) or all (`all`, the default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { addFlow } from '../support/workflows'

let t: TestApp
let sam: TestUser
let parent: number
let children: number[]
let plain: number
beforeAll(async () => {
  t = await startTestApp()
  sam = await addUser(t, 'sam', { rights: ['scripts'] })
  await addFlow(sam, 'sf', 'one', 'workspace: sf\ndagName: one\ntype: flow\ntasks:\n  - {category: pass, name: only}\n')
  const sub = (name: string, next?: string) => `  - {category: function, name: ${name}, resourceName: "rillflow://sf:one", pattern: flow_sync${next ? `, next: ${next}` : ''}}\n`
  await addFlow(sam, 'sf', 'par', `workspace: sf\ndagName: par\ntype: flow\ntasks:\n${sub('a', 'b')}${sub('b', 'c')}${sub('c')}`)
  const r = await sam.call('POST', '/flow/submit.json?descriptor_id=sf:par', {})
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  parent = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!.id
  expect((await waitForStatus(t, parent, ['succeeded', 'failed'])).status).toBe('succeeded')
  children = t.app.store.db.prepare<[number], number>('SELECT id FROM jobs WHERE parent_job_id = ? ORDER BY id').pluck().all(parent)
  expect(children).toHaveLength(3)
  const job = await sam.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'true' })
  plain = job.body.id
  await waitForStatus(t, plain, ['succeeded', 'failed'])
}, 60_000)
afterAll(() => t?.close())

const ids = (body: { items: { id: number }[] }) => body.items.map((j) => j.id)

describe('native API: sub-flows in the jobs list', () => {
  it('lists every job by default, as before, each naming its parent and counting its sub-flows', async () => {
    const all = await sam.call('GET', '/api/v1/jobs')
    expect(all.status).toBe(200)
    expect(ids(all.body)).toEqual([plain, ...[...children].reverse(), parent])
    expect(all.body.total).toBe(5)
    const byId = new Map(all.body.items.map((j: { id: number }) => [j.id, j]))
    expect(byId.get(parent)).toMatchObject({ parentJobId: null, subflowCount: 3 })
    for (const c of children) expect(byId.get(c)).toMatchObject({ parentJobId: parent, subflowCount: 0 })
    expect(byId.get(plain)).toMatchObject({ parentJobId: null, subflowCount: 0 })
    expect((await sam.call('GET', '/api/v1/jobs?parent=all')).body).toEqual(all.body)
  })

  it('parent=none lists only top-level jobs, and counts only them', async () => {
    const top = await sam.call('GET', '/api/v1/jobs?parent=none')
    expect(top.status).toBe(200)
    expect(ids(top.body)).toEqual([plain, parent])
    expect(top.body.total).toBe(2)
    expect(top.body.items[1]).toMatchObject({ id: parent, subflowCount: 3 })
    // with the other filters and sorts too
    expect(ids((await sam.call('GET', '/api/v1/jobs?parent=none&type=workflow&sort=name&order=asc')).body)).toEqual([parent])
  })

  it('parent=none still finds a sub-flow searched for by its id or uuid (exact matches list first)', async () => {
    const child = (await sam.call('GET', `/api/v1/jobs/${children[1]}`)).body
    for (const text of [String(child.id), `#${child.id}`, child.uuid]) {
      const found = await sam.call('GET', `/api/v1/jobs?parent=none&text=${encodeURIComponent(text)}`)
      // first; after it the top-level jobs whose name or uuid holds the text (an id's digits may be in a uuid)
      expect(ids(found.body)[0], text).toBe(child.id)
      expect(ids(found.body).filter((id) => children.includes(id)), text).toEqual([child.id])
    }
    expect(ids((await sam.call('GET', `/api/v1/jobs?parent=none&text=${child.uuid}`)).body)).toEqual([child.id])
    // a substring of names matches top-level jobs only
    expect(ids((await sam.call('GET', '/api/v1/jobs?parent=none&text=sf%3A')).body)).toEqual([parent])
  })

  it('parent=<id> lists that job’s sub-flows', async () => {
    const subs = await sam.call('GET', `/api/v1/jobs?parent=${parent}&order=asc`)
    expect(subs.status).toBe(200)
    expect(ids(subs.body)).toEqual(children)
    expect(subs.body.total).toBe(3)
    expect((await sam.call('GET', `/api/v1/jobs?parent=${plain}`)).body).toEqual({ items: [], total: 0 })
  })

  it('a sub-flow’s detail names its parent', async () => {
    const detail = await sam.call('GET', `/api/v1/jobs/${children[0]}`)
    expect(detail.body).toMatchObject({ parentJobId: parent, parentName: 'sf:par', subflowCount: 0 })
    expect((await sam.call('GET', `/api/v1/jobs/${parent}`)).body).toMatchObject({ parentJobId: null, parentName: null, subflowCount: 3 })
  })

  it('refuses a parent that is neither none, all nor a job id, naming the field', async () => {
    for (const bad of ['abc', '0', '-1', '1.5', 'NONE', '99999999999999999999']) {
      const r = await sam.call('GET', `/api/v1/jobs?parent=${encodeURIComponent(bad)}`)
      expect(r.status, bad).toBe(400)
      expect(r.body.error, bad).toMatchObject({ kind: 'invalid', field: 'parent' })
    }
  })

  it('another user sees none of them, whatever parent asks', async () => {
    const eve = await addUser(t, 'eve')
    expect((await eve.call('GET', `/api/v1/jobs?parent=${parent}`)).body).toEqual({ items: [], total: 0 })
    expect((await eve.call('GET', '/api/v1/jobs?parent=none')).body).toEqual({ items: [], total: 0 })
  })
})
