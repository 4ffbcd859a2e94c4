// A foreach's sub-contexts are copies of its input (groups.ts foreachSubContext), and a choice's
// branches copies too; a constant list or map in that input is shared read-only now (not copied for
// each item: mapping-constants-shared.test.ts), so what one item writes into it must stay that item's.
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor } from './support/foreach-descriptor'

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
