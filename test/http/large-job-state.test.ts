// A job whose input, context and result are large (#9 §2): every view answers them unchanged while
// reading them as stored text (the jobs list not at all), and a big descriptor is stored and run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const text = { 'content-type': 'text/plain' }

describe('large job state', () => {
  it('answers a 300 kB context in get.json, get_context.json and the native job, and lists the job without it', async () => {
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', 'workspace: big\ndagName: ctx\ntype: flow\ntasks:\n  - {category: pass, name: a}\n', text)).status).toBe(200)
    const context = { s: 'x'.repeat(300_000), nested: { list: [1, 'two', { three: 3 }], 'quote"d': 'a\\b' }, __proto_like: 1, '10': 'ten' }
    const submitted = await t.call('POST', '/flow/submit.json?descriptor_id=big:ctx', context)
    const executionId: string = submitted.body.execution_id
    const id = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0].id
    await waitForStatus(t, id, ['succeeded'])

    const ret = (await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=false`)).body.ret
    expect(ret.dag_status).toBe('SUCCEED')
    const { __proto_like: _hidden, ...visible } = context // `__` entries are sub-contexts: not shown, as upstream
    expect(ret.context).toEqual({ ...visible, flow_execution_id: executionId })
    expect((await t.call('GET', `/flow/get_context.json?execution_id=${executionId}`)).body.ret).toEqual({ ...visible, flow_execution_id: executionId })

    const detail = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(detail.input).toEqual(context)
    expect(detail.result).toEqual({ ...visible, flow_execution_id: executionId })
    const list = (await t.call('GET', '/api/v1/jobs?limit=5')).body
    expect(list.items[0]).toMatchObject({ id, status: 'succeeded' })
    expect(JSON.stringify(list).length).toBeLessThan(5000) // no input, context or result in a list
  }, 30_000)

  it('streams a 1.5 MB multi-byte context unchanged, of a running execution and of an ended one (slices split UTF-8 sequences)', async () => {
    const hold = 'workspace: big\ndagName: hold\ntype: flow\ntasks:\n  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}\n'
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', hold, text)).status).toBe(200)
    const context = { s: '中文，€ 😀'.repeat(90_000), n: 1, tail: 'end' } // ~1.5 MB of UTF-8: 3- and 4-byte sequences across the 1 MB slices
    const executionId: string = (await t.call('POST', '/flow/submit.json?descriptor_id=big:hold', context)).body.execution_id
    const id = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0].id
    let expected: Record<string, unknown> = { ...context, flow_execution_id: executionId }
    const running = (await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=false`)).body.ret
    expect(running.dag_status).toBe('RUNNING')
    expect(running.context).toEqual(expected) // the stored context of a running execution, as committed
    expect((await t.call('GET', `/flow/get_context.json?execution_id=${executionId}`)).body.ret).toEqual(expected)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.input).toEqual(context)
    // a wakeup that changes the context but not the condition: the next read shows the change
    expect((await t.call('POST', `/flow/wakeup.json?execution_id=${executionId}&task_name=wait`, { go: false })).status).toBe(200)
    expected = { ...expected, go: false }
    expect((await t.call('GET', `/flow/get_context.json?execution_id=${executionId}`)).body.ret).toEqual(expected)
    expect((await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=false`)).body.ret).toMatchObject({ dag_status: 'RUNNING', context: expected })

    expected = { ...expected, go: true }
    expect((await t.call('POST', `/flow/wakeup.json?execution_id=${executionId}&task_name=wait`, { go: true })).status).toBe(200)
    await waitForStatus(t, id, ['succeeded'])
    const res = await fetch(`${t.url}/flow/get_context.json?execution_id=${executionId}`)
    expect(new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer())).toBe(JSON.stringify({ ret: expected })) // the same bytes as one JSON.stringify
    expect((await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=false`)).body.ret.context).toEqual(expected)
    const detail = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(detail.input).toEqual(context)
    expect(detail.result).toEqual(expected)
  }, 30_000)

  it('stores a large submitted context as sent (input and context), and not a third time as the result', async () => {
    const body = `{ "s": "${'y'.repeat(200_000)}",\n  "n": [1, 2.50, {"k": "\\u00e9"}] }\n` // spacing and escapes as a client wrote them
    const res = await fetch(`${t.url}/flow/submit.json?descriptor_id=big:ctx`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body })
    const executionId: string = ((await res.json()) as { execution_id: string }).execution_id
    const id = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0].id
    await waitForStatus(t, id, ['succeeded'])
    const jobs = t.app.store.jobs
    expect(jobs.stateText(id, 'input')).toBe(body) // the body's text, not serialized again
    const expected = { ...JSON.parse(body), flow_execution_id: executionId }
    expect(JSON.parse(jobs.stateText(id, 'context')!)).toEqual(expected)
    expect(jobs.stateText(id, 'result')).toBe(null) // the result is the context: not stored again
    const detail = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(detail.input).toEqual(JSON.parse(body))
    expect(detail.result).toEqual(expected)
    expect((await t.call('GET', `/flow/get_context.json?execution_id=${executionId}`)).body.ret).toEqual(expected)
  }, 30_000)

  it("answers tasks' large inputs and outputs whole in the native detail, of a running execution and of an ended one, as stored JSON", async () => {
    const yaml = `workspace: big
dagName: taskout
type: flow
tasks:
  - {category: pass, name: a, next: wait, inputMappings: [{source: $.context.s, target: $.input.s}, {source: $.context.code, target: $.input.code}]}
  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
`
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, text)).status).toBe(200)
    const s = `${'中文€😀'.repeat(90_000)}"\\\n` // 1.2 MB of UTF-8 with escapes: written in 1 MB slices, split inside a character
    const executionId: string = (await t.call('POST', '/flow/submit.json?descriptor_id=big:taskout', { s, code: 7 })).body.execution_id
    const id = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0].id
    await expect.poll(async () => (await t.call('GET', `/api/v1/jobs/${id}`)).body.tasks.find((x: { name: string }) => x.name === 'wait').status, { timeout: 10_000 }).toBe('running')
    const exact = async (path: string) => {
      const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.token}` } })
      const body = new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer())
      const answer = JSON.parse(body)
      expect(body).toBe(JSON.stringify(answer)) // the bytes JSON.stringify writes for what it holds
      return answer
    }
    const value = { s, code: 7 }
    const both = async () => {
      const detail = await exact(`/api/v1/jobs/${id}`)
      expect(detail.tasks.find((x: { name: string }) => x.name === 'a')).toMatchObject({ status: 'succeeded', input: value, output: value })
      const ret = (await exact(`/flow/get.json?execution_id=${executionId}&brief=false`)).ret
      expect(ret.tasks.a).toMatchObject({ status: 'SUCCEEDED', invoke_msg: { input: value, output: value, code: 7, msg: null, invoke_id: null } })
    }
    await both() // the execution runs: read whole
    expect((await t.call('POST', `/flow/wakeup.json?execution_id=${executionId}&task_name=wait`, { go: true })).status).toBe(200)
    await waitForStatus(t, id, ['succeeded'])
    await both() // ended: read a slice at a time, and get.json's code found by SQLite
  }, 30_000)

  it('stores a descriptor over 64 kB (parsed in a worker thread) and refuses a bad one naming its line', async () => {
    let yaml = 'workspace: big\ndagName: wide\ntype: flow\ndefaultContext:\n'
    for (let i = 0; i < 5000; i++) yaml += `  k${i}: v${i}\n`
    yaml += 'tasks:\n  - {category: pass, name: a}\n'
    expect(yaml.length).toBeGreaterThan(64 * 1024)
    const added = await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, text)
    expect(added.body).toMatchObject({ ret: true, descriptor_id: expect.stringMatching(/^big:wide:md5_/) })
    const executionId: string = (await t.call('POST', '/flow/submit.json?descriptor_id=big:wide', {})).body.execution_id
    await expect.poll(async () => (await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=true`)).body.ret.dag_status, { timeout: 10_000 }).toBe('SUCCEED')
    const ret = (await t.call('GET', `/flow/get.json?execution_id=${executionId}&brief=true`)).body.ret
    expect(ret.context.k4999).toBe('v4999')

    const bad = await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', `${yaml}  - {category: pass, name: a}\n`, text)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error_code: 30110 })
    expect(bad.body.error).toMatch(/name duplicated.* \(line \d+\)/)
  }, 60_000)
  it("answers a running job's large task values whole from the engine's live records, and leaves those unfrozen", async () => {
    const yaml = `workspace: big\ndagName: livetasks\ntype: flow\ntasks:
  - {category: pass, name: a, next: wait, inputMappings: [{source: $.context.s, target: $.input.s}]}
  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
`
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, text)).status).toBe(200)
    const s = `${'v'.repeat(300_000)}中文€😀"\\\n`
    const executionId: string = (await t.call('POST', '/flow/submit.json?descriptor_id=big:livetasks', { s })).body.execution_id
    const id = (await t.call('GET', '/api/v1/jobs?limit=1')).body.items[0].id
    for (let i = 0; i < 3; i++) {
      const detail = (await t.call('GET', `/api/v1/jobs/${id}`)).body
      expect(detail.status).toBe('running')
      expect(detail.tasks.find((task: { name: string }) => task.name === 'a')).toMatchObject({ status: 'succeeded', input: { s }, output: { s } })
    }
    // the engine's own value of the running job: a detail answered its text, and froze nothing of it
    const [live] = t.app.engine.liveTasks(id, ['a'])!
    expect(live.output).toEqual({ s })
    expect(Object.isFrozen(live.output)).toBe(false)
    expect((await t.call('POST', `/flow/wakeup.json?execution_id=${executionId}&task_name=wait`, { go: true })).status).toBe(200)
    await waitForStatus(t, id, ['succeeded'])
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.tasks.find((task: { name: string }) => task.name === 'a').output).toEqual({ s })
  }, 30_000)
})
