// A foreach's groups share a constant mapped into their sub-contexts (read-only, not copied per item),
// but each group's row held its own copy: a 0.95 MB constant was serialized for every item (~180 ms
// each) and stored N times (#9). It is stored once per execution now, as a part (task_spec_parts,
// migration 029), and a restart reads it back into every group's sub-context, read-only: what one item
// writes into it stays that item's. Rows stored before (the constant inline, no context_parts column)
// still read, and their foreach still ends.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../electron/store/migrations'
import { tempDir } from '../support/temp-store'
import { foreachDescriptor, wideMap } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const ITEMS = 60 // more than two batches (FANOUT_BATCH): the groups start over three ticks and commits
const CONSTANT = wideMap(30_000) // one map of ~4,000 keys: a part (TASK_SPEC_PART_MIN) many times over

// each group maps the constant into its sub-context (P), then waits (W) until woken with {go: true},
// and then writes its item into its own `big` (a copy: the constant is shared read-only)
const DESCRIPTOR = foreachDescriptor('ctxparts', 'wide', {
  name: 'loop',
  output: ['{target: $.context.mine, source: "$.output.sub_context.[*].big.mine"}'],
  tasks: `      - category: pass
        name: P
        next: W
        outputMappings: [{source: '${CONSTANT}', target: $.context.big}]
      - category: suspense
        name: W
        conditions: ["$.input.[?(@.go == true)]"]
        inputMappings: [{source: $.context.go, target: $.input.go}]
        outputMappings: [{source: $.output.go, target: $.context.go}, {source: $.context.it, target: $.context.big.mine}]
`,
})

const caller = { username: 'test', isAdmin: true }
const items = Array.from({ length: ITEMS }, (_, i) => i)

const restores: (() => void)[] = []
afterEach(() => {
  for (const restore of restores.splice(0)) restore()
})

/** Counts the calls of `owner[name]` (a function) whose arguments and result `match`, until the test ends. */
function countCalls<O, K extends keyof O>(owner: O, name: K, match: (args: unknown[], result: unknown) => boolean): { n: number } {
  const original = owner[name] as (...args: unknown[]) => unknown
  const count = { n: 0 }
  owner[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args)
    if (match(args, result)) count.n++
    return result
  } as O[K]
  restores.push(() => {
    owner[name] = original as O[K]
  })
  return count
}

/**
 * Submits the foreach on `file` and waits until every item's W waits, or with `midFanOut` only until
 * its first batch of groups started (the engine starts the next in a later turn); returns the stack and the execution.
 */
async function startWaiting(file: string, midFanOut = false) {
  const a = openRill(file)
  const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
  const { executionId, job } = a.workflows.submit({ descriptorId, context: { items }, caller })
  const waiting = () => a.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
  if (midFanOut) while (a.store.groups.statuses(job.id, 'loop').size === 0) await new Promise((r) => setImmediate(r))
  else await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS)
  return { a, executionId, jobId: job.id }
}

/** Restarts on `file`, wakes every item and expects the foreach to end with each item's own write. */
async function finishAfterRestart(file: string, executionId: string, jobId: number) {
  const b = openRill(file)
  b.engine.recover()
  const waiting = () => b.store.jobs.someTasks(jobId, { prefix: 'loop_' }).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
  await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS) // the groups not started before start now
  // half first: a woken group's write into `big` must not show in another group's
  for (const i of items.slice(0, ITEMS / 2)) b.workflows.wakeup(executionId, `loop_${i}-W`, { go: true })
  await expect.poll(() => b.store.groups.statuses(jobId, 'loop').get(ITEMS / 2 - 1), { timeout: 60_000 }).toBe('succeeded')
  const big = (i: number) => b.store.groups.context(jobId, 'loop', i)!.big as Record<string, unknown>
  expect(big(0).mine).toBe(0)
  expect(big(ITEMS / 2 - 1).mine).toBe(ITEMS / 2 - 1)
  expect(big(ITEMS / 2).mine).toBeUndefined()
  expect(big(ITEMS - 1).mine).toBeUndefined()
  expect(Object.keys(big(ITEMS - 1))).toEqual(Object.keys(JSON.parse(CONSTANT)))
  for (const i of items.slice(ITEMS / 2)) b.workflows.wakeup(executionId, `loop_${i}-W`, { go: true })
  expect((await b.engine.waitFor(jobId)).status).toBe('succeeded')
  expect(b.store.jobs.get(jobId)!.context!.mine).toEqual(items)
  b.engine.stop()
  b.store.close()
}

