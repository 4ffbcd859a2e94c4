// A foreach's sub-tasks share their definition (task-specs.ts expandTask), but each held a spec object
// of its own (the definition, its route and execution id), and a small definition (a few hundred
// characters, under TASK_SPEC_INLINE_MAX) was stored inline in every sub-task's row, so a restart parsed
// each row's copy on its own: a waiting 100k-item foreach (one suspense sub-task of 268 characters)
// stored 34.9 M characters of specs (349 a row) and held +83.3 MiB of heap while it ran, +145.2 MiB
// after a restart (#9). Now a shared definition is a part whatever its size (store/jobs/task-rows.ts,
// TASK_SPEC_SHARED_PART_MIN), the sub-tasks of one definition share one spec (the route is the task
// name's, routeOf), and a read gives rows of the same spec one object: ~8.1 M characters stored (81 a
// row: its execution id), +75.7 MiB running, +76.5 MiB after a restart. This test holds it: no sub-task
// row holds the definition, one spec object for all sub-tasks while running and after a restart; the
// execution then goes on and ends right (its sub-contexts, its output).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { routeOf, specOf } from '../../electron/workflows/rillflow/runtime/task-specs'
import { storedSpecChars } from '../support/stored-specs'
import { tempDir } from '../support/temp-store'
import { openRill } from './support/open-rill'

const ITEMS = 60 // more than a batch (FANOUT_BATCH): the groups start over three inserts

const DESCRIPTOR = `workspace: sharedspec
dagName: wide
type: flow
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
        inputMappings: [{source: $.context.go, target: $.input.go}]
        outputMappings: [{source: $.output.go, target: $.context.go}, {source: $.context.item, target: $.context.done}]
`

describe("a foreach's small sub-task definition", () => {
  it('is stored once, not in each sub-task row, and a restart gives every sub-task one shared definition', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const caller = { username: 'test', isAdmin: true }
    const a = openRill(file)
    const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
    const items = Array.from({ length: ITEMS }, (_, i) => i)
    const { executionId, job } = a.workflows.submit({ descriptorId, context: { items }, caller })
    const waiting = () => a.store.jobs.taskCountsByStatus(job.id).running ?? 0
    await expect.poll(waiting, { timeout: 30_000 }).toBe(ITEMS + 1)

    // in memory: one spec object for every item's sub-task (each had its own, with its route)
    const running = a.engine.act(job.id, (ctl) => [...ctl.tasks()].filter((t) => t.name.endsWith('-wait')).map((t) => t.spec))
    expect(running).toHaveLength(ITEMS)
    expect(new Set(running).size).toBe(1)
    const def = specOf({ spec: running[0] }).def
    const defChars = JSON.stringify(def).length
    expect(defChars).toBeGreaterThan(200)
    // no sub-task row holds the definition (each held its own copy: 349 characters a row here)
    const longest = a.store.db.prepare<[number], number>("SELECT max(length(spec)) FROM tasks WHERE job_id = ? AND name LIKE 'loop\\_%' ESCAPE '\\'").pluck().get(job.id)!
    expect(longest).toBeLessThan(defChars)
    expect(storedSpecChars(a.store.db, job.id)).toBeLessThan(4 * defChars + ITEMS * 120)
    a.engine.stop()
    a.store.close()

    // a restart: one spec object for every sub-task, read back whole
    const b = openRill(file)
    b.engine.recover()
    const waits = b.engine.act(job.id, (ctl) => [...ctl.tasks()].filter((t) => t.name.endsWith('-wait')))
    expect(waits.map((t) => routeOf(t))).toEqual(items.map((i) => `loop_${i}`))
    const defs = waits.map((t) => specOf(t))
    expect(new Set(defs).size).toBe(1)
    expect(defs[0].def).toEqual(def)
    expect(defs[0].executionId).toBe(executionId)
    // it goes on: each group woken maps its item, the foreach gathers them
    for (const i of items) b.workflows.wakeup(executionId, `loop_${i}-wait`, { go: true })
    expect((await b.engine.waitFor(job.id)).status).toBe('succeeded')
    expect(b.store.jobs.get(job.id)!.context!.done).toEqual(items)
    expect(b.workflows.execution(executionId, 'none').groups.subContext('loop', 7)).toMatchObject({ item: 7, done: 7 })
    b.engine.stop()
    b.store.close()
  }, 120_000)
})
