// The DAG-completion callback, and who may call the Rill Flow API from where.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import type { rillClient } from './support/rill-client'
import type { SampleExecutor } from './support/sample-executor'
import { rillSuite } from './support/rill-suite'
import { traversal } from './support/traversal'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

describe('DAG-completion callback (rillflow.md §4.3)', () => {
  it('posts the mapped context, status and full context when the execution ends', async () => {
    const yaml = `
workspace: cb
dagName: done
type: flow
callback:
  resourceName: ${exec.url}/dag_done.json
  fullContext: true
  inputMappings:
    - {source: $.context.order, target: $.input.order_id}
tasks:
  - {category: pass, name: a, outputMappings: [{source: shipped, target: $.context.state}]}
`
    const id = await rill.submit(await rill.addDescriptor(yaml), { order: 42 })
    await rill.finished(id)
    await expect.poll(() => exec.calls.filter((c) => c.path === '/dag_done.json').length).toBe(1)
    const call = exec.calls.find((c) => c.path === '/dag_done.json')!
    expect(call.body).toEqual({ order_id: 42, execution_id: id, dag_status: 'succeed', data: { order: 42, state: 'shipped', flow_execution_id: id } })
  })

  it('a failed execution reports its failed tasks; the submit parameter overrides the descriptor', async () => {
    const yaml = `
workspace: cb
dagName: broken
type: flow
tasks:
  - {category: function, name: a, pattern: task_sync, resourceName: ${exec.url}/greet.json}
`
    const descriptor = await rill.addDescriptor(yaml)
    const callback = encodeURIComponent(JSON.stringify({ resourceName: `${exec.url}/dag_done.json?via=param` }))
    const r = await rill.call('POST', `/flow/submit.json?descriptor_id=${descriptor}&callback=${callback}`, {})
    await rill.finished(r.body.execution_id)
    await expect.poll(() => exec.calls.filter((c) => c.query.via === 'param').length).toBe(1)
    const body = exec.calls.find((c) => c.query.via === 'param')!.body as Record<string, any>
    expect(body).toMatchObject({ execution_id: r.body.execution_id, dag_status: 'failed' })
    expect(body.error_info.failed_tasks_invoke_info.a.msg).toBe('params user is null')
    const bad = await rill.call('POST', `/flow/submit.json?descriptor_id=${descriptor}&callback=notjson`, {})
    expect(bad.body.error_code).toBe(30109)
  })
})

describe('completion callback URLs (#9.1: file:, javascript: and data: URLs were accepted at submit)', () => {
  const schemes = ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hello', 'ftp://127.0.0.1/done', '127.0.0.1:8080/done']

  it('refuses a submit callback that is not an http(s) URL, naming callback.resourceName; no execution starts', async () => {
    const descriptor = await rill.addDescriptor('workspace: cb\ndagName: plain\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const before = t.app.store.jobs.list({}).total
    for (const resourceName of schemes) {
      const callback = encodeURIComponent(JSON.stringify({ resourceName }))
      const r = await rill.call('POST', `/flow/submit.json?descriptor_id=${descriptor}&callback=${callback}`, {})
      expect(r.status, resourceName).toBe(400)
      expect(r.body).toMatchObject({ error_code: 30109, pass_through: true })
      expect(r.body.error).toBe(`callback.resourceName: callback resourceName "${resourceName}" is not an http(s) URL`)
    }
    expect(t.app.store.jobs.list({}).total).toBe(before)
    const ok = encodeURIComponent(JSON.stringify({ resourceName: `${exec.url}/dag_done.json?via=https-check` }))
    expect((await rill.call('POST', `/flow/submit.json?descriptor_id=${descriptor}&callback=${ok}`, {})).status).toBe(200)
  })

  it('refuses a descriptor whose callback is not an http(s) URL, naming its line', async () => {
    for (const resourceName of schemes) {
      const yaml = `workspace: cb\ndagName: scheme\ntype: flow\ncallback:\n  resourceName: "${resourceName}"\ntasks:\n  - {category: pass, name: a}\n`
      const r = await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')
      expect(r.status, resourceName).toBe(400)
      expect(r.body.error).toContain(`callback resourceName "${resourceName}" is not an http(s) URL (line 5)`)
    }
  })
})

describe('who may call the Rill Flow API', () => {
  const host = () => new URL(t.url).host
  const inject = (url: string, extra: { headers?: Record<string, string>; payload?: object } = {}) =>
    t.app.server.inject({ method: 'POST', url, remoteAddress: '192.0.2.10', headers: { host: host(), ...(extra.headers ?? {}) }, payload: extra.payload ?? {} })

  it('from another machine: a bearer token, or a callback URL signed by JobDesk', async () => {
    await rill.addDescriptor('workspace: sec\ndagName: wait\ntype: flow\ntasks:\n  - {category: function, name: a, pattern: task_scheduler, resourceName: ' + exec.url + '/accept.json}\n')
    const anonymous = await inject('/flow/submit.json?descriptor_id=sec:wait')
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json()).toMatchObject({ error_code: 30104 })
    const withToken = await inject('/flow/submit.json?descriptor_id=sec:wait', { headers: { authorization: `Bearer ${t.token}` } })
    expect(withToken.statusCode).toBe(200)
    const id = withToken.json().execution_id as string
    const h = traversal(t, rill, exec)
    await expect.poll(() => h.dispatched(id, 'a').length).toBe(1)
    const signed = String(exec.calls.find((c) => c.query.execution_id === id)!.headers['x-callback-url'])
    const path = signed.slice(signed.indexOf('/flow/'))
    const forged = await inject(path.replace(/sign=[^&]+/, 'sign=forged'))
    expect(forged.statusCode).toBe(401)
    const good = await inject(path, { payload: { result_type: 'SUCCESS' } })
    expect(good.statusCode).toBe(200)
    expect((await rill.finished(id)).dag_status).toBe('SUCCEED')
  })
})
