// Workflow management on the native API (#13.3): the run grid (executions × tasks) and aliases
// (point at a version, delete), owner-or-admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import type { GridTask } from '../../shared/workflow-manage'
import { NESTED_WORKFLOW } from '../support/workflows'

const V1 = `workspace: demo
dagName: managed
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: pass, name: second}
`
const V2 = `${V1}  - {category: pass, name: third}\n`

let t: TestApp
let bob: TestUser
let v1: string
let v2: string
const version = (descriptorId: string) => descriptorId.split(':md5_')[1]

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  v1 = version((await t.call('POST', '/api/v1/workflows', { text: V1 })).body.descriptorId)
  v2 = version((await t.call('POST', '/api/v1/workflows', { text: V2 })).body.descriptorId)
}, 30_000)
afterAll(() => t.close())

describe('workflow run grid', () => {
  it('lists recent runs newest first with their top-level tasks, and only the caller’s own to a user', async () => {
    const a = (await t.call('POST', '/api/v1/workflows/submit', { descriptorId: `demo:managed:md5_${v1}` })).body.jobId
    const b = (await t.call('POST', '/api/v1/workflows/submit', { descriptorId: `demo:managed:md5_${v2}` })).body.jobId
    for (const id of [a, b]) await waitForStatus(t, id, ['succeeded'])
    const res = await t.call('GET', '/api/v1/workflows/grid?workspace=demo&name=managed')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.runs.map((r: { jobId: number }) => r.jobId)).toEqual([b, a])
    expect(res.body.runs[0].version).toBe(v2)
    expect(res.body.runs[0].tasks.map((x: { name: string; status: string }) => `${x.name}:${x.status}`)).toEqual(['first:succeeded', 'second:succeeded', 'third:succeeded'])
    expect(res.body.tasks).toEqual(['first', 'second', 'third'])
    for (const task of res.body.runs[0].tasks) expect(task.finishedAt).toBeGreaterThanOrEqual(task.startedAt)
    // the workflow is admin's: bob may not look into it (test/rillflow/workflow-owners.test.ts)
    const theirs = await bob.call('GET', '/api/v1/workflows/grid?workspace=demo&name=managed')
    expect(theirs.status).toBe(403)
    const bad = await t.call('GET', '/api/v1/workflows/grid?workspace=demo&name=managed&limit=500')
    expect(bad.status).toBe(400)
  })

  it('answers 404 workflow_not_found for a workflow that does not exist, as alias and delete do (ux18 #3)', async () => {
    const grid = await t.call('GET', '/api/v1/workflows/grid?workspace=demo&name=nothing')
    const deleted = await t.call('DELETE', '/api/v1/workflows?workspace=demo&name=nothing')
    expect(deleted.status).toBe(404)
    expect(grid.status, JSON.stringify(grid.body)).toBe(404)
    expect(grid.body.error).toEqual(deleted.body.error)
  })
})

