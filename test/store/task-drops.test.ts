// A redo drops a foreach's sub-tasks and groups (store/jobs/sub-task-names.ts, migration 033) without
// reading or deleting them on the spot: reading 100k of them held the main thread ~1.4 s, deleting
// them and their groups in one transaction ~0.5 s (#9 §2). From the drop on no reader sees them, new
// tasks of their names may be made, and row-sweeper.ts removes them in bounded steps, resuming after
// a restart. The names under `f` are `f_…` in SQLite's BINARY order: `f`, `fa`, `f^…` and `` f`… `` are not.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import type { Store } from '../../electron/store'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { openStore } from '../../electron/store'
import { GROUP_VISIBLE, rangesOutside, TASK_VISIBLE } from '../../electron/store/jobs/sub-task-names'
import { MIGRATIONS } from '../../electron/store/migrations'
import droppedTasksByRoot from '../../electron/store/migrations/035-dropped-tasks-by-root'
import { SWEEP_STEP_ROWS } from '../../electron/store/row-sweeper'
import { createRunGridReader } from '../../electron/services/run-grid'
import { TASK_SELECT } from '../../electron/store/jobs/task-specs'
import { NAMED_TASKS, PREFIXED_TASKS } from '../../electron/store/jobs/task-rows'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { sweepAll } from '../support/row-sweeps'
import { tempDir } from '../support/temp-store'

const NAMES = ['f', 'f^x', 'f_0', 'f_0-p', 'f_1-inner_0-leaf', 'f`x', 'fa', 'g', 'g_0-p', 'last', 'é_0-p']
const KEPT_UNDER_F = ['f', 'f^x', 'f`x', 'fa', 'g', 'g_0-p', 'last', 'é_0-p']
const stores = storesPerTest()

/** A job whose tasks are NAMES (each spec'd with its route, as a foreach's), and two groups each of `f`, `f_1-inner` (a nested foreach) and `g`. */
function jobOfNames(names = NAMES) {
  const t = stores.open()
  t.store.sweeper.stop() // the tests take the steps themselves
  const { store } = t
  const id = store.jobs.create({ uuid: 'u', kind: 'workflow', name: 'w', submitter: 'eve' }, names.map((name) => ({ name, executor: 'noop', spec: { route: name.includes('_') ? name.split('-')[0] : null } })))
  store.transaction(() => {
    for (const parent of ['f', 'f_1-inner', 'g']) store.groups.save(id, parent, [0, 1].map((index) => ({ index, status: 'succeeded', context: { parent } })))
  })
  return { ...t, store, id }
}
const drop = (store: Store, id: number, roots: string[]) => store.transaction(() => store.jobs.dropSubTasks(id, roots))
const namesOf = (tasks: { name: string }[]) => tasks.map((t) => t.name)

