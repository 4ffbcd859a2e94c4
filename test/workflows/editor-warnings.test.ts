// The Workflows editor's warnings (views.ts descriptorWarnings, POST /api/v1/workflows/validate): a
// valid descriptor that does what its writer likely did not mean. A new user wrote an output mapping
// reading `$.input.x`, which Rill Flow runs on `{context, input: {}, output}`: the rule wrote nothing,
// silently, and the trial looked as if mappings were broken (#9 nutrial LOW).
import { beforeAll, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const check = async (text: string) => (await t.call('POST', '/api/v1/workflows/validate', { text })).body

const FLOW = `workspace: ops
dagName: copies
type: flow
tasks:
  - category: pass
    name: copy
    inputMappings:
      - {source: $.context.x, target: $.input.x}
    outputMappings:
      - {source: $.output.x, target: $.context.viaOutput}
      - {source: $.input.x, target: $.context.viaInput}
    next: inner
  - category: foreach
    name: inner
    inputMappings:
      - {source: $.context.list, target: $.input.list}
    iterationMapping: {collection: $.input.list, item: it}
    tasks:
      - category: pass
        name: leaf
        outputMappings:
          - {source: "$.input['x']", target: $.context.leafCopy}
          - {source: $.inputs.x, target: $.context.notInput}
`

it('warns at an output mapping reading $.input, naming task, field and line; the run shows the rule writes nothing', async () => {
  const r = await check(FLOW)
  expect(r.ok).toBe(true)
  expect(r.warnings).toEqual([
    {
      message: "task copy: outputMappings[1] reads $.input.x, which is always empty there: output mappings read the task's output ($.output…) and the context ($.context…); read its input in inputMappings",
      field: 'tasks[0].outputMappings[1].source',
      line: 11,
    },
    {
      message: "task leaf: outputMappings[0] reads $.input['x'], which is always empty there: output mappings read the task's output ($.output…) and the context ($.context…); read its input in inputMappings",
      field: 'tasks[1].tasks[0].outputMappings[0].source',
      line: 22,
    },
    {
      // a source outside the mapping root (unmatched-sources.ts, #9 §5)
      message: "task leaf: outputMappings[1] reads $.inputs.x, which matches nothing: the mapping root holds only $.context, $.input and $.output (a foreach's item is $.context.<item>); it writes nothing",
      field: 'tasks[1].tasks[0].outputMappings[1].source',
      line: 23,
    },
  ])
  // what the warning says is so: the run writes viaOutput, not viaInput
  const id = await rill.addDescriptor(FLOW)
  const done = await rill.finished(await rill.submit(id, { x: 7, list: [1] }))
  expect(done.context).toMatchObject({ viaOutput: 7 })
  expect(done.context).not.toHaveProperty('viaInput')
  // a descriptor without such a rule has no warnings
  expect((await check(FLOW.replace('$.input.x, target: $.context.viaInput', '$.context.x, target: $.context.viaInput').replace(/\n {6}- category: pass\n[\s\S]*$/, '\n      - {category: pass, name: leaf}\n'))).warnings).toBeUndefined()
})
