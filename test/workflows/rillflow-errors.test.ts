// Bad input through the Rill Flow API gets upstream's error body ({error_code, error}) and status,
// naming the task, field and YAML line; nothing is stored for it.
import { createServer, type AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import type { TestApp } from '../support/app'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const add = (yaml: string, query = '') => rill.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json${query}`, yaml, 'text/plain')

describe('add_descriptor.json rejects bad descriptors with the line', () => {
  it.each([
    [
      'a cycle',
      'workspace: ws\ndagName: cyc\ntype: flow\ntasks:\n  - {category: pass, name: a, next: b}\n  - {category: pass, name: b, next: a}\n',
      /cycle found: (a -> b -> a|b -> a -> b) \(line [56]\)/,
    ],
    ['an unknown next', 'workspace: ws\ndagName: nxt\ntype: flow\ntasks:\n  - category: pass\n    name: a\n    next: nowhere\n', /nowhere.*line 7/],
    ['a bad task name', 'workspace: ws\ndagName: bad\ntype: flow\ntasks:\n  - category: pass\n    name: a_b\n', /a_b.*line 6/],
    ['malformed YAML', 'workspace: ws\ndagName: [unclosed\ntasks: x\n', /invalid YAML.*line [23]/],
    ['an unknown category', 'workspace: ws\ndagName: cat\ntype: flow\ntasks:\n  - category: teleport\n    name: a\n', /teleport.*line 5/],
    ['a function without pattern', 'workspace: ws\ndagName: fn\ntype: flow\ntasks:\n  - category: function\n    name: a\n    resourceName: http://x\n', /pattern/],
  ])('%s', async (_what, yaml, message) => {
    const r = await add(yaml)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error_code: 30110, pass_through: true })
    expect(r.body.error).toMatch(message)
  })

  it('an empty body, and a business_id that is not the descriptor’s', async () => {
    expect((await add('')).body).toMatchObject({ error_code: 30110, error: 'dag descriptor empty.' })
    const r = await add('workspace: ws\ndagName: one\ntype: flow\ntasks:\n  - {category: pass, name: a}\n', '?business_id=other')
    expect(r.status).toBe(400)
    expect(r.body.error).toMatch(/^name not match/)
    expect(t.app.store.workflows.list()).toEqual([])
  })
})

describe('runtime endpoints', () => {
  it('submit.json with a malformed or unknown descriptor_id', async () => {
    const bad = await rill.call('POST', '/flow/submit.json?descriptor_id=nocolon', {})
    expect(bad).toEqual({ status: 400, body: { error_code: 30109, error: 'dagDescriptorId:nocolon format error', pass_through: true } })
    const unknown = await rill.call('POST', '/flow/submit.json?descriptor_id=ws:nothing', {})
    expect(unknown).toEqual({ status: 400, body: { error_code: 30106, error: 'alias release value empty: no workflow ws:nothing (alias release)' } })
    const missing = await rill.call('POST', '/flow/submit.json', {})
    expect(missing.status).toBe(422)
    expect(missing.body).toMatchObject({ error_code: 30109, error: "Required request parameter 'descriptor_id' for method parameter type String is not present" })
  })

  it('submit.json with a body that is not a JSON object', async () => {
    await add('workspace: ws\ndagName: ok\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    expect((await rill.call('POST', '/flow/submit.json?descriptor_id=ws:ok', '[1,2]')).body.error_code).toBe(30109)
    expect((await rill.call('POST', '/flow/submit.json?descriptor_id=ws:ok', '{"broken": ')).status).toBe(422)
  })

  it('get.json of an unknown execution answers 200 with tasks "{}", as upstream', async () => {
    const r = await rill.call('GET', '/flow/get.json?execution_id=ws:ok_c_00000000-0000-0000-0000-000000000000')
    expect(r).toEqual({ status: 200, body: { ret: { tasks: '{}', context: {}, invoke_summary: {} } } })
  })

  it('finish.json on unknown executions, finished ones and tasks not waiting', async () => {
    const unknown = await rill.call('POST', '/flow/finish.json?execution_id=ws:ok_c_00000000-0000-0000-0000-000000000000&task_name=a', {})
    expect(unknown).toEqual({ status: 500, body: { error_code: 30605, error: 'validateDAGInfo dag executionId:ws:ok_c_00000000-0000-0000-0000-000000000000 not found' } })
    const id = await rill.submit('ws:ok', {})
    await rill.finished(id)
    const done = await rill.call('POST', `/flow/finish.json?execution_id=${encodeURIComponent(id)}&task_name=a`, {})
    expect(done).toEqual({ status: 500, body: { error_code: 30601, error: `validateDAGInfo dag executionId:${id} is finished` } })
  })

  it('get_context.json without an id answers upstream’s code -1', async () => {
    expect((await rill.call('GET', '/flow/get_context.json')).body).toEqual({ code: -1, msg: 'executionId is empty!' })
  })

  it('refuses Rill Flow calls from a foreign web page (Origin)', async () => {
    const host = new URL(t.url).host
    const r = await t.app.server.inject({ method: 'POST', url: '/flow/submit.json?descriptor_id=ws:ok', headers: { host, origin: 'https://evil.example' }, payload: {} })
    expect(r.statusCode).toBe(403)
    expect(r.json()).toMatchObject({ error_code: 30108 })
  })
})

describe('a function task that cannot connect (newuser4 #10)', () => {
  it('says why and where, not only "fetch failed"; without the URL’s query', async () => {
    const port = await closedPort()
    await add(`workspace: ws\ndagName: unreachable\ntype: flow\ntasks:\n  - {category: function, name: call, pattern: task_sync, resourceName: "http://127.0.0.1:${port}/never?token=secret"}\n`)
    const executionId = await rill.submit('ws:unreachable')
    const ret = await rill.finished(executionId)
    expect(ret.dag_status).toBe('FAILED')
    const expected = `dispatchTask http fails: connect ECONNREFUSED 127.0.0.1:${port} (POST http://127.0.0.1:${port}/never)`
    expect(ret.tasks.call.invoke_msg.msg).toBe(expected)
    const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!
    expect(job.error).toContain(expected) // the job's error, as the Jobs page and every other view show it
    const log = t.app.store.logs.read(job.id, 0, 100).lines.map((l) => l.text).join('\n')
    expect(ret.dag_invoke_msg.msg).toBe(`task call: ${expected}`)
    expect(log).toContain(expected)
    expect(`${job.error} ${log}`).not.toContain('secret') // (the descriptor itself, in get.json's task, keeps its URL)
  })
})

/** A loopback port nothing listens on (one the OS just gave out and took back). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  await new Promise((ok) => server.close(ok))
  return port
}