describe('sub-tasks dropped by a redo', () => {
  it('reads every task but the sub-tasks of the roots, in the order they were made', () => {
    const { store, id } = jobOfNames()
    expect(namesOf(store.jobs.tasksOutside(id, ['f']))).toEqual(KEPT_UNDER_F)
    expect(namesOf(store.jobs.tasksOutside(id, ['g', 'f', 'é']))).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'last'])
    expect(namesOf(store.jobs.tasksOutside(id, []))).toEqual(NAMES)
    expect(rangesOutside(['g', 'f', 'f_1'])).toEqual([
      { from: null, to: 'f_' },
      { from: 'f`', to: 'g_' },
      { from: 'g`', to: null },
    ])
  })

  it('hides them from every reader at once, with the groups of the roots and theirs', async () => {
    const { store, id } = jobOfNames()
    drop(store, id, ['f'])
    expect(namesOf(store.jobs.tasks(id))).toEqual(KEPT_UNDER_F)
    expect(namesOf(store.jobs.tasksWithoutSpec(id))).toEqual(KEPT_UNDER_F)
    expect(namesOf(store.jobs.tasksWithoutSpec(id, 'none'))).toEqual(KEPT_UNDER_F)
    expect(namesOf(store.jobs.tasksWithoutSpec(id, 'stored'))).toEqual(KEPT_UNDER_F)
    expect(namesOf(store.jobs.tasksWithoutSpec(id, 'stored-unread'))).toEqual(KEPT_UNDER_F)
    for (const values of ['parsed', 'stored'] as const) {
      expect(namesOf(store.jobs.someTasks(id, { prefix: 'f_0' }, values))).toEqual([])
      expect(namesOf(store.jobs.someTasks(id, { names: ['f', 'f_0-p', 'g_0-p'] }, values))).toEqual(['f', 'g_0-p'])
    }
    expect(store.jobs.task(id, 'f_0-p')).toBeUndefined()
    expect(store.jobs.taskCount(id)).toBe(KEPT_UNDER_F.length)
    expect(store.jobs.list({}).items.find((j) => j.id === id)?.taskCount).toBe(KEPT_UNDER_F.length)
    // the run grid's rows (é_0-p has no group task é: no row)
    expect(namesOf(await createRunGridReader(store.db)(id))).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'last', 'g/p'])
    expect(store.groups.rows(id, 'f')).toEqual([])
    expect(store.groups.rows(id, 'f_1-inner')).toEqual([])
    expect(store.groups.statuses(id, 'f').size).toBe(0)
    expect(store.groups.counts(id, 'f').size).toBe(0)
    expect(store.groups.context(id, 'f', 0)).toBeUndefined()
    expect(store.groups.rows(id, 'g')).toHaveLength(2)
  })

  it('lets tasks and groups of the dropped names be made again, above every dropped id, and the sweep leaves them', () => {
    const { store, id } = jobOfNames()
    const top = Math.max(...store.jobs.tasks(id).map((t) => t.id))
    drop(store, id, ['f'])
    const [made] = store.jobs.addTasks(id, [{ name: 'f_0-p', executor: 'noop' }])
    expect(made.id).toBeGreaterThan(top)
    expect(store.jobs.task(id, 'f_0-p')).toMatchObject({ id: made.id, status: 'pending' })
    store.transaction(() => store.groups.save(id, 'f', [{ index: 1, status: 'running', context: { again: true } }]))
    expect(store.groups.rows(id, 'f')).toEqual([{ index: 1, status: 'running', context: { again: true } }])

    sweepAll(store.db)
    expect(store.db.prepare("SELECT name FROM tasks WHERE job_id = ? AND name >= 'f_' AND name < 'f`' ORDER BY name").pluck().all(id)).toEqual(['f_0-p'])
    expect(store.db.prepare("SELECT parent || ':' || idx FROM task_groups WHERE job_id = ? ORDER BY parent, idx").pluck().all(id)).toEqual(['f:1', 'g:0', 'g:1'])
    expect(store.db.prepare('SELECT count(*) FROM dropped_tasks').pluck().get()).toBe(0)
    expect(store.sweeper.pending()).toBe(false)
    // the highest ids were swept: a task made now still takes an id above every one given before
    store.transaction(() => store.jobs.dropSubTasks(id, ['f']))
    sweepAll(store.db)
    const [later] = store.jobs.addTasks(id, [{ name: 'f_1-p', executor: 'noop' }])
    expect(later.id).toBeGreaterThan(made.id)
  })

  it('sweeps them in bounded steps, and takes the sweep up after a restart', () => {
    const wide = ['f', 'last', ...Array.from({ length: 5000 }, (_, i) => `f_${i}-p`)]
    const t = jobOfNames(wide)
    const groupsOfF = (store: Store, n: number, status: string) => store.transaction(() => store.groups.save(t.id, 'f', Array.from({ length: n }, (_, index) => ({ index, status, context: { index } }))))
    groupsOfF(t.store, 5000, 'succeeded')
    drop(t.store, t.id, ['f'])
    // the redone foreach's first groups, written before the sweep comes to the old ones
    groupsOfF(t.store, 10, 'running')
    const first = [t.store.sweeper.step(), t.store.sweeper.step()]
    expect(first).toEqual([SWEEP_STEP_ROWS, SWEEP_STEP_ROWS])
    t.store.close()

    const again = t.reopen()
    again.sweeper.stop()
    expect(again.sweeper.pending()).toBe(true)
    expect(namesOf(again.jobs.tasks(t.id))).toEqual(['f', 'last'])
    expect(again.groups.counts(t.id, 'f')).toEqual(new Map([['running', 10]]))
    const steps = sweepAll(again.db)
    expect(Math.max(...steps)).toBeLessThanOrEqual(SWEEP_STEP_ROWS)
    expect(steps.reduce((a, b) => a + b, 0)).toBe(5000 - 2 * SWEEP_STEP_ROWS + 5000 - 10 + 2 + 1) // tasks, old groups of f and f_1-inner, the note
    expect(again.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(t.id)).toBe(2)
    // the new groups of f stay, as do g's
    expect(again.db.prepare("SELECT parent || ':' || status, count(*) FROM task_groups WHERE job_id = ? GROUP BY 1 ORDER BY 1").raw().all(t.id)).toEqual([
      ['f:running', 10],
      ['g:succeeded', 2],
    ])
    expect(again.db.pragma('foreign_key_check')).toEqual([])
    expect(again.sweeper.pending()).toBe(false)
  })

  it('leaves no dropped row behind when a step is undone midway', () => {
    const wide = ['f', 'last', ...Array.from({ length: 5000 }, (_, i) => `f_${i}-p`)]
    const { store, id } = jobOfNames(wide)
    drop(store, id, ['f'])
    // the step's transaction fails after some of its deletes (as on a full disk): all of them are undone
    store.db.exec("CREATE TEMP TRIGGER undo_step BEFORE DELETE ON tasks WHEN old.name = 'f_1500-p' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    expect(() => store.sweeper.step()).toThrow(/disk full/)
    store.db.exec('DROP TRIGGER undo_step')
    sweepAll(store.db)
    expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(id)).toBe(2)
    expect(store.sweeper.pending()).toBe(false)
  })

  it('keeps one drop per root however often it is dropped, and none for a root with nothing under it', () => {
    const { store, id } = jobOfNames()
    const drops = () => store.db.prepare("SELECT root || ':' || below_id FROM dropped_tasks WHERE job_id = ? ORDER BY root").pluck().all(id)
    drop(store, id, ['f', 'g', 'last', 'fa'])
    const first = Math.max(...store.jobs.tasks(id).map((t) => t.id)) + 1
    // `last` and `fa` have no sub-task and no group: nothing to drop, no row
    expect(drops()).toEqual([`f:${first}`, `g:${first}`])
    // the redone foreach's new sub-task and groups, then the same foreach redone again before the sweep
    const [made] = store.jobs.addTasks(id, [{ name: 'f_0-p', executor: 'noop' }])
    store.transaction(() => store.groups.save(id, 'f', [{ index: 0, status: 'running', context: { again: 1 } }]))
    for (let i = 0; i < 5; i++) drop(store, id, ['f', 'last'])
    expect(drops()).toEqual([`f:${made.id + 1}`, `g:${first}`])
    expect(namesOf(store.jobs.tasks(id))).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'last', 'é_0-p'])
    expect(store.groups.rows(id, 'f')).toEqual([])
    // what the third redo makes stays seen; the sweep removes all the drops hid and then their rows
    store.jobs.addTasks(id, [{ name: 'f_0-p', executor: 'noop' }])
    store.transaction(() => store.groups.save(id, 'f', [{ index: 0, status: 'running', context: { again: 3 } }]))
    sweepAll(store.db)
    expect(store.db.prepare("SELECT name FROM tasks WHERE job_id = ? AND name >= 'f_' AND name < 'f`'").pluck().all(id)).toEqual(['f_0-p'])
    expect(store.groups.rows(id, 'f')).toEqual([{ index: 0, status: 'running', context: { again: 3 } }])
    expect(drops()).toEqual([])
  })

  it('sweeps a drop made again midway through its sweep from the start of the new one', () => {
    const wide = ['f', 'last', ...Array.from({ length: 5000 }, (_, i) => `f_${i}-p`)]
    const { store, id } = jobOfNames(wide)
    drop(store, id, ['f'])
    expect(store.sweeper.step()).toBe(SWEEP_STEP_ROWS)
    // the redone foreach makes sub-tasks of names the sweep already passed, and is redone again
    store.jobs.addTasks(id, [{ name: 'f_0-p', executor: 'noop' }, { name: 'f_4999-p', executor: 'noop' }])
    drop(store, id, ['f'])
    sweepAll(store.db)
    expect(namesOf(store.db.prepare('SELECT name FROM tasks WHERE job_id = ? ORDER BY id').all(id) as { name: string }[])).toEqual(['f', 'last'])
    expect(store.db.prepare("SELECT count(*) FROM task_groups WHERE job_id = ? AND parent <> 'g'").pluck().get(id)).toBe(0)
    expect(store.sweeper.pending()).toBe(false)
  })

  it('finds a row’s drop by its root: one seek, however many roots the job’s drops name', () => {
    const { store } = jobOfNames()
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as { detail: string }[]).map((r) => r.detail).filter((d) => / d /.test(d))
    // every reader says TASK_VISIBLE or GROUP_VISIBLE: these are the whole of what a drop costs a row
    expect(plan(`SELECT count(*) FROM tasks t WHERE t.job_id = ? AND ${TASK_VISIBLE}`)).toEqual([expect.stringMatching(/^SEARCH d USING (COVERING )?INDEX dropped_tasks_by_root \(job_id=\? AND root=\?\)$/)])
    expect(plan(`SELECT count(*) FROM task_groups g WHERE g.job_id = ? AND ${GROUP_VISIBLE}`)).toEqual([expect.stringMatching(/^SEARCH d USING (COVERING )?INDEX dropped_tasks_by_root \(job_id=\? AND root=\?\)$/)])
  })

  it('reads some tasks by name or name prefix by the (job_id, name) key, not by reading the job’s others', () => {
    const { store, id } = jobOfNames([...NAMES, 'f_0-p\u{10FFFF}', 'f_0-', 'f_0', 'f_0-pé'].filter((n, i, all) => all.indexOf(n) === i))
    for (const values of ['parsed', 'stored'] as const) {
      // in the order they were made; a prefix takes every name that starts with it, whatever follows (here U+10FFFF, é)
      expect(namesOf(store.jobs.someTasks(id, { prefix: 'f_0-' }, values))).toEqual(['f_0-p', 'f_0-p\u{10FFFF}', 'f_0-', 'f_0-pé'])
      expect(namesOf(store.jobs.someTasks(id, { prefix: 'é' }, values))).toEqual(['é_0-p'])
      expect(namesOf(store.jobs.someTasks(id, { names: ['g', 'f', 'nope', 'f'] }, values))).toEqual(['f', 'g'])
    }
    // the plan: a seek or range of the key; ORDER BY t.id had the planner take tasks_by_job (migration 049) for its
    // id order and read all of a 100k-task job for one name (8.8 ms vs 0.12 ms, the redo call's 33 -> 71 ms)
    const plan = (where: string, ...params: unknown[]) => (store.db.prepare(`EXPLAIN QUERY PLAN ${TASK_SELECT} WHERE ${where}`).all(...params) as { detail: string }[]).map((r) => r.detail)
    expect(plan(NAMED_TASKS, id, '["f"]')).toContain('SEARCH t USING INDEX sqlite_autoindex_tasks_1 (job_id=? AND name=?)')
    expect(plan(PREFIXED_TASKS, id, 'f_', 'f_')).toContain('SEARCH t USING INDEX sqlite_autoindex_tasks_1 (job_id=? AND name>? AND name<?)')
  })

  it('refuses a root that is not a top-level name: a 400 naming it, nothing dropped', () => {
    const { store, id } = jobOfNames()
    const refusal = (roots: string[]) => {
      try {
        drop(store, id, roots)
      } catch (e) {
        return e
      }
      throw new Error(`${roots.join(',')} was dropped`)
    }
    // the user's error in the one error type (a 400 in every dialect's envelope), not a plain Error (a 500)
    for (const [roots, named] of [[['f_1-inner'], 'f_1-inner'], [[''], ''], [['f', 'f_1-inner'], 'f_1-inner']] as const) {
      const e = refusal([...roots])
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).httpStatus).toBe(400)
      expect((e as AppError).toBody()).toMatchObject({ code: 'not_top_level_task', field: 'task_names' })
      expect((e as AppError).message).toContain(`"${named}": not a top-level task name`)
    }
    expect(store.db.prepare('SELECT count(*) FROM dropped_tasks').pluck().get()).toBe(0)
  })
})

describe('drops noted before one row per root (migration 035)', () => {
  it('keeps the latest drop of each root, which hides all the earlier ones did', () => {
    const dir = tempDir()
    const file = join(dir, 'jobdesk.db')
    try {
      oldDatabase(file, MIGRATIONS.indexOf(droppedTasksByRoot), (old) => {
        for (const [root, below] of [['f', 10], ['g', 11], ['f', 12], ['f', 15]] as const) old.prepare('INSERT INTO dropped_tasks (job_id, root, below_id) VALUES (7, ?, ?)').run(root, below)
      })
      const store = openStore(file)
      try {
        expect(store.db.prepare("SELECT seq || ':' || root || ':' || below_id FROM dropped_tasks ORDER BY seq").pluck().all()).toEqual(['2:g:11', '4:f:15'])
        expect(() => store.db.prepare('INSERT INTO dropped_tasks (job_id, root, below_id) VALUES (7, ?, 20)').run('g')).toThrow(/UNIQUE/)
      } finally {
        store.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