describe("a foreach's groups sharing a large constant in their sub-contexts", () => {
  it('serialize and store it once for all items; a restart reads it back read-only and the foreach ends', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const large = countCalls(JSON, 'stringify', (_, text) => typeof text === 'string' && text.length >= CONSTANT.length)
    // Object.isFrozen walks every key of a frozen map of many keys: asked of the constant once, not per item
    const frozenAsked = countCalls(Object, 'isFrozen', ([v]) => typeof v === 'object' && v !== null && 'k1' in v && 'k2' in v)
    const { a, executionId, jobId } = await startWaiting(file)
    // once each: the descriptor's parsed form, the foreach's and P's definitions (their spec parts: P's
    // mapping source), the sub-contexts' part; 60 more before, one per item
    expect(large.n).toBeLessThanOrEqual(4)
    expect(frozenAsked.n).toBeLessThanOrEqual(2) // 4 per item before
    for (const restore of restores.splice(0)) restore()
    const stored = a.store.db.prepare('SELECT count(*) AS n, sum(length(context)) AS chars FROM task_groups WHERE job_id = ?').get(jobId) as { n: number; chars: number }
    expect(stored.n).toBe(ITEMS)
    expect(stored.chars).toBeLessThan(ITEMS * 100) // 60 × 30 kB before
    expect(a.store.db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ? AND text = ?').get(jobId, CONSTANT)).toEqual({ n: 1 })
    // every group's sub-context reads whole
    for (const i of [0, ITEMS - 1]) expect(a.store.groups.context(jobId, 'loop', i)).toEqual({ it: i, big: JSON.parse(CONSTANT) })
    a.engine.stop()
    a.store.close()
    await finishAfterRestart(file, executionId, jobId)
  }, 120_000)

  it('reads rows stored before (the constant inline, a database without context_parts) after a restart, and ends the foreach', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const { a, executionId, jobId } = await startWaiting(file)
    const contexts = a.store.groups.rows(jobId, 'loop').map((r) => JSON.stringify(r.context))
    a.engine.stop()
    a.store.close()
    // the database as it was before migration 029, its rows as the code before wrote them
    const old = new Database(file)
    const rewrite = old.prepare("UPDATE task_groups SET context = ? WHERE job_id = ? AND parent = 'loop' AND idx = ?")
    contexts.forEach((text, i) => rewrite.run(text, jobId, i))
    old.exec('ALTER TABLE task_groups DROP COLUMN context_parts')
    old.pragma(`user_version = ${MIGRATIONS.length - 1}`)
    old.close()
    await finishAfterRestart(file, executionId, jobId)
    const db = new Database(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    db.close()
  }, 120_000)

  it('go on starting groups after a restart in the middle of the fan-out, each with the constant, and end', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const { a, executionId, jobId } = await startWaiting(file, true)
    expect(a.store.groups.statuses(jobId, 'loop').size).toBeLessThan(ITEMS)
    a.engine.stop()
    a.store.close()
    await finishAfterRestart(file, executionId, jobId)
    // once before the restart, and at most once more after it (each process stores a value it has not read as a part once)
    const db = new Database(file)
    expect((db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ? AND text = ?').get(jobId, CONSTANT) as { n: number }).n).toBeLessThanOrEqual(2)
    db.close()
  }, 120_000)
})
