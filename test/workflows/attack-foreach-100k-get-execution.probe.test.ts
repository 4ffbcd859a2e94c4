// Attack (#9 §2): a running foreach over 100,000 items (each group a suspense task that waits), and a
// client polling its execution whole: get.json (brief=false) and the console's get_execution.json.
// Both answer what upstream's makeDAGInfoMap does: only the top-level tasks (a foreach's sub-tasks
// come from get_by_parent.json, rillflow.md §4.2), but the foreach's `sub_group_index_to_status`
// holds every group (DAGToolConverter.convertTaskInfo), with the context and the foreach's input (the
// 100k items each): 2.97 M characters. Found (on dda665bf, load 11-14): each call held the main thread
// 709-1042 ms (262-419 ms on a CPU; get_execution.json 1045-1702 ms an answer), a probe waited 1041
// ms. In process: reading the 100k group rows took 262-315 ms, the view 301-920 ms, its JSON 50-123.
// Fixed: a parent of more than GROUP_STATUS_INLINE_MAX groups has its statuses written a page of
// GROUP_STATUS_PAGE a turn into a streamed answer (mappers.ts), each page's rows read by a seek of
// their key; get_execution.json reads the execution as get.json does (the context and large task
// values as stored JSON, streamed). The answers stay whole, as upstream's.
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { consoleLogin } from '../rillflow/support'
import type { TestApp } from '../support/app'
import { foreachDescriptor } from './support/foreach-descriptor'
import { rillClient } from './support/rill-client'

const ITEMS = 100_000
const CALLS = 3
const app = servedProcessSuite()

describe('attack: polling a running 100k-item foreach whole', () => {
  it('answers get.json and get_execution.json whole while every probe answers within 200 ms', async () => {
    const rill = rillClient(app.url, app.token)
    const wait = '[{category: suspense, name: W, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}]'
    const id = await rill.submit(await rill.addDescriptor(foreachDescriptor('wide', 'get100k', { name: 'loop', tasks: wait })), { items: Array.from({ length: ITEMS }, (_, i) => i) })
    const e = encodeURIComponent(id)
    // until its last group has started (its sub-task is there)
    const end = Date.now() + 300_000
    while (typeof (await rill.call('GET', `/flow/get_by_parent.json?execution_id=${e}&parent=loop&group_index=${ITEMS - 1}`)).body.ret.tasks !== 'object') {
      if (Date.now() > end) throw new Error('the foreach did not start all its groups within 300 s')
      await new Promise((r) => setTimeout(r, 1000))
    }
    const ui = await consoleLogin({ url: app.url } as TestApp, 'admin', '73@TuGraph')
    const timings: string[] = []
    const timed = async (what: string, call: () => Promise<{ status: number; body: any }>) => {
      const started = performance.now()
      const r = await call()
      timings.push(`${what} ${(performance.now() - started).toFixed(0)} ms`)
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200)
      return r.body
    }
    const { result, probe } = await probeWhile(app, async () => {
      const answers: { get: any; console: any }[] = []
      for (let i = 0; i < CALLS; i++) {
        const get = (await timed('get.json', () => rill.call('GET', `/flow/get.json?execution_id=${e}`))).ret
        const console_ = (await timed('get_execution.json', () => ui.micro('GET', `/flow/bg/get_execution.json?id=${e}`))).data
        answers.push({ get, console: console_ })
      }
      return answers
    })
    console.log(`100k foreach get.json/get_execution.json: ${timings.join(', ')}; probes ${probe.count}, p99 ${probe.p99Ms.toFixed(0)} ms, max ${probe.maxMs.toFixed(0)} ms; stalls ${JSON.stringify(probe.stalls)}`)
    // whole, as upstream's: the top-level task only, every group's status in index order, the context
    for (const { get, console: view } of result) {
      for (const ret of [get, view]) {
        expect(ret.dag_status).toBe('RUNNING')
        expect(Object.keys(ret.tasks)).toEqual(['loop'])
        const groups = ret.tasks.loop.sub_group_index_to_status
        expect(Object.keys(groups)).toHaveLength(ITEMS)
        expect(groups['0']).toBe('RUNNING')
        expect(groups[String(ITEMS - 1)]).toBe('RUNNING')
        expect(new Set(Object.values(groups))).toEqual(new Set(['RUNNING']))
        expect(ret.context.items).toHaveLength(ITEMS)
        expect(ret.tasks.loop.invoke_msg.input.items).toHaveLength(ITEMS)
      }
      expect(view.trace_url).toBe('')
    }
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)
  }, 600_000)
})
