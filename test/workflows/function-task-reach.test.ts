// Where a Rill Flow function task's HTTP call may go (executors/outgoing-http.ts). JobDesk makes the
// call, from this computer; the user chooses URL, headers and body and reads the answer. So (1) JobDesk's
// own calls are never "this computer" to its own server (atk38b: a function task signed in as admin with
// the default password, which works from loopback only), and (2) a task of a user who is not an admin
// may not reach loopback, link-local (cloud metadata) or unspecified addresses, checked on the address
// connected to (a name that resolves there, a redirect there); an admin's tasks may.
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { localService } from './support/answer-server'

const UNFINISHED = ['NOT_STARTED', 'READY', 'RUNNING']
const server = localService((req, res) => {
  if (!req.url!.startsWith('/hop')) return false
  res.writeHead(302, { location: `http://127.0.0.1:${server.port}/secret` }).end()
  return true
})
const hits = server.hits

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 60_000)
afterAll(() => t.close())

/** Runs a one-task flow calling `url` as `call`'s user: the execution's dag_status, its context and the task's error. */
async function runFunction(call: TestApp['call'], name: string, url: string, context: Record<string, unknown> = {}) {
  const descriptor = `workspace: reach
dagName: ${name}
type: flow
tasks:
  - category: function
    name: callIt
    pattern: task_sync
    resourceName: ${url}
    inputMappings:
      - {source: $.context.u, target: $.input.username}
      - {source: $.context.p, target: $.input.password}
    outputMappings:
      - {source: $.output, target: $.context.got}
`
  const added = await call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=reach&feature_name=${name}&alias=release`, descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const submitted = await call('POST', `/flow/submit.json?descriptor_id=reach:${name}`, context)
  const executionId = submitted.body.execution_id as string
  expect(executionId, JSON.stringify(submitted.body)).toBeTruthy()
  const end = Date.now() + 30_000
  for (;;) {
    const ret = (await call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).body.ret
    if (ret?.dag_status && !UNFINISHED.includes(ret.dag_status)) {
      const task = ret.tasks?.[`callIt`] ?? Object.values(ret.tasks ?? {})[0]
      return { status: ret.dag_status as string, context: ret.context as Record<string, any>, error: JSON.stringify(task ?? ret) }
    }
    if (Date.now() > end) throw new Error(`execution ${executionId} stayed ${ret?.dag_status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('a function task of a user who is not an admin', () => {
  it.each([
    ['loopback by address', () => `http://127.0.0.1:${server.port}/secret`, '127.0.0.1'],
    ['loopback by name', () => `http://localhost:${server.port}/secret`, 'localhost'],
    ['cloud metadata (link-local)', () => 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['the unspecified address', () => `http://0.0.0.0:${server.port}/secret`, '0.0.0.0'],
    ['IPv6 loopback', () => `http://[::1]:${server.port}/secret`, '::1'],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${server.port}/secret`, '::ffff:7f00:1'],
    ['IPv4-mapped metadata', () => 'http://[::ffff:169.254.169.254]/latest/meta-data/', '::ffff:a9fe:a9fe'],
    ['IPv6 link-local', () => `http://[fe80::1]:${server.port}/secret`, 'fe80::1'],
    ['Alibaba Cloud metadata', () => 'http://100.100.100.200/latest/meta-data/', '100.100.100.200'],
    ['AWS IPv6 metadata', () => 'http://[fd00:ec2:0::254]/latest/meta-data/', 'fd00:ec2::254'],
  ])('may not call %s: the task fails naming the host, the server hears nothing', async (label, url, host) => {
    const before = hits.length
    const run = await runFunction(bob.call, `b${label.replace(/\W/g, '')}`, url())
    expect(run.status).toBe('FAILED')
    expect(run.error).toContain(host)
    expect(run.error).toContain('may not call it')
    expect(run.context.got).toBeUndefined()
    expect(hits.length).toBe(before)
  })

  const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address
  it.skipIf(!lan)("may not call this computer through its LAN address, nor be redirected from there", async () => {
    // a server on every interface that would redirect to loopback: its LAN address is this computer too (atk40)
    const { createServer } = await import('node:http')
    const hop = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${server.port}/secret` }).end())
    await new Promise<void>((ok) => hop.listen(0, '0.0.0.0', ok))
    try {
      const before = hits.length
      const run = await runFunction(bob.call, 'redirected', `http://${lan}:${(hop.address() as { port: number }).port}/hop`)
      expect(run.status).toBe('FAILED')
      expect(run.error).toContain(`${lan}, one of this computer's own addresses`)
      expect(hits.length).toBe(before)
    } finally {
      hop.close()
    }
  })
})

describe('the completion callback of a user who is not an admin', () => {
  it('is not sent to this computer: the execution’s log says why, the server hears nothing', async () => {
    const descriptor = `workspace: reach\ndagName: cb\ntype: flow\ncallback:\n  resourceName: http://127.0.0.1:${server.port}/done\ntasks:\n  - {category: pass, name: a}\n`
    expect((await bob.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=reach&feature_name=cb&alias=release', descriptor, { 'content-type': 'text/plain' })).status).toBe(200)
    const before = hits.length
    const submitted = await bob.call('POST', '/flow/submit.json?descriptor_id=reach:cb', {})
    const job = (await bob.call('GET', '/api/v1/jobs?limit=1')).body.items[0]
    expect(submitted.status).toBe(200)
    let text = ''
    for (const end = Date.now() + 30_000; !text.includes('completion callback'); ) {
      if (Date.now() > end) throw new Error(`no completion callback line: ${text}`)
      await new Promise((r) => setTimeout(r, 100))
      text = JSON.stringify((await bob.call('GET', `/api/v1/jobs/${job.id}/logs`)).body)
    }
    expect(text).toContain('127.0.0.1, a loopback address')
    expect(hits.length).toBe(before)
  })
})

describe('a function task of an admin', () => {
  it('calls loopback as before', async () => {
    const run = await runFunction(t.call, 'adminLoopback', `http://127.0.0.1:${server.port}/secret`)
    expect(run.status).toBe('SUCCEED')
    expect(run.context.got).toEqual({ secret: 'only for this computer' })
  })

  it('is not this computer to JobDesk: its call to JobDesk’s own sign-in with the default password is refused', async () => {
    const run = await runFunction(t.call, 'ownLogin', `${t.url}/api/v1/login`, { u: 'admin', p: '73@TuGraph' })
    expect(run.status).toBe('FAILED')
    expect(run.error).toContain('403')
    expect(run.context.got).toBeUndefined()
    // the same sign-in from this computer still works (an API client here)
    expect((await t.call('POST', '/api/v1/login', { username: 'admin', password: '73@TuGraph' })).status).toBe(200)
  })
})
