// A task named context, input, output or tasks (#9, new user): the input shorthand reads `$.<task>.…`
// as the task's output (rillflow.md §1.4), so such a task silently turned every `$.context.x` of its
// DAG into a read of itself. add_descriptor refuses the name in Rill Flow's envelope, naming
// `tasks[i].name` and the line; a workflow stored before the rule still opens, with the error shown.
import { beforeAll, describe, expect, it } from 'vitest'
import { parseForStorage } from '../../electron/workflows/rillflow/descriptor'
import type { TestApp } from '../support/app'
import { consoleLogin } from '../rillflow/support'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

/** The trial's ctxname: `b` reads `$.context.x`, the submitted x, unless a task is named `context`. */
const ctxname = (task: string) => `workspace: nu\ndagName: ctx${task}\ntype: flow\ntasks:\n  - category: pass\n    name: ${task}\n    next: b\n  - category: pass\n    name: b\n    input:\n      v: $.context.x\n    outputMappings:\n      - {source: $.output.v, target: $.context.got}\n`

describe('add_descriptor refuses a reserved task name', () => {
  it.each(['context', 'input', 'output', 'tasks'])('%s', async (name) => {
    const r = await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', ctxname(name), 'text/plain')
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error_code: 30110, pass_through: true })
    expect(r.body.error).toBe(`task "${name}": tasks[0].name "${name}" is reserved: mapping paths read $.${name}… as the run's own data, not as a task's output; rename the task (line 6)`)
    expect(t.app.store.workflows.list().some((w) => w.name === `ctx${name}`)).toBe(false)
  })

  it('at any level, and not a name that merely starts like one', async () => {
    const nested = `workspace: nu\ndagName: nested\ntype: flow\ntasks:\n  - category: foreach\n    name: loop\n    iterationMapping: {collection: $.input.items}\n    tasks:\n      - {category: pass, name: output}\n`
    expect((await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', nested, 'text/plain')).body.error).toMatch(/^task "output": tasks\[0\]\.tasks\[0\]\.name "output" is reserved.*\(line 9\)$/)
    const id = await rill.addDescriptor(ctxname('contexts'))
    const done = await rill.finished(await rill.submit(id, { x: 'X1' }))
    expect(done.context.got).toBe('X1')
  })
})

describe('a workflow stored before the rule', () => {
  it('opens on the Workflows page and in the console with the error shown, and still runs as stored', async () => {
    // stored as add_descriptor stored it before: its parsed form has the task `context`
    const text = ctxname('context').replace('dagName: ctxcontext', 'dagName: old')
    const parsedJson = parseForStorage(text.replace('name: context', 'name: zzz')).json.replace('"zzz"', '"context"')
    t.app.store.workflows.add({ workspace: 'nu', name: 'old', version: 'v1', format: 'yaml', source: text, parsedJson, createdBy: 'admin' })
    t.app.store.workflows.setAlias('nu', 'old', 'release', 'v1')

    const detail = await t.call('GET', '/api/v1/workflows/descriptor?descriptorId=nu:old')
    expect(detail.status).toBe(200)
    expect(detail.body.nodes.map((n: { name: string }) => n.name)).toEqual(['context', 'b'])
    const check = await t.call('POST', '/api/v1/workflows/validate', { text: detail.body.source })
    expect(check.body).toMatchObject({ ok: false, problem: { line: 6, field: 'name', message: expect.stringContaining('"context" is reserved') } })

    const ui = await consoleLogin(t, 'admin', '73@TuGraph')
    const shown = await ui.call('GET', '/flow/bg/get_descriptor.json?id=nu:old')
    expect(shown.status).toBe(400)
    expect(JSON.stringify(shown.body)).toMatch(/tasks\[0\]\.name \\"context\\" is reserved.*\(line 6\)/)

    const done = await rill.finished(await rill.submit('nu:old', { x: 'X1' }))
    expect(done.dag_status).toBe('SUCCEED')
  })
})
