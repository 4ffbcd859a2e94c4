// A sweep step takes the rows it removes off their job's figures itself, once a step (migration 050,
// row-sweeper.ts removeCounted), where triggers did it a row at a time (3 UPDATEs of the job and 2
// of its user a task row: the redo sweep's steps went 6.8 -> 24.7 ms). What users' quotas read must
// be the same either way: a job's state_bytes, state_weight and task_rows equal a recount of its
// remaining rows after every step, its user's totals follow, and a row deleted outside a sweep is
// still counted off by the triggers.
import { expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { rowSweeper } from '../../electron/store/row-sweeper'
import { storesPerTest } from '../support/finished-jobs'

const stores = storesPerTest()
const MAPS = '[' + Array.from({ length: 50 }, () => '{}').join(',') + ']'

/** Job `id`'s kept figures as stored, and as a recount of its rows gives them. */
function figures(store: Store, id: number) {
  const one = (sql: string) => store.db.prepare(sql).pluck().get(id) as number
  return {
    stored: {
      bytes: one('SELECT state_bytes FROM jobs WHERE id = ?'),
      weight: one('SELECT state_weight FROM jobs WHERE id = ?'),
      tasks: one('SELECT task_rows FROM jobs WHERE id = ?'),
    },
    counted: {
      bytes: one(`SELECT
          coalesce((SELECT sum(coalesce(octet_length(input), 0) + coalesce(octet_length(output), 0) + coalesce(octet_length(runtime), 0) + octet_length(spec)
            + coalesce((SELECT octet_length(s.spec) FROM task_specs s WHERE s.task_id = t.id), 0)) FROM tasks t WHERE t.job_id = j.id), 0)
        + coalesce((SELECT sum(coalesce(octet_length(context), 0) + coalesce(octet_length(context_parts), 0)) FROM task_groups g WHERE g.job_id = j.id), 0)
        + coalesce((SELECT sum(CASE WHEN name = 'input' THEN 0 ELSE octet_length(value) END) FROM job_values v WHERE v.job_id = j.id), 0)
        + coalesce((SELECT sum(octet_length(text)) FROM task_spec_parts p WHERE p.job_id = j.id), 0)
        FROM jobs j WHERE j.id = ?`),
      weight: one(`SELECT coalesce((SELECT sum(value_weight) FROM tasks WHERE job_id = j.id), 0) + coalesce((SELECT sum(weight) FROM task_groups WHERE job_id = j.id), 0)
        + coalesce((SELECT sum(weight) FROM job_values WHERE job_id = j.id), 0) FROM jobs j WHERE j.id = ?`),
      tasks: one('SELECT count(*) FROM tasks WHERE job_id = ?'),
    },
  }
}

it("takes a redo's swept sub-tasks and groups off their job and user once a step, as the triggers would a row", () => {
  const { store } = stores.open()
  store.sweeper.stop() // the test takes the sweep's steps itself
  const id = store.jobs.create({ uuid: 'u', kind: 'workflow', name: 'w', submitter: 'eve', input: {}, context: {} }, [
    { name: 'f', executor: 'noop', spec: {} },
    { name: 'g', executor: 'noop', spec: {} },
  ])
  const job = store.jobs.get(id)!
  job.status = 'running'
  store.jobs.saveJob(job)
  // a foreach's 300 sub-tasks with values (weighed by their shape) and specs, and its groups' sub-contexts
  store.transaction(() => store.jobs.addTasks(id, Array.from({ length: 300 }, (_, i) => ({ name: `f_${i}-p`, executor: 'noop', spec: { n: i, text: 'x'.repeat(i) } }))))
  for (const t of store.jobs.tasks(id).filter((t) => t.name.startsWith('f_'))) {
    t.input = { items: JSON.parse(MAPS) }
    t.output = { n: t.name }
    store.jobs.saveTask(t)
  }
  store.groups.save(id, 'f', Array.from({ length: 300 }, (_, i) => ({ index: i, status: 'succeeded' as const, context: { item: JSON.parse(MAPS), i } })))
  const before = figures(store, id)
  expect(before.stored).toEqual(before.counted)
  expect(before.stored.weight).toBeGreaterThan(0)
  const held = store.keptBytes.liveStateOf('eve')
  const kept = store.keptBytes.ofSubmitter('eve')

  store.transaction(() => store.jobs.dropSubTasks(id, ['f']))
  const sweeper = rowSweeper(store.db)
  let steps = 0
  for (let n = sweeper.step(7); n > 0; n = sweeper.step(7)) {
    steps++
    const now = figures(store, id)
    expect(now.stored).toEqual(now.counted)
  }
  expect(steps).toBeGreaterThan(80) // 600 rows in steps of 7: the sums of many steps, not one
  const after = figures(store, id)
  expect(after.stored.tasks).toBe(2)
  expect(store.keptBytes.liveStateOf('eve')).toBe(held - (before.stored.bytes - after.stored.bytes) - (before.stored.weight - after.stored.weight))
  expect(store.keptBytes.ofSubmitter('eve')).toBe(kept - (before.stored.bytes - after.stored.bytes))
  expect(store.db.prepare('SELECT count(*) FROM counted_removals').pluck().get()).toBe(0)

  // outside a sweep, a task's row deleted alone is still taken off by the trigger
  const [g] = store.jobs.tasks(id).filter((t) => t.name === 'g')
  g!.output = { big: 'y'.repeat(1000) }
  store.jobs.saveTask(g!)
  store.db.prepare('DELETE FROM tasks WHERE id = ?').run(g!.id)
  const alone = figures(store, id)
  expect(alone.stored).toEqual(alone.counted)
  expect(alone.stored.tasks).toBe(1)
})

it("sweeps a deleted job's rows and leaves its user's totals as the delete left them", () => {
  const { store } = stores.open()
  store.sweeper.stop()
  const id = store.jobs.create({ uuid: 'd', kind: 'workflow', name: 'd', submitter: 'eve', input: {}, context: {} }, Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, executor: 'noop', spec: {} })))
  for (const t of store.jobs.tasks(id)) {
    t.output = { v: 'z'.repeat(100) }
    store.jobs.saveTask(t)
  }
  const other = store.jobs.create({ uuid: 'o', kind: 'workflow', name: 'o', submitter: 'eve', input: {}, context: {} }, [{ name: 'a', executor: 'noop', spec: {} }])
  store.jobs.delete(id)
  const kept = store.keptBytes.ofSubmitter('eve')
  const held = store.keptBytes.liveStateOf('eve')
  for (let n = rowSweeper(store.db).step(5); n > 0; n = rowSweeper(store.db).step(5));
  expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)).toBe(0)
  expect(store.keptBytes.ofSubmitter('eve')).toBe(kept)
  expect(store.keptBytes.liveStateOf('eve')).toBe(held)
  const o = figures(store, other)
  expect(o.stored).toEqual(o.counted)
})
