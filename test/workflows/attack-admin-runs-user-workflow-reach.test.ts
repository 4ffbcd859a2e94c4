// Attack (#9 §3, atk40 lesser): where the HTTP calls of a Rill Flow execution may go was decided by its
// submitter alone (outgoing-http.ts CallerReach), so an admin who reran a user's execution, or ran a
// workflow the user stored, gave the user's function tasks and completion callback an admin's reach:
// bob's descriptor (its resourceName, its callback) read a service only this computer may reach. The
// calls are bob's choices whoever presses run: they go no further than the stricter of the two
// (the workflow's owner and the submitter), as they would had bob run them himself.
import { beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'
import { localService } from './support/answer-server'

const server = localService()
const hits = server.hits

const suite = appSuite('bob')
let t: TestApp
let bob: TestUser
beforeAll(() => ({ t, users: { bob } } = suite))

/** Stores bob's workflow `name`: one function task calling the local service, and a completion callback to it. */
async function bobStores(name: string): Promise<void> {
  const descriptor = `workspace: bobs
dagName: ${name}
type: flow
callback:
  resourceName: http://127.0.0.1:${server.port}/done
tasks:
  - category: function
    name: callIt
    pattern: task_sync
    resourceName: http://127.0.0.1:${server.port}/secret
    outputMappings:
      - {source: $.output, target: $.context.got}
`
  const added = await bob.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=bobs&feature_name=${name}&alias=release`, descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
}

/** Submits `descriptorId` as `call`'s user: the job's id. */
async function submit(call: TestApp['call'], descriptorId: string): Promise<number> {
  const submitted = await call('POST', `/flow/submit.json?descriptor_id=${descriptorId}`, {})
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
  const job = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0]
  expect(job.name).toBe(descriptorId.split(':').slice(0, 2).join(':'))
  return job.id as number
}

/** Waits for job `id` to end and for its completion callback's log line: the job, its log's text. */
async function ended(id: number): Promise<{ job: any; log: string }> {
  const job = await waitForStatus(t, id, ENDED_STATUSES)
  let log = ''
  for (const end = Date.now() + 30_000; !log.includes('completion callback'); ) {
    if (Date.now() > end) throw new Error(`job ${id}: no completion callback line: ${log}`)
    await new Promise((r) => setTimeout(r, 100))
    log = JSON.stringify((await t.call('GET', `/api/v1/jobs/${id}/logs`)).body)
  }
  return { job, log }
}

describe("an admin running a user's workflow gives its calls no more reach than the user has", () => {
  it("an admin's rerun of bob's execution: the function task and the callback stay off this computer", async () => {
    await bobStores('rerun')
    const first = await ended(await submit(bob.call, 'bobs:rerun'))
    expect(first.job.status).toBe('failed')
    const before = hits.length
    const rerun = await t.call('POST', `/api/v1/jobs/${first.job.id}/rerun`)
    expect(rerun.status, JSON.stringify(rerun.body)).toBe(201)
    const again = await ended(rerun.body.id)
    expect(hits.slice(before), 'bob’s calls reached the local service through the admin’s rerun').toEqual([])
    expect(again.job.status).toBe('failed')
    expect(again.log).toContain('127.0.0.1, a loopback address')
  })

  it("an admin's submit of bob's stored workflow: likewise", async () => {
    await bobStores('submit')
    const before = hits.length
    const run = await ended(await submit(t.call, 'bobs:submit'))
    expect(hits.slice(before), 'bob’s calls reached the local service through the admin’s submit').toEqual([])
    expect(run.job.status).toBe('failed')
    expect(run.log).toContain('127.0.0.1, a loopback address')
  })

  it("an admin's submit of bob's workflow that starts an admin's sub-flow: bob's mappings fill it, so it stays off this computer too", async () => {
    const child = `workspace: admins\ndagName: child\ntype: flow\ntasks:\n  - category: function\n    name: callIt\n    pattern: task_sync\n    resourceName: http://127.0.0.1:${server.port}/secret\n    outputMappings:\n      - {source: $.output, target: $.context.got}\n`
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=admins&feature_name=child&alias=release', child, { 'content-type': 'text/plain' })).status).toBe(200)
    const parent = `workspace: bobs\ndagName: parent\ntype: flow\ntasks:\n  - category: function\n    name: sub\n    pattern: flow_sync\n    resourceName: "rillflow://admins:child"\n    outputMappings:\n      - {source: $.output.got, target: $.context.got}\n`
    expect((await bob.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=bobs&feature_name=parent&alias=release', parent, { 'content-type': 'text/plain' })).status).toBe(200)
    const before = hits.length
    const run = await waitForStatus(t, await submit(t.call, 'bobs:parent'), ENDED_STATUSES)
    expect(hits.slice(before), 'the sub-flow bob’s workflow started reached the local service').toEqual([])
    expect(run.status).toBe('failed')
  })

  it("an admin's own workflow, run and rerun by the admin, still reaches this computer", async () => {
    const descriptor = `workspace: admins\ndagName: own\ntype: flow\ntasks:\n  - category: function\n    name: callIt\n    pattern: task_sync\n    resourceName: http://127.0.0.1:${server.port}/secret\n`
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=admins&feature_name=own&alias=release', descriptor, { 'content-type': 'text/plain' })).status).toBe(200)
    const first = await waitForStatus(t, await submit(t.call, 'admins:own'), ENDED_STATUSES)
    expect(first.status).toBe('succeeded')
    const rerun = await t.call('POST', `/api/v1/jobs/${first.id}/rerun`)
    expect((await waitForStatus(t, rerun.body.id, ENDED_STATUSES)).status).toBe('succeeded')
  })
})
