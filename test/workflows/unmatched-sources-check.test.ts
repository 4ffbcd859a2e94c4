// The workflow check (POST /api/v1/workflows/validate, the list under the Workflows editor) lists the
// mappings whose JSONPath source matches nothing (unmatched-sources.ts, #9 §5): the engine logs a WARN
// for each at run time ("… wrote nothing: source … matched nothing"), and the check said nothing before
// the run. Each is a warning naming the task, the rule, the source and why; saving and running go on.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const check = async (text: string) => (await t.call('POST', '/api/v1/workflows/validate', { text })).body

/** The text of the job's WARN lines, the execution once ended. */
function warnsOf(executionId: string): string[] {
  const uuid = uuidOfExecutionId(executionId)
  const job = t.app.store.jobs.list({ limit: 1000 }).items.find((j) => j.uuid === uuid)!
  return t.app.store.logs.read(job.id, 0, 10_000).lines.filter((l) => l.level === 'WARN').map((l) => l.text)
}

// a foreach whose task reads its item as $.it (outside the mapping root) and $.context.flag, which its items' context has not
const FOREACH = `workspace: unm
dagName: loop
type: flow
tasks:
  - category: foreach
    name: each
    inputMappings: [{source: $.context.list, target: $.input.list}, {source: $.context.mode, target: $.input.mode}]
    iterationMapping: {collection: $.input.list, item: it, index: i}
    tasks:
      - category: pass
        name: leaf
        inputMappings:
          - {source: $.it, target: $.input.a}
          - {source: $.context.flag, target: $.input.b}
          - {source: $.context.it.x, target: $.input.c}
          - {source: $.context.mode, target: $.input.d}
          - {source: $.context.i, target: $.input.e}
          - {source: $.context.flag, target: $.input.f, transform: "source == nil ? 0 : 1"}
`

describe('the workflow check lists mappings whose source matches nothing', () => {
  it('in a foreach: the item read as $.it, and a key its items’ context has not; a warning, and the run goes on and logs them', async () => {
    const r = await check(FOREACH)
    expect(r.ok).toBe(true)
    expect(r.warnings).toEqual([
      {
        message: "task leaf: inputMappings[0] reads $.it, which matches nothing: the mapping root holds only $.context, $.input and $.output (a foreach's item is $.context.<item>); it writes nothing",
        field: 'tasks[0].tasks[0].inputMappings[0].source',
        line: 13,
      },
      {
        message: "task leaf: inputMappings[1] reads $.context.flag, which matches nothing: nothing in the context at that path: the context of foreach each's items (its input, item and index) holds only i, it, mode, and no task writes $.context.flag; it writes nothing",
        field: 'tasks[0].tasks[0].inputMappings[1].source',
        line: 14,
      },
    ])
    // not an error: it is saved and runs, and the engine tells the same two rules at run time
    const id = await rill.addDescriptor(FOREACH)
    const run = await rill.submit(id, { list: [{ x: 1 }], mode: 'm' })
    expect((await rill.finished(run)).dag_status).toBe('SUCCEED')
    const warns = warnsOf(run)
    expect(warns.some((w) => w.includes('source $.it matched nothing'))).toBe(true)
    expect(warns.some((w) => w.includes('source $.context.flag matched nothing'))).toBe(true)
    expect(warns.filter((w) => w.includes('matched nothing'))).toHaveLength(2)
  })

  it('a key a task writes (a wakeup’s outputMappings) is not listed, nor the top level without an inputSchema', async () => {
    const text = `workspace: unm
dagName: held
type: flow
tasks:
  - category: pass
    name: first
    inputMappings: [{source: $.context.anything, target: $.input.a}]
    next: each
  - category: foreach
    name: each
    iterationMapping: {collection: $.input.items, item: it}
    inputMappings: [{source: $.context.items, target: $.input.items}]
    tasks:
      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
         inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
`
    const r = await check(text)
    expect(r.ok).toBe(true)
    expect(r.warnings).toBeUndefined()
  })

  it('at the top level with an inputSchema: a key neither in it nor written is listed; one written under an unread place makes the level unknown', async () => {
    const text = `workspace: unm
dagName: schema
type: flow
inputSchema: '[{"name": "x", "type": "String"}]'
tasks:
  - category: pass
    name: p
    inputMappings: [{source: $.context.x, target: $.input.x}, {source: $.context.y, target: $.input.y}, {source: $.context.z, target: $.input.z}]
    outputMappings: [{source: $.output.x, target: $.context.z}]
`
    expect((await check(text)).warnings).toEqual([
      {
        message: 'task p: inputMappings[1] reads $.context.y, which matches nothing: nothing in the context at that path: the run’s context (inputSchema) holds only x, z, and no task writes $.context.y; it writes nothing',
        field: 'tasks[0].inputMappings[1].source',
        line: 8,
      },
    ])
    const unknown = await check(text.replace('target: $.context.z', `target: "$.context['z']"`))
    expect(unknown.ok).toBe(true)
    expect(unknown.warnings).toBeUndefined()
  })
})
