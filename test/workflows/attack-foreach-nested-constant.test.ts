// atk39: a foreach's groups store a shared read-only constant once per job (migration 029) only when
// it sits at a sub-context's top level (group.repository.ts sharedValues looks at top-level keys).
// Mapped one level down (`$.context.nest.big`, a map a mapping made, not frozen), the same constant
// is serialized with every group's row and stored once per item again: the 0.95 MB × N rows and the
// ~180 ms per item serialization that #9 removed come back with one more path step. So do they with
// many constants each just under TASK_SPEC_PART_MIN at the top level: no one of them is a part.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TASK_SPEC_PART_MIN } from '../../electron/store/jobs/task-specs'
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

// the same, as many constants just under TASK_SPEC_PART_MIN (1,024 characters) at the top level: none is
// a part, and together they are as large as the one above
const SMALL = 30
const smallConstant = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(TASK_SPEC_PART_MIN - 40) })
const MANY_SMALL = foreachDescriptor('ctxsmall', 'wide', {
  name: 'loop',
  tasks: `      - category: pass
        name: P
        next: W
        outputMappings: [${Array.from({ length: SMALL }, (_, i) => `{source: '${smallConstant(i)}', target: $.context.c${i}}`).join(', ')}]
      - category: suspense
        name: W
        conditions: ["$.input.[?(@.go == true)]"]
        inputMappings: [{source: $.context.go, target: $.input.go}]
`,
})

const caller = { username: 'test', isAdmin: true }
const items = Array.from({ length: ITEMS }, (_, i) => i)

/** Submits `descriptor` on a new database and waits until every item's W waits; returns the stack and the job's id. */
async function allWaiting(descriptor: string) {
  const a = openRill(join(tempDir(), 'jobdesk.db'))
  const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: descriptor })
  const { job } = a.workflows.submit({ descriptorId, context: { items }, caller })
  const waiting = () => a.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
  await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS)
  return { a, job }
}

/** How many group rows job `jobId` has, and the characters of their stored sub-contexts. */
const storedGroups = (a: ReturnType<typeof openRill>, jobId: number) =>
  a.store.db.prepare('SELECT count(*) AS n, sum(length(context)) AS chars FROM task_groups WHERE job_id = ?').get(jobId) as { n: number; chars: number }

describe('a foreach whose groups hold shared constants the part rule does not see', () => {
  it('stores a constant below the top of the sub-contexts once for the job, not with every group', async () => {
    const { a, job } = await allWaiting(DESCRIPTOR)
    // every group reads its constant whole
    expect(a.store.groups.context(job.id, 'loop', ITEMS - 1)).toEqual({ it: ITEMS - 1, nest: { big: JSON.parse(CONSTANT) } })
    const stored = storedGroups(a, job.id)
    expect(stored.n).toBe(ITEMS)
    a.engine.stop()
    a.store.close()
    // at the top level the rows hold ~20 characters each (foreach-context-parts); one level down, the whole constant each
    expect(stored.chars, `${ITEMS} group rows hold ${stored.chars} characters: the ${CONSTANT.length}-character constant ${Math.round(stored.chars / CONSTANT.length)} times`).toBeLessThan(ITEMS * 100)
  }, 120_000)

  it(`stores ${SMALL} constants just under a part's size at the top of the sub-contexts once for the job, not with every group`, async () => {
    const { a, job } = await allWaiting(MANY_SMALL)
    expect(a.store.groups.context(job.id, 'loop', 0)!.c7).toEqual(JSON.parse(smallConstant(7)))
    const stored = storedGroups(a, job.id)
    expect(stored.n).toBe(ITEMS)
    a.engine.stop()
    a.store.close()
    const together = SMALL * smallConstant(0).length
    expect(stored.chars, `${ITEMS} group rows hold ${stored.chars} characters: the ${together} characters of constants ${Math.round(stored.chars / together)} times`).toBeLessThan(ITEMS * 100 * SMALL)
  }, 120_000)
})
