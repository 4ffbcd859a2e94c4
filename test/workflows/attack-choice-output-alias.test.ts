// Attack (atk28) on d2161e2 (foreach sub-contexts copied) and the choice it followed. A choice's
// output is its groups' sub-contexts merged by groups.ts collectOutput: `Object.assign({}, ...subs)`,
// a shallow merge, so each top-level value of the output IS an object of a group's own sub-context
// (the last group's, for a key all have). The choice's output mappings then run against that output:
// one writing `$.output.cfg.by` writes into the last group's stored sub-context (its row is saved
// by the same tick's commit, after the write), so get_sub_context.json answers a context the group
// never had. Expected: a group's sub-context is what its own tasks left in it.
// The cause: electron/workflows/rillflow/runtime/groups.ts collectOutput (choice: no copy of the merge).
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

const descriptor = `workspace: choicealias\ndagName: merge\ntype: flow\ntasks:
  - category: choice
    name: pick
    inputMappings:
      - {source: "$.context.cfg", target: "$.input.cfg"}
    choices:
      - condition: $.input.[?(@.cfg)]
        tasks: [{category: pass, name: a}]
      - condition: $.input.[?(@.cfg)]
        tasks: [{category: pass, name: b}]
    outputMappings:
      - {source: "$.context.tag", target: "$.output.cfg.by"}
      - {source: "$.output.cfg", target: "$.context.merged"}
`

it("keeps a choice's output mappings out of its groups' sub-contexts", async () => {
  await s.rill.addDescriptor(descriptor)
  const id = await s.rill.submit('choicealias:merge', { cfg: { k: 1 }, tag: 'written-by-the-parent' })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  expect(done.context.merged).toEqual({ k: 1, by: 'written-by-the-parent' }) // the mapping did what it says
  for (const group of [0, 1]) {
    const sub = await s.rill.call('GET', `/flow/get_sub_context.json?execution_id=${encodeURIComponent(id)}&parent=pick&group_index=${group}`)
    // fails for group 1: its cfg holds `by`, written by the parent's output mapping into the merged output
    expect.soft(sub.body.ret?.cfg, `group ${group}: ${JSON.stringify(sub.body)}`).toEqual({ k: 1 })
  }
})

