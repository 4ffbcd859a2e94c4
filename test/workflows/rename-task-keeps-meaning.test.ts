// Renaming a task on the Workflows graph (dag-edit renameTask) must not change what the DAG computes
// (#9, new user, the trial's mapsY). `src` writes its shorthand key itself (`$.output.y` →
// `$.context.src.x`), so every `$.src.x` reads y; a rename that moved the readers to `$.src2.x` but left
// that target made the engine generate `$.output.x` → `$.context.src2.x`: they read x instead.
// Both versions run through the real engine with the same context; they must give the same results.
import { beforeAll, expect, it } from 'vitest'
import { renameTask } from '../../renderer/src/features/workflows/dag-edit'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let rill: RillSuite['rill']
beforeAll(() => ({ rill } = suite))

/** The trial's /tmp/nutrial/mapsY.yaml as it was written. */
const MAPS_Y = `workspace: nu
dagName: mapsY
type: flow
tasks:
  - category: pass
    name: src
    inputMappings:
      - source: "$.context.x"
        target: "$.input.x"
      - source: "$.context.y"
        target: "$.input.y"
    outputMappings:
      - source: "$.output.y"
        target: "$.context.src.x"
    next: loop
  - category: foreach
    name: loop
    inputMappings:
      - source: "$.src.x"
        target: "$.input.items"
    iterationMapping:
      collection: "$.input.items"
      item: it
    tasks:
      - category: pass
        name: loopstep
        inputMappings:
          - source: "$.tasks.src.trigger_url"
            target: "$.input.url"
    next: pick
  - category: switch
    name: pick
    inputMappings:
      - source: "$.src.x"
        target: "$.input.n"
    switches:
      - condition: "$.input.[?(@.n.length() > 2)]"
        next: big
      - condition: default
        next: small
  - category: pass
    name: big
    input:
      got: "$.src.x"
  - category: pass
    name: small
    input:
      got: "$.src.x"
output:
  result: "$.src.x"
`

/** A run's results: the DAG's output, each task's input, and its context with the renamed key read as `src`. */
async function run(descriptorId: string, key: string) {
  const done = await rill.finished(await rill.submit(descriptorId, { x: [1, 2, 3], y: [9, 9] }))
  const inputs = Object.fromEntries(Object.values(done.tasks as Record<string, any>).map((task) => [task.name.replace(key, 'src'), task.invoke_msg?.input ?? null]))
  const { [key]: own, flow_execution_id: _, ...rest } = done.context
  return { status: done.dag_status, inputs, context: { ...rest, src: own } }
}

it('the trial’s mapsY renamed src -> src2 computes what it did', async () => {
  const r = renameTask(MAPS_Y.replace('dagName: mapsY', 'dagName: mapsYren'), 'src', 'src2')
  if ('error' in r) throw new Error(r.error)
  await rill.addDescriptor(MAPS_Y)
  await rill.addDescriptor(r.text)
  const before = await run('nu:mapsY', 'src')
  const after = await run('nu:mapsYren', 'src2')
  expect(before.status).toBe('SUCCEED')
  expect(before.context.result).toEqual([9, 9]) // y, as the task's own mapping says
  expect(before.inputs.small).toEqual({ got: [9, 9] })
  // failed before the fix: result [1, 2, 3] (x), task big ran instead of small
  expect(after).toEqual(before)
})
