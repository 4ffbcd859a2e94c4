// Attack (atk27) on 6ab7a75 (forgetKeptText for output mappings that write into a task's output).
// Another in-place edit of a task value after it was measured: a foreach's sub-context is made by
// groups.ts foreachSubContext as `{...foreachBase(input), [item]: collection[i]}`, a shallow copy, so
// each item object IS an element of the foreach task's own input (rec.input, measured and, over
// 64 kB, its text kept by prepareStateJson). A sub-task's output mapping writing `$.context.it.done`
// then writes into the foreach's input. The foreach's row is saved again when it ends: a small input
// is serialized anew and stored WITH what its sub-tasks wrote (not what it received), a large one
// stores the kept text without it: the stored input depends on the value's size.
// Expected: the foreach's stored input is what its input mappings gave it, whatever its size.
import { describe, expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor, passTask } from './support/foreach-descriptor'

const s = rillSuite()
/** The foreach's groups' contexts, kept as the context's `subs`. */
const SUBS = '{source: "$.output.sub_context", target: "$.context.subs"}'

const descriptor = (name: string) =>
  foreachDescriptor('eachalias', name, { inputs: ['flag', 'pad'], output: [SUBS], tasks: passTask('"$.context.flag"', '$.context.it.done') })

describe('a foreach whose sub-tasks write into their item ($.context.it.x)', () => {
  for (const [label, size] of [
    ['small', 10],
    ['large (over 64 kB)', 100_000],
  ] as const) {
    it(`stores the foreach's input as it received it: ${label}`, async () => {
      const name = `e${size}`
      await s.rill.addDescriptor(descriptor(name))
      const id = await s.rill.submit(`eachalias:${name}`, { items: [{ n: 0 }, { n: 1 }], flag: 'yes', pad: 'p'.repeat(size) })
      const done = await s.rill.finished(id)
      expect(done.dag_status).toBe('SUCCEED')
      expect(done.context.subs.map((c: { it: unknown }) => c.it)).toEqual([{ n: 0, done: 'yes' }, { n: 1, done: 'yes' }]) // the sub-tasks wrote their items
      const input = done.tasks.each.invoke_msg?.input ?? done.tasks.each.input
      // fails for the small one: [{n:0,done:'yes'},{n:1,done:'yes'}] (the sub-tasks' writes landed in the foreach's input)
      expect(input.items, label).toEqual([{ n: 0 }, { n: 1 }])
    })
  }
})

// The same shallow copy shares every other input object among the groups: a write into `$.context.cfg`
// by one group lands in every sibling's sub-context (and the foreach's input).
const shared = foreachDescriptor('eachalias', 'shared', { inputs: ['cfg'], index: 'idx', output: [SUBS], tasks: passTask('"$.context.it"', '$.context.cfg.by') })

it('keeps each group\'s writes into a shared input object in its own sub-context', async () => {
  await s.rill.addDescriptor(shared)
  const id = await s.rill.submit('eachalias:shared', { items: ['a', 'b', 'c'], cfg: { k: 1 } })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  // fails: every group's cfg is one object, so all show the last writer's value
  expect(done.context.subs.map((c: { cfg: { by: string } }) => c.cfg.by)).toEqual(['a', 'b', 'c'])
})
