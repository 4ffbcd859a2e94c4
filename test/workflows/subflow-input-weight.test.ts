// A sub-flow's context is its input (stored from the text of its parent task's input, not serialized
// again): the held work weighs it by its JSON nodes as a submitted context (shared/quotas.ts
// heldJsonWeight, migration 046), from the nodes the save of that text counted (store/state-json.ts
// keptTextShape), so that a child of tiny maps counts what it holds, not its characters.
import { expect, it } from 'vitest'
import { jsonShapeOf } from '../../shared/json-limits'
import { heldJsonWeight } from '../../shared/quotas'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

it("weighs a sub-flow's input by its nodes, as a recount of its stored text finds", async () => {
  await s.rill.addDescriptor('workspace: subw\ndagName: leaf\ntype: flow\ntasks:\n  - {category: suspense, name: W}\n')
  await s.rill.addDescriptor('workspace: subw\ndagName: parent\ntype: flow\ntasks:\n  - {category: function, name: s, pattern: flow_sync, resourceName: "rillflow://subw:leaf", inputMappings: [{source: $.context.items, target: $.input.items}]}\n')
  const id = await s.rill.submit('subw:parent', { items: Array.from({ length: 30_000 }, () => ({})) }) // ~90 kB of `{}`: a text kept as it is
  const parent = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
  const db = s.t.app.store.db
  const childOf = () => db.prepare<[number], { id: number; input_bytes: number; input_weight: number }>('SELECT id, input_bytes, input_weight FROM jobs WHERE parent_job_id = ?').get(parent)
  const deadline = Date.now() + 30_000
  while (!childOf() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50))
  const child = childOf()!
  const text = db.prepare<[number], string>("SELECT value FROM job_values WHERE job_id = ? AND name = 'input'").pluck().get(child.id)!
  expect(text.length).toBeGreaterThan(64 * 1024)
  expect(child.input_bytes).toBe(Buffer.byteLength(text))
  expect(child.input_weight).toBe(heldJsonWeight(child.input_bytes, jsonShapeOf(text)))
  expect(child.input_weight).toBeGreaterThan(10 * child.input_bytes) // 32 a map against 3 characters
})
