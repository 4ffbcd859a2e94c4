// A foreach's sub-tasks share their definition (the descriptor's task, commonMapping expanded): each
// item's sub-task spec held its own copy, serialized and stored once per item, so a descriptor with a
// large definition cost ~200 ms of main thread at a wide foreach's start and N copies in SQLite (#9).
// It is held once per execution now, in memory and in the store (task_spec_parts, migration 027), and a
// restart reads it back into every sub-task's spec.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { routeOf, specOf } from '../../electron/workflows/rillflow/runtime/task-specs'
import { storedSpecChars } from '../support/stored-specs'
import { tempDir } from '../support/temp-store'
import { openRill } from './support/open-rill'

const ITEMS = 40 // more than a batch (FANOUT_BATCH): the groups start over two inserts
const CONSTANT = JSON.stringify({ note: 'n'.repeat(60_000) }) // a large constant in the sub-task's definition

// each group waits (a suspense) until woken with {go: true}; then it maps the constant and its item (`done`)
const DESCRIPTOR = `workspace: defonce
dagName: wide
type: flow
commonMapping:
  goes: [{source: $.context.go, target: $.input.go}]
tasks:
  - category: foreach
    name: loop
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: item}
    outputMappings: [{target: $.context.done, source: "$.output.sub_context.[*].done"}]
    tasks:
      - category: suspense
        name: wait
        conditions: ["$.input.[?(@.go == true)]"]
        inputMappings: [{reference: goes}]
        outputMappings:
          - {source: $.output.go, target: $.context.go}
          - {source: '${CONSTANT}', target: $.context.big}
          - {source: $.context.item, target: $.context.done}
`

describe('a foreach over a descriptor with a large definition', () => {
  it('holds and stores the definition once for all its items, and a restart gives it back to every sub-task', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const caller = { username: 'test', isAdmin: true }
    const a = openRill(file)
    const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
    const items = Array.from({ length: ITEMS }, (_, i) => i)
    const { executionId, job } = a.workflows.submit({ descriptorId, context: { items }, caller })
    const waiting = () => a.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-wait') && t.status === 'running').length
    await expect.poll(waiting, { timeout: 30_000 }).toBe(ITEMS)

    // in memory: one definition object for every item's sub-task, its reference expanded
    const defs = a.engine.act(job.id, (ctl) => [...ctl.tasks()].filter((t) => t.name.endsWith('-wait')).map((t) => specOf(t).def))
    expect(defs).toHaveLength(ITEMS)
    expect(new Set(defs).size).toBe(1)
    expect(defs[0].inputMappings).toEqual([{ source: '$.context.go', target: '$.input.go' }])
    // in SQLite: once, not ITEMS times (40 × 60 kB were 2.4 MB)
    const defChars = JSON.stringify(defs[0]).length
    expect(defChars).toBeGreaterThan(CONSTANT.length)
    expect(storedSpecChars(a.store.db, job.id)).toBeLessThan(2 * defChars + ITEMS * 200)
    expect(a.store.db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ?').get(job.id)).toEqual({ n: 2 }) // the foreach's and its sub-task's
    a.engine.stop()
    a.store.close()

    // a restart: every sub-task's spec is read back whole (one parse, shared), and the foreach ends
    const b = openRill(file)
    b.engine.recover()
    const reread = b.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-wait'))
    expect(reread.map((t) => routeOf(t))).toEqual(items.map((i) => `loop_${i}`))
    for (const t of reread) expect(specOf(t).def).toEqual(defs[0])
    for (const i of items) b.workflows.wakeup(executionId, `loop_${i}-wait`, { go: true })
    expect((await b.engine.waitFor(job.id)).status).toBe('succeeded')
    expect(b.store.jobs.get(job.id)!.context!.done).toEqual(items)
    b.engine.stop()
    b.store.close()
  }, 120_000)
})
