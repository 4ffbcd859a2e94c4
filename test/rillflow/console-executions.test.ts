// The executions page and the execution graph of rill-flow-ui (#10): get_execution_ids (paged,
// filtered, only the caller's own), get_execution (get.json's view in {data, message, success} with
// trace_url), dag_invoke_msg.invoke_time_infos from the start, type=key_succeed, unknown /flow routes.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { addUser } from '../support/users'
import { rillSuite, type RillSuite } from '../workflows/support/rill-suite'
import { consoleLogin, type ConsoleClient } from './support'

const suite = rillSuite({ sampleExecutor: false, token: true }) // two more users: a Rill Flow call needs its token
let t: TestApp
let rill: RillSuite['rill']
let admin: ConsoleClient
let ann: ConsoleClient
let bob: ConsoleClient
const ids: Record<string, string> = {}

const PASS = (ws: string, dag: string) => `workspace: ${ws}\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: a, outputMappings: [{source: $.context.x, target: $.context.y}]}\n`
// waits until woken: an execution that stays running
const WAIT = 'workspace: shop\ndagName: wait\ntype: flow\ntasks:\n  - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n'

async function submit(c: ConsoleClient, descriptorId: string, context: object = {}): Promise<string> {
  const r = await c.micro('POST', `/flow/submit.json?descriptor_id=${descriptorId}`, context)
  if (r.status !== 200) throw new Error(`submit: ${JSON.stringify(r.body)}`)
  return r.body.execution_id
}

beforeAll(async () => {
  ;({ t, rill } = suite)
  admin = await consoleLogin(t, 'admin', '73@TuGraph')
  ann = await consoleLogin(t, 'ann', (await addUser(t, 'ann')).password)
  bob = await consoleLogin(t, 'bob', (await addUser(t, 'bob')).password)
  // a workflow is its author's (and admins'): each user runs their own (test/rillflow/workflow-owners.test.ts)
  const add = async (c: ConsoleClient, text: string) =>
    expect((await c.micro('POST', '/flow/bg/manage/descriptor/add_descriptor.json', text, 'text/plain')).status).toBe(200)
  for (const text of [PASS('shop', 'order'), PASS('shop', 'refund'), WAIT]) await add(ann, text)
  await add(bob, PASS('shop', 'cart'))
  await rill.addDescriptor(PASS('ops', 'backup'))
  ids.ann1 = await submit(ann, 'shop:order', { x: 1 })
  ids.ann2 = await submit(ann, 'shop:refund', { x: 2 })
  ids.annWait = await submit(ann, 'shop:wait')
  ids.bob1 = await submit(bob, 'shop:cart', { x: 3 })
  ids.admin1 = await submit(admin, 'ops:backup', { x: 4 })
  for (const id of [ids.ann1, ids.ann2, ids.bob1, ids.admin1]) await rill.finished(id)
})

const list = (c: ConsoleClient, query = '') => c.call('GET', `/flow/bg/get_execution_ids.json?current=1${query}`)

describe('get_execution_ids.json: the executions page', () => {
  it('lists a user’s own executions only, newest first, with the fields the table reads', async () => {
    const r = await list(ann, '&page=1&pageSize=10')
    expect(r.status).toBe(200)
    expect(r.body.total).toBe(3)
    expect(r.body.items.map((i: any) => i.execution_id)).toEqual([ids.annWait, ids.ann2, ids.ann1])
    expect(r.body.items[1]).toEqual({ id: 2, execution_id: ids.ann2, submit_time: expect.any(Number), business_id: 'shop', feature_id: 'refund', status: 'succeed' })
    expect(r.body.items[0].status).toBe('running')
    // bob sees his one; the admin sees everyone's
    expect((await list(bob)).body.items.map((i: any) => i.execution_id)).toEqual([ids.bob1])
    expect((await list(admin)).body.total).toBe(5)
  })

  it('pages with page and pageSize and keeps the total', async () => {
    const p2 = await list(admin, '&page=2&pageSize=2')
    expect(p2.body.total).toBe(5)
    expect(p2.body.items.map((i: any) => i.execution_id)).toEqual([ids.annWait, ids.ann2])
    expect(p2.body.items.map((i: any) => i.id)).toEqual([3, 4])
    expect((await list(admin, '&page=4&pageSize=2')).body).toEqual({ items: [], total: 5 })
  })

  it('filters by business, feature, status and time; blank filters are none', async () => {
    const names = async (q: string) => (await list(admin, q)).body.items.map((i: any) => i.execution_id)
    expect(await names('&business=shop')).toEqual([ids.bob1, ids.annWait, ids.ann2, ids.ann1])
    expect(await names('&business=shop&feature=order')).toEqual([ids.ann1])
    expect(await names('&business=shop&status=running')).toEqual([ids.annWait])
    expect(await names('&status=succeed&business=ops')).toEqual([ids.admin1])
    expect(await names('&status=key_succeed')).toEqual([]) // upstream's DAGStatus value; JobDesk has no key mode
    expect((await list(admin, '&business=&feature=&status=&id=')).body.total).toBe(5)
    const all = (await list(admin)).body.items
    const cut = all.find((i: any) => i.execution_id === ids.annWait).submit_time
    expect(await names(`&startTime=${cut}`)).toEqual(all.filter((i: any) => i.submit_time > cut).map((i: any) => i.execution_id))
    expect(await names(`&endTime=${cut - 1}`)).toEqual(all.filter((i: any) => i.submit_time < cut).map((i: any) => i.execution_id))
  })

  it('finds one execution by id (the search form’s execution_id too), never another user’s', async () => {
    expect((await list(ann, `&id=${encodeURIComponent(ids.ann1)}`)).body).toEqual({
      items: [{ id: 1, execution_id: ids.ann1, submit_time: expect.any(Number), business_id: 'shop', feature_id: 'order', status: 'succeed' }],
      total: 1,
    })
    expect((await list(ann, `&execution_id=${encodeURIComponent(ids.ann1)}`)).body.total).toBe(1)
    expect((await list(ann, `&id=${encodeURIComponent(ids.bob1)}`)).body).toEqual({ items: [], total: 0 })
    expect((await list(admin, `&id=${encodeURIComponent(ids.bob1)}`)).body.total).toBe(1)
    expect((await list(ann, '&id=shop:order_c_00000000-0000-0000-0000-000000000000')).body).toEqual({ items: [], total: 0 })
  })

  it('refuses malformed filters and paging in Rill Flow’s error body, naming the parameter', async () => {
    for (const [query, name, status] of [
      ['&page=two', 'page', 422],
      ['&pageSize=0', 'pageSize', 422],
      ['&pageSize=9999', 'pageSize', 422],
      ['&startTime=yesterday', 'startTime', 422],
      ['&endTime=1e12', 'endTime', 422],
      ['&status=done', 'status', 422],
      ['&status=__proto__', 'status', 422],
    ] as const) {
      const r = await list(admin, query)
      expect({ query, status: r.status }).toEqual({ query, status })
      expect(r.body).toMatchObject({ error_code: 30109, error: expect.stringContaining(name) })
    }
  })
})

