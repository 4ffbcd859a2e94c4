// A foreach's groups store the small read-only values their sub-contexts share once per job, in one
// part, a bundle (group.repository.ts, migration 029). But over a constant list each item is read-only
// too (a frozen list's items are frozen), so an item of more than SHARED_VALUE_MIN characters joined
// its group's bundle: every group had a different bundle, and each stored all the shared constants
// again. 20 items × 10 constants of 1,000 characters stored 229,015 characters, about 23 copies.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-store'
import { openRill } from './support/open-rill'

const ITEMS = 20
const CONSTANTS = 10
/** Constant `i` (JSON) of 1,000 characters: under TASK_SPEC_PART_MIN, so in a bundle, not a part of its own. */
const constant = (i: number) => JSON.stringify({ c: i, pad: 'x'.repeat(984) })
const items = Array.from({ length: ITEMS }, (_, i) => ({ id: i, name: `item ${i}`, pad: 'y'.repeat(100) })) // each over SHARED_VALUE_MIN

// the foreach maps the items and the constants into its input, all constants (frozen); each group's
// pass task writes its item's id and a value of a shared constant into its sub-context
const DESCRIPTOR = `workspace: bundles
dagName: consts
type: flow
tasks:
  - category: foreach
    name: loop
    inputMappings:
      - {source: '${JSON.stringify(items)}', target: "$.input.items"}
${Array.from({ length: CONSTANTS }, (_, i) => `      - {source: '${constant(i)}', target: "$.input.c${i}"}`).join('\n')}
    iterationMapping: {collection: "$.input.items", item: it}
    outputMappings:
      - {source: "$.output.sub_context.[*].out", target: "$.context.outs"}
    tasks:
      - category: pass
        name: P
        inputMappings:
          - {source: "$.context.it.id", target: "$.input.id"}
          - {source: "$.context.c7.c", target: "$.input.c"}
        outputMappings:
          - {source: "$.output", target: "$.context.out"}
`

const caller = { username: 'test', isAdmin: true }

describe('a foreach over a constant list, its groups sharing small constants', () => {
  it('stores the shared constants about once for the job, not once per item, and each item still gets its own result', async () => {
    const a = openRill(join(tempDir(), 'jobdesk.db'))
    const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
    const { job } = a.workflows.submit({ descriptorId, context: {}, caller })
    const done = await a.engine.waitFor(job.id)
    expect(done.status).toBe('succeeded')
    expect(a.store.jobs.get(job.id)!.context!.outs).toEqual(items.map((it) => ({ id: it.id, c: 7 })))
    // every group reads its item and the constants whole
    expect(a.store.groups.context(job.id, 'loop', ITEMS - 1)).toMatchObject({ it: items[ITEMS - 1], c0: JSON.parse(constant(0)), c9: JSON.parse(constant(9)) })
    const db = a.store.db
    const rows = db.prepare("SELECT count(*) AS n, sum(length(context)) + coalesce(sum(length(context_parts)), 0) AS chars FROM task_groups WHERE job_id = ? AND parent = 'loop'").get(job.id) as { n: number; chars: number }
    // the job's parts but those of its tasks' specs (the descriptor's definition): the groups' parts, and any left unreferenced
    const parts = db
      .prepare(
        `SELECT coalesce(sum(length(text)), 0) AS chars FROM task_spec_parts WHERE job_id = ?
         AND id NOT IN (SELECT value FROM tasks, json_each(tasks.spec_parts) WHERE tasks.job_id = ? AND tasks.spec_parts IS NOT NULL)`,
      )
      .get(job.id, job.id) as { chars: number }
    a.engine.stop()
    a.store.close()
    expect(rows.n).toBe(ITEMS)
    const constants = CONSTANTS * constant(0).length
    const itemsChars = JSON.stringify(items).length
    const stored = rows.chars + parts.chars
    // one copy of the constants, the items once each, and the groups' own keys and references (~250 characters each)
    expect(stored, `${ITEMS} groups stored ${stored} characters: the ${constants} characters of constants ${(stored / constants).toFixed(1)} times`).toBeLessThan(1.5 * constants + itemsChars + ITEMS * 300)
  }, 120_000)
})
