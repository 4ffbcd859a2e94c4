// atk39: a foreach's groups store a shared read-only constant once per job (migration 029) only when
// it sits at a sub-context's top level (group.repository.ts sharedValues looks at top-level keys).
// Mapped one level down (`$.context.nest.big`, a map a mapping made, not frozen), the same constant
// is serialized with every group's row and stored once per item again: the 0.95 MB × N rows and the
// ~180 ms per item serialization that #9 removed come back with one more path step.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-store'
import { foreachDescriptor, wideMap } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const ITEMS = 60
const CONSTANT = wideMap(30_000) // a part (TASK_SPEC_PART_MIN) many times over

// each group maps the constant one level down in its sub-context, then waits until woken
const DESCRIPTOR = foreachDescriptor('ctxnest', 'wide', {
  name: 'loop',
  tasks: `      - category: pass
        name: P
        next: W
        outputMappings: [{source: '${CONSTANT}', target: $.context.nest.big}]
      - category: suspense
        name: W
        conditions: ["$.input.[?(@.go == true)]"]
        inputMappings: [{source: $.context.go, target: $.input.go}]
`,
})

const caller = { username: 'test', isAdmin: true }
const items = Array.from({ length: ITEMS }, (_, i) => i)

describe('a foreach whose groups hold a shared constant below the top of their sub-contexts', () => {
  it('stores the constant once for the job, not with every group', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const a = openRill(file)
    const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
    const { job } = a.workflows.submit({ descriptorId, context: { items }, caller })
    const waiting = () => a.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
    await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS)
    // every group reads its constant whole
    expect(a.store.groups.context(job.id, 'loop', ITEMS - 1)).toEqual({ it: ITEMS - 1, nest: { big: JSON.parse(CONSTANT) } })
    const stored = a.store.db.prepare('SELECT count(*) AS n, sum(length(context)) AS chars FROM task_groups WHERE job_id = ?').get(job.id) as { n: number; chars: number }
    expect(stored.n).toBe(ITEMS)
    a.engine.stop()
    a.store.close()
    // at the top level the rows hold ~20 characters each (foreach-context-parts); one level down, the whole constant each
    expect(stored.chars, `${ITEMS} group rows hold ${stored.chars} characters: the ${CONSTANT.length}-character constant ${Math.round(stored.chars / CONSTANT.length)} times`).toBeLessThan(ITEMS * 100)
  }, 120_000)
})