describe('get_execution.json: an execution for the graph display', () => {
  it('wraps get.json’s view in {data, message, success} with trace_url and dag_invoke_msg', async () => {
    const r = await ann.micro('GET', `/flow/bg/get_execution.json?id=${encodeURIComponent(ids.ann1)}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ message: '', success: true })
    const d = r.body.data
    expect(d).toMatchObject({ execution_id: ids.ann1, dag_status: 'SUCCEED', process: 100, workspace: 'shop', dag_name: 'order', trace_url: '' })
    expect(d.context).toMatchObject({ x: 1, y: 1 })
    expect(d.tasks.a).toMatchObject({ name: 'a', status: 'SUCCEEDED', next: [], task: { category: 'pass' } })
    const [time] = d.dag_invoke_msg.invoke_time_infos
    expect(time.start_time).toEqual(expect.any(Number))
    expect(time.end_time).toBeGreaterThanOrEqual(time.start_time)
    expect(d.dag_invoke_msg.msg).toBeNull()
  })

  it('has dag_invoke_msg.invoke_time_infos from the start, also in get.json (end_time null while it runs)', async () => {
    const shown = (await ann.micro('GET', `/flow/bg/get_execution.json?id=${encodeURIComponent(ids.annWait)}`)).body.data
    expect(shown.dag_status).toBe('RUNNING')
    expect(shown.dag_invoke_msg.invoke_time_infos).toEqual([{ start_time: expect.any(Number), end_time: null }])
    const ret = await rill.get(ids.annWait)
    expect(ret.dag_invoke_msg.invoke_time_infos).toEqual([{ start_time: expect.any(Number), end_time: null }])
  })

  it('keeps another user’s execution out of reach; answers missing and unknown ids in the error body', async () => {
    // another user's execution answers as an unknown one (#9 §3)
    const other = await bob.call('GET', `/flow/bg/get_execution.json?id=${encodeURIComponent(ids.ann1)}`)
    expect(other).toMatchObject({ status: 500, body: { error_code: 30605, error: `validateDAGInfo dag executionId:${ids.ann1} not found` } })
    expect(other.body).not.toHaveProperty('data')
    expect(await ann.call('GET', '/flow/bg/get_execution.json')).toMatchObject({ status: 422, body: { error_code: 30109, error: expect.stringContaining("'id'") } })
    expect(await ann.call('GET', '/flow/bg/get_execution.json?id=nope')).toMatchObject({ status: 400, body: { error_code: 30109 } })
    const unknown = encodeURIComponent('shop:order_c_00000000-0000-0000-0000-000000000000')
    expect(await ann.call('GET', `/flow/bg/get_execution.json?id=${unknown}`)).toMatchObject({ status: 500, body: { error_code: 30605 } })
  })
})

describe('the rest of the Rill Flow surface the UI touches', () => {
  it('get_execution_ids.json (the API form) accepts type=key_succeed', async () => {
    const r = await rill.call('GET', '/flow/get_execution_ids.json?service_id=shop:order&type=key_succeed')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ execution_ids: [], type: 'key_succeed', current_page: 1, next_page_available: false })
    const count = await rill.call('GET', '/flow/get_execution_count.json?service_id=shop:order')
    expect(count.body.dag).toEqual({ not_started: 0, running: 0, succeed: 1, failed: 0 })
    expect((await rill.call('GET', '/flow/get_execution_count.json?service_id=shop:order&type=key_succeed')).body.dag).toEqual({ key_succeed: 0 })
  })

  it('answers unknown /flow/… routes in Rill Flow’s error body, which the UI’s request hook reads', async () => {
    for (const [method, path] of [
      ['GET', '/flow/bg/get_nothing.json'],
      ['POST', '/flow/template/delete_everything.json'],
      ['GET', '/flow/no/such/thing'],
    ] as const) {
      const r = await admin.call(method, path)
      expect({ path, status: r.status }).toEqual({ path, status: 404 })
      expect(r.body).toEqual({ error_code: expect.any(Number), error: expect.stringContaining('no route') })
    }
  })
})
