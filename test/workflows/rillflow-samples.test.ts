// The README quick-start and the samples of rillflow.md §6, driven only through the REST API,
// with the final contexts and statuses test/workflows/fixtures/UPSTREAM.md §2 derives for them.
import { beforeAll, describe, expect, it } from 'vitest'
import { fixture, statuses, type rillClient } from './support/rill-client'
import type { SampleExecutor } from './support/sample-executor'
import { rillSuite } from './support/rill-suite'

const suite = rillSuite()
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ exec, rill } = suite))

describe('Rill Flow samples over REST', () => {
  it('README greet: two sequential sync functions, context = submit body + flow_execution_id', async () => {
    const id = await rill.addDescriptor(fixture('README-greet.yaml', exec.url), '?business_id=rillFlowSimple&feature_name=greet&alias=release')
    expect(id).toMatch(/^rillFlowSimple:greet:md5_[0-9a-f]{32}$/)
    const context = { Bob: 'Hello, I am Bob!', Alice: 'Hi, I am Alice' }
    const executionId = await rill.submit('rillFlowSimple:greet', context)
    expect(executionId).toMatch(/^rillFlowSimple:greet_c_[0-9a-f-]{36}$/)
    const ret = await rill.finished(executionId)
    expect(ret).toMatchObject({ dag_status: 'SUCCEED', process: 100, workspace: 'rillFlowSimple', dag_name: 'greet', execution_id: executionId })
    expect(statuses(ret)).toEqual({ Bob: 'SUCCEEDED', Alice: 'SUCCEEDED' })
    expect(ret.context).toEqual({ ...context, flow_execution_id: executionId })
    const bob = exec.calls.find((c) => c.path === '/greet.json' && c.query.user === 'Bob')!
    expect(bob.query).toMatchObject({ execution_id: executionId, name: 'Bob' })
    expect(bob.body).toEqual({ Bob: 'Hello, I am Bob!', execution_id: executionId })
    expect(ret.tasks.Bob.invoke_msg.output).toEqual({ data: ['result_type', 'SUCCESS', 'result', 'Hello, I am Bob!'] })
  })

  it('README greet without Bob: Bob FAILED, Alice NOT_STARTED, DAG FAILED', async () => {
    const ret = await rill.finished(await rill.submit('rillFlowSimple:greet', { Alice: 'Hi' }))
    expect(ret.dag_status).toBe('FAILED')
    expect(statuses(ret)).toEqual({ Bob: 'FAILED', Alice: 'NOT_STARTED' })
    expect(ret.tasks.Bob.invoke_msg.msg).toBe('greet processing failed')
  })

  it('choice-sample, r < 5: the return guard cuts choiceOnePass; the join still runs', async () => {
    await rill.addDescriptor(fixture('choice-sample.yaml', exec.url))
    const ret = await rill.finished(await rill.submit('rillFlowSample:choiceSample', { input_num: 1 })) // rand(1)+1 = 1
    expect(ret.dag_status).toBe('SUCCEED')
    expect(statuses(ret)).toEqual({
      startNode: 'SUCCEEDED',
      randomNode: 'SUCCEEDED',
      choiceOne: 'SUCCEEDED',
      choiceOnePass: 'SKIPPED',
      choiceTwo: 'SKIPPED',
      choiceTwoPass: 'SUCCEEDED',
      printNode: 'SUCCEEDED',
    })
    expect(ret.tasks.choiceOnePass.invoke_msg.msg).toBe('skip due to dependent tasks return or degrade')
    expect(ret.context).toEqual({ input_num: 1, flow_execution_id: ret.execution_id, random_num: 1, choice_num: -1, result: -1 })
  })

  it('choice-sample with the real rand: whichever branch, the context follows the formula', async () => {
    const ret = await rill.finished(await rill.submit('rillFlowSample:choiceSample', { input_num: 10 }))
    const r = ret.context.random_num
    expect(r).toBeGreaterThanOrEqual(1)
    expect(r).toBeLessThanOrEqual(10)
    expect(ret.context.result).toBe(r < 5 ? -r : 10 * r)
    expect(statuses(ret)[r < 5 ? 'choiceOnePass' : 'choiceTwoPass']).toBe('SKIPPED')
  })

  it('switch-sample: break on num >= 5, default otherwise', async () => {
    const text = fixture('switch-sample.yaml', exec.url)
    await rill.addDescriptor(text.replace('rand(source) + 1', 'source'))
    const high = await rill.finished(await rill.submit('rillFlowSample:switchSample', { input_num: 7 }))
    expect(statuses(high)).toMatchObject({ choice: 'SUCCEEDED', choiceOnePass: 'SUCCEEDED', choiceTwoPass: 'SKIPPED', printNode: 'SUCCEEDED' })
    expect(high.context).toMatchObject({ random_num: 7, choice_num: 70, result: 70 })
    const low = await rill.finished(await rill.submit('rillFlowSample:switchSample', { input_num: 3 }))
    expect(statuses(low)).toMatchObject({ choiceOnePass: 'SKIPPED', choiceTwoPass: 'SUCCEEDED', printNode: 'SUCCEEDED' })
    expect(low.context).toMatchObject({ random_num: 3, choice_num: -3, result: -3 })
  })

  it('call-api-sample: query params from input, the return guard plain-skips, print runs', async () => {
    await rill.addDescriptor(fixture('call-api-sample.yaml', exec.url))
    const ret = await rill.finished(await rill.submit('rillFlowSample:callApiSample', { input_num: 10 }))
    expect(ret.dag_status).toBe('SUCCEED')
    expect(statuses(ret)).toEqual({ startNode: 'SUCCEEDED', callApiNode: 'SUCCEEDED', returnNode: 'SKIPPED', printNode: 'SUCCEEDED' })
    expect(ret.context).toEqual({ input_num: 10, flow_execution_id: ret.execution_id, sum: 285 })
    const call = exec.calls.find((c) => c.path === '/choice.json')!
    expect(call.query).toMatchObject({ input_num: '10', name: 'callApiNode', execution_id: ret.execution_id })
  })

  it('call-api-sample with result_type SUCCESS in the context: the return guard cuts print', async () => {
    const ret = await rill.finished(await rill.submit('rillFlowSample:callApiSample', { input_num: 10, result_type: 'SUCCESS' }))
    expect(statuses(ret)).toMatchObject({ returnNode: 'SUCCEEDED', printNode: 'SKIPPED' })
  })

  it('http-get-sample: GET with the query; the array answer is kept as {data}', async () => {
    await rill.addDescriptor(fixture('http-get-sample.yaml', exec.url))
    const ret = await rill.finished(await rill.submit('rillFlowSample:httpGetSample', { user: 'Tom' }))
    expect(ret.dag_status).toBe('SUCCEED')
    expect(ret.context).toEqual({ user: 'Tom', flow_execution_id: ret.execution_id })
    const failed = await rill.finished(await rill.submit('rillFlowSample:httpGetSample', {}))
    expect(statuses(failed)).toMatchObject({ callApiNode: 'FAILED' })
  })

  it('http-post-sample: header, query and form body split from the input', async () => {
    await rill.addDescriptor(fixture('http-post-sample.yaml', exec.url))
    const ret = await rill.finished(await rill.submit('rillFlowSample:httpPostSample', { user: 'Tom', title: 'hi' }))
    expect(ret.dag_status).toBe('SUCCEED')
    expect(ret.context.result).toEqual({
      content_type: 'application/x-www-form-urlencoded',
      user: 'Tom',
      form_data: { title: 'hi', execution_id: ret.execution_id },
    })
  })

  it('parallel-async-dag: foreach of async executors finished by callbacks, then a sync sum', async () => {
    const text = fixture('parallel-async-dag.yaml', exec.url)
    await rill.addDescriptor(text.replace('rand(source)+1', '3')) // k = 3 groups
    const executionId = await rill.submit('rillFlowSample:parallelAsyncTask', { rand_num: 20 })
    const ret = await rill.finished(executionId)
    expect(ret.dag_status).toBe('SUCCEED')
    expect(statuses(ret)).toEqual({ random: 'SUCCEEDED', foreachNode: 'SUCCEEDED', print: 'SUCCEEDED' })
    expect(ret.context.segments).toEqual([0, 20, 40])
    expect([...ret.context.callback_result_list].sort((a: number, b: number) => a - b)).toEqual([0, 2000, 4000])
    expect(ret.context.sum).toBe(6000)
    expect(Object.keys(ret.context).some((k) => k.startsWith('__'))).toBe(false)
    expect(ret.tasks.foreachNode.sub_group_index_to_status).toEqual({ 0: 'SUCCEED', 1: 'SUCCEED', 2: 'SUCCEED' })
    const group = (await rill.call('GET', `/flow/get_by_parent.json?execution_id=${encodeURIComponent(executionId)}&parent=foreachNode&group_index=1`)).body
    expect(Object.keys(group.ret.tasks).sort()).toEqual(['foreachNode_1-callback', 'foreachNode_1-executor'])
    expect(group.ret.tasks['foreachNode_1-executor'].status).toBe('SUCCEEDED')
    const sub = (await rill.call('GET', `/flow/get_sub_context.json?execution_id=${encodeURIComponent(executionId)}&parent=foreachNode&group_index=2`)).body
    expect(sub.ret).toEqual({ segment_item: 40, executor_result: 400, callback_result: 4000 })
    const asyncCall = exec.calls.find((c) => c.path === '/executor.json')!
    expect(asyncCall.headers['x-mode']).toBe('async')
    expect(String(asyncCall.headers['x-callback-url'])).toMatch(/\/flow\/trigger\.json\?execution_id=.+&task_name=foreachNode_\d-executor&ts=\d+&sign=/)
  })

  it('parallel-async-dag with the real rand: sum = 1000·k·(k−1)', async () => {
    await rill.addDescriptor(fixture('parallel-async-dag.yaml', exec.url), '?alias=real')
    const ret = await rill.finished(await rill.submit('rillFlowSample:parallelAsyncTask:real', { rand_num: 20 }))
    const k = ret.context.segments.length
    expect(ret.dag_status).toBe('SUCCEED')
    expect(ret.context.sum).toBe(1000 * k * (k - 1))
  })

  it('ref-dag: a flow_sync sub-flow runs parallelAsyncTask and hands back its context', async () => {
    await rill.addDescriptor(fixture('parallel-async-dag.yaml', exec.url).replace('rand(source)+1', '2')) // k = 2 → sum 2000
    await rill.addDescriptor(fixture('ref-dag.yaml', exec.url))
    const executionId = await rill.submit('rillFlowSample:subdagTask', { parent_rand_num: 20 })
    const ret = await rill.finished(executionId)
    expect(ret.dag_status).toBe('SUCCEED')
    expect(statuses(ret)).toEqual({ start: 'SUCCEEDED', subdag: 'SUCCEEDED', callback: 'SUCCEEDED' })
    expect(ret.context).toEqual({ parent_rand_num: 20, flow_execution_id: executionId, sub_context: { sum: 2000 }, sub_callback: { print: 20000 } })
    const child = ret.tasks.subdag.invoke_msg.referenced_dag_execution_id
    expect(child).toMatch(/^rillFlowSample:parallelAsyncTask_c_/)
    const sub = await rill.get(child)
    expect(sub.dag_status).toBe('SUCCEED')
    expect(sub.context).toMatchObject({ rand_num: 20, flow_root_execution_id: executionId, flow_execution_id: child, sum: 2000 })
  })

  it('ref-dag whose child fails: the sub-flow task fails and the parent stops', async () => {
    await rill.addDescriptor(fixture('parallel-async-dag.yaml', exec.url).replace('calculate.json', 'missing.json').replace('rand(source)+1', '1'), '?alias=broken')
    const text = fixture('ref-dag.yaml', exec.url).replace('rillflow://rillFlowSample:parallelAsyncTask', 'rillflow://rillFlowSample:parallelAsyncTask:broken')
    await rill.addDescriptor(text.replace('dagName: subdagTask', 'dagName: subdagBroken'))
    const ret = await rill.finished(await rill.submit('rillFlowSample:subdagBroken', { parent_rand_num: 20 }))
    expect(ret.dag_status).toBe('FAILED')
    expect(statuses(ret)).toEqual({ start: 'SUCCEEDED', subdag: 'FAILED', callback: 'NOT_STARTED' })
  })
})
