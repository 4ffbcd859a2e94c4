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
import groupContextParts from '../../electron/store/migrations/029-group-context-parts'
import { tempDir } from '../support/temp-store'
import { foreachDescriptor, wideMap } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const ITEMS = 60 // more than two batches (FANOUT_BATCH): the groups start over three ticks and commits
const CONSTANT = wideMap(30_000) // one map of ~4,000 keys: a part (TASK_SPEC_PART_MIN) many times over

const SMALL = JSON.stringify({ pad: 'x'.repeat(200) }) // under TASK_SPEC_PART_MIN: a bundle's part (group.repository.ts bundleOf)

/** Where a descriptor maps its constants in each sub-context, with what (as JSON). */
type Places = Record<string, string>
const TOP: Places = { big: CONSTANT }
const NESTED: Places = { 'nest.big': CONSTANT, 'nest.small': SMALL } // one level down (atk39), and a small one beside

// each group maps the constants into its sub-context (P), then waits (W) until woken with {go: true},
// and then writes its item into each of them (a copy: the constants are shared read-only)
const descriptor = (places: Places) =>
  foreachDescriptor('ctxparts', 'wide', {
    name: 'loop',
    output: [`{target: $.context.mine, source: "$.output.sub_context.[*].${Object.keys(places)[0]}.mine"}`],
    tasks: `      - category: pass
        name: P
        next: W
        outputMappings: [${Object.entries(places).map(([place, json]) => `{source: '${json}', target: $.context.${place}}`).join(', ')}]
      - category: suspense
        name: W
        conditions: ["$.input.[?(@.go == true)]"]
        inputMappings: [{source: $.context.go, target: $.input.go}]
        outputMappings: [{source: $.output.go, target: $.context.go}${Object.keys(places).map((place) => `, {source: $.context.it, target: $.context.${place}.mine}`).join('')}]
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
async function startWaiting(file: string, midFanOut = false, places = TOP) {
  const a = openRill(file)
  const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: descriptor(places) })
  const { executionId, job } = a.workflows.submit({ descriptorId, context: { items }, caller })
  const waiting = () => a.store.jobs.tasks(job.id).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
  if (midFanOut) while (a.store.groups.statuses(job.id, 'loop').size === 0) await new Promise((r) => setImmediate(r))
  else await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS)
  return { a, executionId, jobId: job.id }
}

/** The map at `place` (dotted keys) of a sub-context. */
const at = (context: Record<string, unknown>, place: string) => place.split('.').reduce((v, key) => (v as Record<string, unknown>)[key], context as unknown) as Record<string, unknown>

/**
 * Restarts on `file`, wakes every item (but the first `woken`, woken before) and expects the foreach
 * to end with each item's own write into each place.
 */
async function finishAfterRestart(file: string, executionId: string, jobId: number, places = TOP, woken = 0) {
  const b = openRill(file)
  b.engine.recover()
  const waiting = () => b.store.jobs.someTasks(jobId, { prefix: 'loop_' }).filter((t) => t.name.endsWith('-W') && t.status === 'running').length
  await expect.poll(waiting, { timeout: 60_000 }).toBe(ITEMS - woken) // the groups not started before start now
  // half first: a woken group's write into `big` must not show in another group's
  for (const i of items.slice(woken, ITEMS / 2)) b.workflows.wakeup(executionId, `loop_${i}-W`, { go: true })
  await expect.poll(() => b.store.groups.statuses(jobId, 'loop').get(ITEMS / 2 - 1), { timeout: 60_000 }).toBe('succeeded')
  for (const [place, json] of Object.entries(places)) {
    const big = (i: number) => at(b.store.groups.context(jobId, 'loop', i)!, place)
    expect(big(0).mine).toBe(0)
    expect(big(ITEMS / 2 - 1).mine).toBe(ITEMS / 2 - 1)
    expect(big(ITEMS / 2).mine).toBeUndefined()
    expect(big(ITEMS - 1).mine).toBeUndefined()
    expect(Object.keys(big(ITEMS - 1))).toEqual(Object.keys(JSON.parse(json)))
  }
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
    // migration 037's triggers name the column: they go with it (037 makes them again)
    old.exec('DROP TRIGGER job_state_bytes_task_groups_added; DROP TRIGGER job_state_bytes_task_groups_changed; DROP TRIGGER job_counts_task_groups_removed')
    old.exec('ALTER TABLE task_groups DROP COLUMN context_parts')
    // and without what the migrations after 029 added that they cannot add again (030's; 031 can), so they all run again
    old.exec('DROP TRIGGER users_seen_on_token_use; DROP TRIGGER users_seen_on_sign_in; ALTER TABLE users DROP COLUMN last_seen_at')
    old.exec('ALTER TABLE jobs DROP COLUMN stop_as') // 040's
    old.pragma(`user_version = ${MIGRATIONS.indexOf(groupContextParts)}`)
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
    // once: the restarted process maps the constant again for the groups it starts, and finds its part by its text (migration 031)
    const db = new Database(file)
    expect((db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ? AND text = ?').get(jobId, CONSTANT) as { n: number }).n).toBe(1)
    db.close()
  }, 120_000)

  it('store constants one level down once for all items (a small one with others in one part); writes stay each item\'s, before and after a restart', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const { a, executionId, jobId } = await startWaiting(file, false, NESTED)
    const stored = a.store.db.prepare('SELECT sum(length(context)) AS chars, sum(length(context_parts)) AS refs FROM task_groups WHERE job_id = ?').get(jobId) as { chars: number; refs: number }
    expect(stored.chars + stored.refs).toBeLessThan(ITEMS * 120) // 60 × 30 kB before
    expect(a.store.db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ? AND text IN (?, ?)').get(jobId, CONSTANT, `[${SMALL}]`)).toEqual({ n: 2 })
    // a woken item's writes show in its own sub-context only, before the restart too
    a.workflows.wakeup(executionId, 'loop_0-W', { go: true })
    await expect.poll(() => a.store.groups.statuses(jobId, 'loop').get(0), { timeout: 60_000 }).toBe('succeeded')
    expect(at(a.store.groups.context(jobId, 'loop', 0)!, 'nest.small').mine).toBe(0)
    expect(a.store.groups.context(jobId, 'loop', 1)).toEqual({ it: 1, nest: { big: JSON.parse(CONSTANT), small: JSON.parse(SMALL) } })
    a.engine.stop()
    a.store.close()
    await finishAfterRestart(file, executionId, jobId, NESTED, 1)
  }, 120_000)

  it('reads rows of 029 as first written (context_parts a map of top-level keys) after a restart, and ends the foreach', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const { a, executionId, jobId } = await startWaiting(file)
    a.engine.stop()
    a.store.close()
    const db = new Database(file)
    const rows = db.prepare("SELECT idx, context_parts FROM task_groups WHERE job_id = ? AND parent = 'loop'").all(jobId) as { idx: number; context_parts: string }[]
    const rewrite = db.prepare("UPDATE task_groups SET context_parts = ? WHERE job_id = ? AND parent = 'loop' AND idx = ?")
    for (const r of rows) rewrite.run(JSON.stringify({ big: (JSON.parse(r.context_parts) as [string[], number][])[0]![1] }), jobId, r.idx)
    db.close()
    await finishAfterRestart(file, executionId, jobId)
  }, 120_000)
})
