// A foreach's sub-contexts are copies of its input (groups.ts foreachSubContext), and a choice's
// branches copies too; a constant list or map in that input is shared read-only now (not copied for
// each item: mapping-constants-shared.test.ts), so what one item writes into it must stay that item's.
// A transform that only reads a constant gets it as it is, not a copy per item.
import { expect, it } from 'vitest'
import { envCopiesMade } from '../../electron/workflows/rillflow/aviator'
import { foreachDescriptor } from './support/foreach-descriptor'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

it("keeps each foreach item's write into a shared constant of its input to that item's sub-context", async () => {
  await s.rill.addDescriptor(
    foreachDescriptor('shared', 'loop', {
      inputs: [`{source: '{"limits": {"a": 1, "b": 2}, "tags": ["x"]}', target: "$.input.cfg"}`],
      output: ['{source: "$.output.sub_context", target: "$.context.subs"}'],
      tasks: `      - category: pass
        name: P
        inputMappings:
          - {source: "$.context.it", target: "$.input.it"}
        outputMappings:
          - {source: "$.output.it", target: "$.context.cfg.limits.a"}
          - {source: "$.output.it", target: "$.context.cfg.tags[1]"}
`,
    }),
  )
  const id = await s.rill.submit('shared:loop', { items: [10, 20, 30] })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  const cfgs = (done.context.subs as { cfg: unknown }[]).map((sub) => sub.cfg)
  expect(cfgs).toEqual([
    { limits: { a: 10, b: 2 }, tags: ['x', 10] },
    { limits: { a: 20, b: 2 }, tags: ['x', 20] },
    { limits: { a: 30, b: 2 }, tags: ['x', 30] },
  ])
  const again = await s.rill.finished(await s.rill.submit('shared:loop', { items: [1] }))
  expect((again.context.subs as { cfg: unknown }[])[0].cfg).toEqual({ limits: { a: 1, b: 2 }, tags: ['x', 1] }) // the constant as written
})

it("lets a transform in each item's sub-task read a large constant without copying it per item (#9)", async () => {
  // a map of 2,000 keys (~30 kB), read by each of 200 items' transforms: it was copied 200 times
  const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])))
  await s.rill.addDescriptor(
    foreachDescriptor('shared', 'reads', {
      output: ['{source: "$.output.sub_context.[*].got", target: "$.context.got"}'],
      tasks: `      - category: pass
        name: P
        inputMappings:
          - {source: "$.context.it", target: "$.input.it"}
          - {source: '${wide}', transform: "return count(source);", target: "$.input.n"}
        outputMappings:
          - {source: '${wide}', transform: "return seq.get(source, 'k1999');", target: "$.context.got"}
`,
    }),
  )
  const items = Array.from({ length: 200 }, (_, i) => i)
  const before = envCopiesMade()
  const done = await s.rill.finished(await s.rill.submit('shared:reads', { items }))
  expect(done.dag_status).toBe('SUCCEED')
  expect(done.context.got).toEqual(items.map(() => 1999))
  expect(envCopiesMade() - before).toBe(0) // 400 copies of the constant before
})
