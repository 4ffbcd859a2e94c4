// Objects shared between a Rill Flow task's values and another context (#9, after d2161e2 made each
// foreach group's sub-context a copy). A choice's output is its groups' sub-contexts merged
// (groups.ts collectOutput: `Object.assign({}, ...subs)`), a shallow merge: each top-level value of the
// output IS an object of a group's sub-context, a row of the choice's groups. The choice's output
// mappings may write into the output (`$.output.cfg.tag`, as a pass task's may), and such a write
// lands in the group's sub-context too; the row of the group that settled last is saved in that same
// tick, so its stored sub-context shows what the parent wrote (the others, saved before, do not).
// A foreach's `sub_context` output holds the groups' sub-contexts themselves: the same.
// Expected: a group's sub-context is what its own sub-tasks made of it, whatever the parent writes.
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor, passTask } from './support/foreach-descriptor'

const s = rillSuite()

const subContext = async (id: string, parent: string, group: number) =>
  (await s.rill.call('GET', `/flow/get_sub_context.json?execution_id=${encodeURIComponent(id)}&parent=${parent}&group_index=${group}`)).body.ret

const choice = `workspace: groupalias\ndagName: choice\ntype: flow\ntasks:
  - category: choice
    name: C
    inputMappings:
      - {source: "$.context.cfg", target: "$.input.cfg"}
    choices:
      - condition: "$.input.cfg[?(@.k == 1)]"
        tasks:
          - category: pass
            name: P
            outputMappings:
              - {source: "mine", target: "$.context.cfg.by"}
    outputMappings:
      - {source: "$.context.flag", target: "$.output.cfg.tag"}
      - {source: "$.output.cfg", target: "$.context.cfg"}
`

it("keeps a choice's output mappings out of its groups' sub-contexts", async () => {
  await s.rill.addDescriptor(choice)
  const id = await s.rill.submit('groupalias:choice', { cfg: { k: 1 }, flag: 'parent' })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  expect(done.context.cfg).toEqual({ k: 1, by: 'mine', tag: 'parent' }) // the choice's mappings ran
  const output = done.tasks.C.invoke_msg?.output ?? done.tasks.C.output
  expect(output.cfg).toEqual({ k: 1, by: 'mine', tag: 'parent' }) // and wrote its output, as a pass task's do
  // fails: {k: 1, by: 'mine', tag: 'parent'}: the choice's write into its output landed in the group's sub-context
  expect(await subContext(id, 'C', 0)).toEqual({ cfg: { k: 1, by: 'mine' } })
})

const foreach = foreachDescriptor('groupalias', 'each', {
  name: 'F',
  tasks: passTask('"mine"', '$.context.it.by'),
  output: ['{source: "$.context.flag", target: "$.output.sub_context[0].it.tag"}', '{source: "$.output.sub_context", target: "$.context.subs"}'],
})

it("keeps a foreach's output mappings out of its groups' sub-contexts", async () => {
  await s.rill.addDescriptor(foreach)
  const id = await s.rill.submit('groupalias:each', { items: [{ n: 0 }], flag: 'parent' })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  expect(done.context.subs).toEqual([{ it: { n: 0, by: 'mine', tag: 'parent' } }])
  // fails: {it: {n: 0, by: 'mine', tag: 'parent'}}
  expect(await subContext(id, 'F', 0)).toEqual({ it: { n: 0, by: 'mine' } })
})

// Each branch a choice takes gets its own copy of the choice's input, all made in the tick that starts
// it and saved as rows of their own: bounded as a foreach's sub-contexts are (groups.ts subContextsTooLarge).
const wide = `workspace: groupalias\ndagName: wide\ntype: flow\ntasks:
  - category: choice
    name: C
    inputMappings:
      - {source: "$.context.pad", target: "$.input.pad"}
    choices:
${Array.from({ length: 6 }, (_, i) => `      - condition: "$.input[?(@.pad)]"\n        tasks:\n          - {category: pass, name: P${i}}`).join('\n')}
`

it('refuses, with the reason, a choice whose branches would copy its input past the size of a stored value', async () => {
  await s.rill.addDescriptor(wide)
  const id = await s.rill.submit('groupalias:wide', { pad: 'p'.repeat(3 << 20) })
  const done = await s.rill.finished(id, 20_000)
  // fails: SUCCEED, six copies of 3 MB made and saved in one tick
  expect(done.dag_status).toBe('FAILED')
  expect(JSON.stringify(done.tasks.C)).toMatch(/choice with 6 branches taken: its sub-contexts \(a copy of its input each\) would hold about \d+ bytes of JSON/)
})

// Checked, and held before: each branch a choice takes starts from its own copy of the input, so one
// branch's writes into an input object show neither in a sibling's sub-context nor in the choice's input.
const siblings = `workspace: groupalias\ndagName: siblings\ntype: flow\ntasks:
  - category: choice
    name: C
    inputMappings:
      - {source: "$.context.cfg", target: "$.input.cfg"}
    choices:
${['b0', 'b1'].map((b) => `      - condition: "$.input.cfg[?(@.k == 1)]"\n        tasks:\n          - category: pass\n            name: ${b}\n            outputMappings:\n              - {source: "${b}", target: "$.context.cfg.by"}`).join('\n')}
`

it("keeps each choice branch's writes into an input object in its own sub-context", async () => {
  await s.rill.addDescriptor(siblings)
  const id = await s.rill.submit('groupalias:siblings', { cfg: { k: 1 } })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  expect([await subContext(id, 'C', 0), await subContext(id, 'C', 1)]).toEqual([{ cfg: { k: 1, by: 'b0' } }, { cfg: { k: 1, by: 'b1' } }])
  expect((done.tasks.C.invoke_msg?.input ?? done.tasks.C.input).cfg).toEqual({ k: 1 })
})
