// A large submitted context is stored once (#9 §2, migration 023): its input is the body as sent
// and its context that body with `flow_execution_id` added, which was written a second time whole
// (3.9 MB twice: most of a submit's ~300 ms hold on the main thread). The context is now stored as
// its tail after the input, until its first change writes it whole. What a client reads must not
// change, nor what a restart after kill -9 finds.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { tempDir } from '../support/temp-store'
import { rillClient } from './support/rill-client'
import { startWorker } from './support/serve-worker'
import { rillSuite } from './support/rill-suite'
import { startSampleExecutor, type SampleExecutor } from './support/sample-executor'

const s = rillSuite()

/** A body of ~300 kB (over the 64 kB above which its text is kept), with text of 2- to 4-byte UTF-8 characters and whitespace after it. */
const body = (extra = ''): string => `{"s": "${'x'.repeat(300_000)}", "名": "é😀\\"\\\\"${extra}}\n\n`

/** The job_values rows of an execution: bytes each stores, and whether it is a tail after the input. */
function storedRows(executionId: string): { name: string; bytes: number; tail: boolean }[] {
  const db = s.t.app.store.db
  const id = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(executionId))!
  return db.prepare('SELECT name, octet_length(value) AS bytes, input_prefix IS NOT NULL AS tail FROM job_values WHERE job_id = ? ORDER BY name').all(id) as never
}

/** The context as get_context.json, get.json and the native job detail (its result) answer it. */
async function answeredContexts(executionId: string): Promise<unknown[]> {
  const q = `execution_id=${encodeURIComponent(executionId)}`
  const id = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(executionId))!
  const native = (await s.t.call('GET', `/api/v1/jobs/${id}`)).body
  return [(await s.rill.call('GET', `/flow/get_context.json?${q}`)).body.ret, (await s.rill.call('GET', `/flow/get.json?${q}`)).body.ret.context, native.result]
}

describe('a large submitted context', () => {
  it('is stored once: the input whole, the context as a tail after it; every view answers the whole context', async () => {
    await s.rill.addDescriptor('workspace: once\ndagName: pass\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const sent = body()
    const r = await s.rill.call('POST', '/flow/submit.json?descriptor_id=once:pass', sent)
    expect(r.status).toBe(200)
    const executionId = r.body.execution_id as string
    expect((await s.rill.finished(executionId)).dag_status).toBe('SUCCEED')

    const rows = storedRows(executionId)
    const sentBytes = Buffer.byteLength(sent)
    // before: the context was a second copy of the input (the sum was twice the body)
    expect(rows.reduce((n, row) => n + row.bytes, 0)).toBeLessThan(sentBytes + 200)
    expect(rows.find((row) => row.name === 'context')).toMatchObject({ tail: 1 })

    const expected = { ...(JSON.parse(sent) as object), flow_execution_id: executionId }
    for (const context of await answeredContexts(executionId)) expect(context).toEqual(expected)
    const id = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(executionId))!
    expect(s.t.app.store.jobs.get(id)).toMatchObject({ input: JSON.parse(sent), context: expected })
    expect(s.t.app.store.jobs.stateBytes(id, 'context')!.toString('utf8')).toBe(`${sent.trimEnd().slice(0, -1)},"flow_execution_id":${JSON.stringify(executionId)}}`)
  })

  it('is written whole at its first change, and reads back with the change', async () => {
    await s.rill.addDescriptor("workspace: once\ndagName: write\ntype: flow\ntasks:\n  - {category: pass, name: a, outputMappings: [{target: $.context.added, source: '7'}]}\n")
    const sent = body()
    const executionId = (await s.rill.call('POST', '/flow/submit.json?descriptor_id=once:write', sent)).body.execution_id as string
    expect((await s.rill.finished(executionId)).dag_status).toBe('SUCCEED')
    expect(storedRows(executionId).find((row) => row.name === 'context')).toMatchObject({ tail: 0 })
    const expected = { ...(JSON.parse(sent) as object), flow_execution_id: executionId, added: 7 }
    for (const context of await answeredContexts(executionId)) expect(context).toEqual(expected)
  })

  it('leaves out a `__` key however its text spells it (the route keys known at submit)', async () => {
    const sent = body(', "\\u005f_hidden": 1, "a__b": 2')
    const executionId = (await s.rill.call('POST', '/flow/submit.json?descriptor_id=once:pass', sent)).body.execution_id as string
    expect((await s.rill.finished(executionId)).dag_status).toBe('SUCCEED')
    const { __hidden: _left, ...visible } = JSON.parse(sent) as Record<string, unknown>
    for (const context of await answeredContexts(executionId)) expect(context).toEqual({ ...visible, flow_execution_id: executionId })
  })

  it('leaves out a `__` key while the execution runs too', async () => {
    await s.rill.addDescriptor(`workspace: once\ndagName: hang\ntype: flow\ntasks:\n  - {category: function, name: H, pattern: task_sync, resourceName: "${s.exec.url}/hang.json"}\n`)
    const sent = body(', "__hidden": {"x": 1}')
    const executionId = (await s.rill.call('POST', '/flow/submit.json?descriptor_id=once:hang', sent)).body.execution_id as string
    await expect.poll(() => s.exec.calls.some((c) => c.path === '/hang.json' && c.query.execution_id === executionId), { timeout: 10_000 }).toBe(true)
    expect((await s.rill.get(executionId)).dag_status).toBe('RUNNING')
    const { __hidden: _left, ...visible } = JSON.parse(sent) as Record<string, unknown>
    const q = `execution_id=${encodeURIComponent(executionId)}`
    expect((await s.rill.call('GET', `/flow/get_context.json?${q}`)).body.ret).toEqual({ ...visible, flow_execution_id: executionId })
    expect((await s.rill.call('GET', `/flow/get.json?${q}`)).body.ret.context).toEqual({ ...visible, flow_execution_id: executionId })
  })
})

describe('kill -9 while an execution with a large submitted context runs', () => {
  let exec: SampleExecutor
  beforeAll(async () => {
    exec = await startSampleExecutor()
  })
  afterAll(() => exec.close())

  it('finishes after a restart with the whole context, the task’s output added', async () => {
    const dir = tempDir()
    let { child, url } = await startWorker(dir)
    try {
      let rill = rillClient(url)
      await rill.addDescriptor(`workspace: once\ndagName: crash\ntype: flow\ntasks:
  - {category: function, name: F, resourceName: ${exec.url}/accept.json, pattern: task_scheduler, outputMappings: [{target: $.context.result, source: $.output.result}]}
`)
      const sent = body()
      const executionId = (await rill.call('POST', '/flow/submit.json?descriptor_id=once:crash', sent)).body.execution_id as string
      await expect.poll(() => exec.calls.filter((c) => c.query.execution_id === executionId).length, { timeout: 5000 }).toBe(1)

      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      ;({ child, url } = await startWorker(dir))
      rill = rillClient(url)
      const finish = await rill.call('POST', `/flow/finish.json?execution_id=${encodeURIComponent(executionId)}&task_name=F`, { result: 5, result_type: 'SUCCESS' })
      expect(finish.status).toBe(200)
      const ret = await rill.finished(executionId)
      expect(ret.dag_status).toBe('SUCCEED')
      expect(ret.context).toEqual({ ...(JSON.parse(sent) as object), flow_execution_id: executionId, result: 5 })
    } finally {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
