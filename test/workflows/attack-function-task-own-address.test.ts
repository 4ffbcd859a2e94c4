// atk40: sec8 keeps a function task of a user who is not an admin from this computer by the kind of
// address it connects to (executors/outgoing-http.ts refusedAddressKind: loopback, link-local,
// unspecified). But this computer has other addresses: each of its interfaces' (a LAN address, a
// docker bridge's 172.17.0.1, an IPv6 ULA or global one). A connection to one of them is made to this
// computer as surely as one to 127.0.0.1, and reaches every service on it that listens on all
// interfaces (0.0.0.0 or ::), as databases and dev servers often do:
// bob's task reads its answer, from this computer, where the firewall that keeps the LAN out is not.
import { createServer } from 'node:http'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const UNFINISHED = ['NOT_STARTED', 'READY', 'RUNNING']
const hits: string[] = []
// a service of this computer that listens on every interface
const service = createServer((req, res) => {
  hits.push(req.url!.split('?')[0])
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ secret: 'only for this computer' }))
})
let port = 0

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  await new Promise<void>((ok) => service.listen(0, '0.0.0.0', ok))
  port = (service.address() as { port: number }).port
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 60_000)
afterAll(async () => {
  service.close()
  await t.close()
})

/** Runs, as bob, a one-task flow calling `url`: the execution's dag_status, its context and the task. */
async function runAsBob(name: string, url: string) {
  const descriptor = `workspace: own\ndagName: ${name}\ntype: flow\ntasks:\n  - category: function\n    name: callIt\n    pattern: task_sync\n    resourceName: ${url}\n    outputMappings:\n      - {source: $.output, target: $.context.got}\n`
  const added = await bob.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=own&feature_name=${name}&alias=release`, descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const submitted = await bob.call('POST', `/flow/submit.json?descriptor_id=own:${name}`, {})
  const executionId = submitted.body.execution_id as string
  expect(executionId, JSON.stringify(submitted.body)).toBeTruthy()
  for (const end = Date.now() + 30_000; ; ) {
    const ret = (await bob.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).body.ret
    if (ret?.dag_status && !UNFINISHED.includes(ret.dag_status)) return { status: ret.dag_status as string, context: ret.context as Record<string, unknown>, task: JSON.stringify(ret.tasks) }
    if (Date.now() > end) throw new Error(`execution ${executionId} stayed ${ret?.dag_status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const own = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address

describe('a function task of a user who is not an admin', () => {
  it.skipIf(!own)(`may not call this computer by one of its interfaces' addresses (${own})`, async () => {
    const run = await runAsBob('ownAddress', `http://${own}:${port}/secret`)
    expect(hits, `bob's task reached this computer's service at ${own}:${port} and read ${JSON.stringify(run.context.got)}`).toEqual([])
    expect(run.status).toBe('FAILED')
    expect(run.context.got).toBeUndefined()
  })
})
