// A job's task count (the Jobs list, jobs.taskCount) is kept by triggers in jobs.task_rows (migration
// 042), not counted from its tasks: a page of the list counted every listed job's tasks, 452–545 ms of
// the main thread at 3M tasks (atk20, bench/job-list.ts). The count must stay the visible tasks' count
// however the rows come and go: made at submit or added while the job runs, dropped by a redo (counted
// the old way until the sweep removes them), swept, and in a database upgraded from before 042.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import { MIGRATIONS } from '../../electron/store/migrations'
import jobTaskRows from '../../electron/store/migrations/042-job-task-rows'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { sweepAll } from '../support/row-sweeps'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()
const task = (name: string) => ({ name, executor: 'noop', spec: { route: name.includes('_') ? name.split('-')[0] : null } })
/** The task count the Jobs list shows for job `id`, and what reading its visible tasks gives. */
const counts = (store: Store, id: number) => ({
  listed: store.jobs.list({ limit: 50 }).items.find((j) => j.id === id)!.taskCount,
  counted: store.jobs.taskCount(id),
  visible: store.jobs.tasksWithoutSpec(id).length,
})

it('counts the tasks made at submit, added while running, dropped by a redo and swept', () => {
  const { store } = stores.open()
  store.sweeper.stop() // the test takes the sweep's steps itself
  const id = store.jobs.create({ uuid: 'u', kind: 'workflow', name: 'w', submitter: 'eve' }, ['f', 'g'].map(task))
  const other = store.jobs.create({ uuid: 'v', kind: 'workflow', name: 'v', submitter: 'eve' }, ['a'].map(task))
  expect(counts(store, id)).toEqual({ listed: 2, counted: 2, visible: 2 })
  store.transaction(() => store.jobs.addTasks(id, Array.from({ length: 1_000 }, (_, i) => task(`f_${i}-p`))))
  expect(counts(store, id)).toEqual({ listed: 1_002, counted: 1_002, visible: 1_002 })
  // a redo of f drops its sub-tasks: hidden at once, their rows still there until swept
  store.transaction(() => store.jobs.dropSubTasks(id, ['f']))
  expect(counts(store, id)).toEqual({ listed: 2, counted: 2, visible: 2 })
  store.transaction(() => store.jobs.addTasks(id, [task('f_0-p')]))
  expect(counts(store, id)).toEqual({ listed: 3, counted: 3, visible: 3 })
  sweepAll(store.db)
  expect(store.db.prepare('SELECT count(*) FROM dropped_tasks').pluck().get()).toBe(0)
  expect(store.db.prepare('SELECT task_rows FROM jobs WHERE id = ?').pluck().get(id)).toBe(3)
  expect(counts(store, id)).toEqual({ listed: 3, counted: 3, visible: 3 })
  expect(counts(store, other)).toEqual({ listed: 1, counted: 1, visible: 1 })
})

it('counts every job of a database made before migration 042 at its upgrade', () => {
  const dir = tempDir()
  try {
    const file = join(dir, 'jobdesk.db')
    oldDatabase(file, MIGRATIONS.indexOf(jobTaskRows), (old) => {
      for (const [job, tasks] of [[1, 3], [2, 0], [3, 250]]) {
        old.prepare("INSERT INTO jobs (id, uuid, kind, name, submitter, status, created_at, updated_at) VALUES (?, ?, 'workflow', 'w', 'eve', 'succeeded', 1, 1)").run(job, `u${job}`)
        for (let i = 0; i < tasks; i++) old.prepare("INSERT INTO tasks (job_id, name, executor, status) VALUES (?, ?, 'noop', 'succeeded')").run(job, `t${i}`)
      }
    })
    const store = openStore(file)
    try {
      expect(store.jobs.list({ limit: 50 }).items.map((j) => [j.id, j.taskCount])).toEqual([[3, 250], [2, 0], [1, 3]])
    } finally {
      store.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
