// A flow_sync task starts its sub-flow with its input as the child's context (driver.ts subflow →
// service.ts startSubflow: `{...input, flow_root_execution_id}`, then start: `Object.assign(context,
// ...)`), shallow copies: each object of the child's context IS an object of the parent task's input.
// The child's tasks write into their context (`$.context.cfg.by`), so into the parent task's input,
// which is saved again when the child's end settles the task: its stored input shows what the child
// wrote, not what its input mappings gave it (as a foreach's did before d2161e2).
// Expected: the parent task's stored input is what it received; the child's context is its own.
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { subflowParent } from './support/foreach-descriptor'

const s = rillSuite()

it("keeps a sub-flow's writes into its context out of its parent task's input", async () => {
  await s.rill.addDescriptor(`workspace: subalias\ndagName: child\ntype: flow\ntasks:
  - category: pass
    name: W
    outputMappings:
      - {source: "child", target: "$.context.cfg.by"}
`)
  await s.rill.addDescriptor(subflowParent('subalias', { input: ['{source: "$.context.cfg", target: "$.input.cfg"}'], output: ['{source: "$.output.cfg", target: "$.context.fromChild"}'] }))
  const id = await s.rill.submit('subalias:parent', { cfg: { k: 1 } })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  expect(done.context.fromChild).toEqual({ k: 1, by: 'child' }) // the child wrote its context
  expect(done.context.cfg).toEqual({ k: 1 })
  const input = done.tasks.sub.invoke_msg?.input ?? done.tasks.sub.input
  // fails: {k: 1, by: 'child'}: the child's write landed in the parent task's input
  expect(input.cfg).toEqual({ k: 1 })
})
