// Parallel flow_sync tasks each copy their input into a sub-flow's context: the contexts of the
// sub-flows one execution waits for are bounded together, as a foreach's or a choice's sub-contexts
// are (atk30: 30 tasks of a 1.2 MB context held the event loop 7-9 s). Past the bound, a start is
// refused before its copy is made, naming the sizes; the starts within it run.
import { expect, it } from 'vitest'
import { STATE_JSON_LIMIT } from '../../electron/store/state-json'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

it('refuses the sub-flow start whose context would take those it waits for past the bound, naming the size', async () => {
  // the children wait (a suspense nothing wakes): every context stays waited for
  await s.rill.addDescriptor('workspace: subcap\ndagName: leaf\ntype: flow\ntasks:\n  - {category: suspense, name: W}\n')
  const names = ['s0', 's1', 's2', 's3', 's4']
  let yaml = `workspace: subcap\ndagName: fan\ntype: flow\ntasks:\n  - {category: pass, name: root, next: "${names.join(',')}"}\n`
  for (const n of names) yaml += `  - {category: function, name: ${n}, pattern: flow_sync, resourceName: "rillflow://subcap:leaf", inputMappings: [{source: $.context.big, target: $.input.big}]}\n`
  await s.rill.addDescriptor(yaml)
  const id = await s.rill.submit('subcap:fan', { big: 'x'.repeat(3_500_000) }) // 5 × 3.5 MB: the fifth passes 16 MB
  const jobId = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
  const tasks = () => s.t.app.store.jobs.tasks(jobId).filter((t) => names.includes(t.name))
  const deadline = Date.now() + 60_000
  // a start within the bound may wait for a later tick's byte budget: running, its child not yet made
  const settled = () => tasks().filter((t) => t.status === 'failed' || (t.status === 'running' && typeof t.runtime?.referencedExecutionId === 'string')).length
  while (settled() < names.length && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50))
  const failed = tasks().filter((t) => t.status === 'failed')
  expect(failed).toHaveLength(1)
  expect(failed[0].error).toMatch(new RegExp(`^${failed[0].name}: its sub-flow's context \\(about 35000\\d\\d bytes\\) with those of the 4 sub-flows this execution waits for would hold about 175000\\d\\d bytes; they hold at most ${STATE_JSON_LIMIT} bytes together$`))
  // the four within the bound started their children and wait for them
  const started = tasks().filter((t) => t.status === 'running')
  expect(started).toHaveLength(4)
  for (const t of started) expect(typeof t.runtime?.referencedExecutionId).toBe('string')
  // a large input is stored for the child from its kept text, the root added as a copy would have it
  const ref = started[0].runtime!.referencedExecutionId as string
  const child = s.t.app.store.jobs.getByUuid(uuidOfExecutionId(ref))!
  expect(child.context).toEqual({ big: 'x'.repeat(3_500_000), flow_root_execution_id: id, flow_execution_id: ref })
  expect(child.input).toEqual({ big: 'x'.repeat(3_500_000), flow_root_execution_id: id })
  s.t.app.engine.cancel(jobId)
}, 120_000)