describe('workflow run grid with nested tasks (#13.3)', () => {
  it('gives a row per task inside a foreach or choice, summing up the foreach’s items, and says which run a cell opens', async () => {
    const descriptorId = (await t.call('POST', '/api/v1/workflows', { text: NESTED_WORKFLOW })).body.descriptorId
    const { jobId, executionId } = (await t.call('POST', '/api/v1/workflows/submit', { descriptorId, context: { items: [1, 2, 3], n: 9 } })).body
    const grid = async () => (await t.call('GET', '/api/v1/workflows/grid?workspace=demo&name=nested')).body
    const cells = async () => Object.fromEntries(((await grid()).runs[0].tasks as GridTask[]).map((c) => [c.name, c]))
    await expect.poll(async () => (await cells())['each/hold']?.status, { timeout: 10_000 }).toBe('running')
    await expect.poll(async () => (await cells())['each/hold']?.instances, { timeout: 10_000 }).toBe(3)
    const running = await cells()
    expect(running.each).toMatchObject({ status: 'running' })
    expect(running.each.parent).toBeUndefined()
    expect(running['each/prep']).toMatchObject({ parent: 'each', status: 'succeeded', instances: 3, open: 'each_0-prep' })
    expect(running['each/hold']).toMatchObject({ parent: 'each', status: 'running', instances: 3, finishedAt: null })
    expect(running['each/hold'].open).toMatch(/^each_\d-hold$/)
    expect(running['each/hold'].startedAt).toBeGreaterThan(0)

    for (let i = 0; i < 3; i++) {
      const woken = await t.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(executionId)}&task_name=each_${i}-hold`, { go: true })
      expect(woken.status, JSON.stringify(woken.body)).toBe(200)
    }
    await waitForStatus(t, jobId, ['succeeded'])
    const done = await grid()
    expect(done.tasks).toEqual(['each', 'pick', 'each/prep', 'each/hold', 'pick/big']) // the branch not taken has no runs
    const cell = Object.fromEntries((done.runs[0].tasks as GridTask[]).map((c) => [c.name, c]))
    expect(cell['each/hold']).toMatchObject({ status: 'succeeded', instances: 3 })
    expect(cell['each/hold'].finishedAt).toBeGreaterThanOrEqual(cell['each/hold'].startedAt!)
    expect(cell['pick/big']).toMatchObject({ parent: 'pick', status: 'succeeded', instances: 1, open: 'pick_1-big' }) // groups are numbered by sorted condition text, as upstream does
  })
})

describe('workflow aliases', () => {
  it('points an alias at a version and deletes it, naming what is wrong otherwise', async () => {
    const set = await t.call('POST', '/api/v1/workflows/aliases', { workspace: 'demo', name: 'managed', alias: 'stable', version: v1 })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    expect(set.body.aliases).toEqual({ release: v2, stable: v1 })
    const detail = (await t.call('GET', '/api/v1/workflows/descriptor?descriptorId=demo:managed:stable')).body
    expect(detail.version).toBe(v1) // the alias resolves to the version it points at

    const unknown = await t.call('POST', '/api/v1/workflows/aliases', { workspace: 'demo', name: 'managed', alias: 'x', version: '0'.repeat(32) })
    expect(unknown.status).toBe(404)
    const badName = await t.call('POST', '/api/v1/workflows/aliases', { workspace: 'demo', name: 'managed', alias: 'a b', version: v1 })
    expect(badName.status).toBe(400)
    expect(badName.body.error.field).toBe('alias')

    const gone = await t.call('DELETE', '/api/v1/workflows/aliases?workspace=demo&name=managed&alias=stable')
    expect(gone.status).toBe(200)
    expect(gone.body.aliases).toEqual({ release: v2 })
    expect((await t.call('DELETE', '/api/v1/workflows/aliases?workspace=demo&name=managed&alias=stable')).status).toBe(404)
    expect((await t.call('DELETE', '/api/v1/workflows/aliases?workspace=demo&name=nothing&alias=release')).status).toBe(404)
  })

  it('lets only the workflow’s owner or an admin change its aliases', async () => {
    const refused = await bob.call('POST', '/api/v1/workflows/aliases', { workspace: 'demo', name: 'managed', alias: 'release', version: v1 })
    expect(refused.status).toBe(403)
    expect((await bob.call('DELETE', '/api/v1/workflows/aliases?workspace=demo&name=managed&alias=release')).status).toBe(403)
    // bob's own workflow is his to manage
    const mine = version((await bob.call('POST', '/api/v1/workflows', { text: V1.replace('managed', 'bobs') })).body.descriptorId)
    const ok = await bob.call('POST', '/api/v1/workflows/aliases', { workspace: 'demo', name: 'bobs', alias: 'prod', version: mine })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect((await t.call('GET', '/api/v1/workflows')).body.find((w: { name: string }) => w.name === 'managed').aliases).toEqual({ release: v2 })
  })
})
