// New-user trial (issue #9, M2, M3, LOW): a flow_sync whose sub-flow fails said only "task sub:
// result_type FAILED" in the parent's error, task row and log; one naming a workflow that does not
// exist said only "alias release value empty"; a sub-flow stopped with its parent said "cancelled by
// user". Each now says what happened, and where to look.
import { beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { waitForStatus, type TestApp } from '../support/app'
import { waitingFlow } from '../support/workflows'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const jobOf = (executionId: string) => t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!
const logOf = (id: number) => t.app.store.logs.read(id, 0, 200).lines.map((l) => `${l.level} ${l.text}`).join('\n')
/** `ops:<name>`: one flow_sync task `sub` running `rillflow://<child>`. */
const parentFlow = (name: string, child: string) =>
  `workspace: ops\ndagName: ${name}\ntype: flow\ntasks:\n  - {category: function, name: sub, resourceName: "rillflow://${child}", pattern: flow_sync}\n`
/** The sub-flow the parent job started (its newest child). */
const childOf = (parent: number) => t.app.store.db.prepare<[number], number | null>('SELECT max(id) FROM jobs WHERE parent_job_id = ?').pluck().get(parent)

describe('a flow_sync task whose sub-flow fails', () => {
  it("names the sub-flow's execution and its own reason, in the parent's error, task row and log", { timeout: 30_000 }, async () => {
    await rill.addDescriptor('workspace: ops\ndagName: failchild\ntype: flow\ntasks:\n  - {category: function, name: x, resourceName: "http://127.0.0.1:1/nothing", pattern: task_sync}\n')
    await rill.addDescriptor(parentFlow('par', 'ops:failchild'))
    const executionId = await rill.submit('ops:par')
    const ret = await rill.finished(executionId, 15_000)
    expect(ret.dag_status).toBe('FAILED')
    const parent = jobOf(executionId)
    const child = t.app.store.jobs.getWithoutState(childOf(parent.id)!)!
    expect(child.status).toBe('failed')
    const childReason = child.error! // "task x: …", the sub-flow's own words
    expect(childReason).toMatch(/^task x: /)

    const said = `sub-flow ops:failchild (job #${child.id}) failed: ${childReason}`
    expect((await waitForStatus(t, parent.id, ['failed'])).error).toBe(`task sub: ${said}`)
    expect(t.app.store.jobs.task(parent.id, 'sub')!.error).toBe(said)
    expect(ret.tasks.sub.invoke_msg.msg).toBe(said)
    const log = logOf(parent.id)
    expect(log).toContain(said)
    expect(log).toContain(child.labels.executionId) // the log names the execution to open
    expect(log).not.toMatch(/result_type FAILED/)
  })
})

describe('a flow_sync or submit naming a workflow that does not exist', () => {
  it('submit.json keeps upstream’s code and words, and says which workflow is missing', async () => {
    const r = await rill.call('POST', '/flow/submit.json?descriptor_id=bobs:nonexist', {})
    expect(r).toEqual({ status: 400, body: { error_code: 30106, error: 'alias release value empty: no workflow bobs:nonexist (alias release)' } })
  })

  it('an alias or version a stored workflow does not have is named so', async () => {
    await rill.addDescriptor('workspace: ops\ndagName: one\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const version = `md5_${'0'.repeat(32)}`
    expect((await rill.call('POST', `/flow/submit.json?descriptor_id=ops:one:${version}`, {})).body).toEqual({
      error_code: 30106,
      error: `descriptor:ops:one:${version} value empty: workflow ops:one has no version ${version}`,
    })
    expect((await rill.call('POST', '/flow/submit.json?descriptor_id=ops:one:canary', {})).body).toEqual({ error_code: 30106, error: 'alias canary value empty: workflow ops:one has no alias canary' })
  })

  it('the flow_sync task says which workflow is missing', { timeout: 30_000 }, async () => {
    await rill.addDescriptor(parentFlow('parnone', 'bobs:nonexist'))
    const executionId = await rill.submit('ops:parnone')
    expect((await rill.finished(executionId, 15_000)).dag_status).toBe('FAILED')
    expect(t.app.store.jobs.task(jobOf(executionId).id, 'sub')!.error).toBe('alias release value empty: no workflow bobs:nonexist (alias release)')
  })
})

describe('a sub-flow stopped with its parent', () => {
  it('says in its detail that it was stopped with its parent (job and task), not "cancelled by user"', { timeout: 30_000 }, async () => {
    await rill.addDescriptor(waitingFlow('ops', 'wait'))
    await rill.addDescriptor(parentFlow('parwait', 'ops:wait'))
    const executionId = await rill.submit('ops:parwait')
    const parent = jobOf(executionId).id
    const end = Date.now() + 10_000
    while (!childOf(parent) && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50))
    const child = childOf(parent)!
    expect((await t.call('POST', `/api/v1/jobs/${parent}/cancel`)).status).toBe(200)
    await waitForStatus(t, parent, ['cancelled'])
    const ended = await waitForStatus(t, child, ['cancelled'])
    expect(ended.error).toBe(`stopped with its parent (job #${parent}, task sub)`)
  })
})

describe("the editor's check of a sub-flow task", () => {
  const check = async (text: string) => (await t.call('POST', '/api/v1/workflows/validate', { text })).body
  it('warns, naming the task, field and line, when the sub-flow’s workflow (or alias) does not exist yet; still valid', async () => {
    await rill.addDescriptor('workspace: ops\ndagName: there\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const text =
      'workspace: ops\ndagName: caller\ntype: flow\ntasks:\n' +
      '  - {category: function, name: sub, resourceName: "rillflow://bobs:nonexist", pattern: flow_sync, next: ok}\n' +
      '  - {category: function, name: ok, resourceName: "rillflow://ops:there", pattern: flow_sync, next: canary}\n' +
      '  - {category: function, name: canary, resourceName: "rillflow://ops:there:canary", pattern: flow_async, next: self}\n' +
      '  - {category: function, name: self, resourceName: "rillflow://ops:caller", pattern: flow_async}\n'
    const r = await check(text)
    expect(r.ok).toBe(true)
    expect(r.warnings).toEqual([
      { message: 'task sub: its sub-flow’s workflow bobs:nonexist does not exist (yet); a run of the task needs it', line: 5, field: 'tasks[0].resourceName' },
      { message: 'task canary: its sub-flow’s workflow ops:there has no alias canary (yet); a run of the task needs it', line: 7, field: 'tasks[2].resourceName' },
    ])
    expect((await check('workspace: ops\ndagName: fine\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')).warnings).toBeUndefined()
  })
})
