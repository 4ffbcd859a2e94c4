// Redoing a wide foreach (#9 §2): the engine used to read every task of the ended execution to
// activate it (100k sub-tasks: ~1.4 s) and delete the sub-tasks one row at a time. Now the driver
// names the tasks whose sub-tasks go (redoRoots) from the top-level tasks alone; the engine reads the
// rest, deletes those by name range, and the foreach makes its groups afresh.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-store'
import { foreachThenFailingCall } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const ITEMS = 10_000
// f over the items, then `last`: a call to a closed port, so the execution fails and can be redone
const DESCRIPTOR = foreachThenFailingCall('wide', 'redo')
const caller = { username: 'test', isAdmin: true }
const items = Array.from({ length: ITEMS }, (_, i) => i)

let file = ''
afterEach(() => rmSync(dirname(file), { recursive: true, force: true }))

/** A failed execution of DESCRIPTOR over ITEMS items, on a database in a temp dir. */
async function failedRun() {
  file = join(tempDir(), 'jobdesk.db')
  const opened = openRill(file)
  const { descriptorId } = opened.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
  const { job } = opened.workflows.submit({ descriptorId, context: { items }, caller })
  expect((await opened.engine.waitFor(job.id)).status).toBe('failed')
  return { ...opened, job }
}

const statusOf = (rill: Awaited<ReturnType<typeof failedRun>>, name: string) => rill.store.jobs.task(rill.job.id, name)?.status

describe('redo of a wide foreach', () => {
  it('activates the ended execution without its sub-tasks, and the foreach runs again whole', async () => {
    const rill = await failedRun()
    const { store, engine, job } = rill
    try {
      expect(store.jobs.taskCount(job.id)).toBe(ITEMS + 2)
      const redoneAt = Date.now()
      let seen: string[] = []
      engine.redo(job.id, ['f'], (ctl) => {
        seen = [...ctl.tasks()].map((t) => t.name)
      })
      // the redone job holds its two top-level tasks only: the old sub-tasks were neither read nor kept
      expect(seen.sort()).toEqual(['f', 'last'])
      expect((await engine.waitFor(job.id)).status).toBe('failed')
      expect(statusOf(rill, 'f')).toBe('succeeded')
      expect(statusOf(rill, 'last')).toBe('failed')
      const after = store.jobs.tasks(job.id)
      expect(after).toHaveLength(ITEMS + 2)
      // every sub-task ran again, and every group was made again
      expect(after.filter((t) => t.name.startsWith('f_') && !(t.finishedAt! >= redoneAt))).toEqual([])
      expect(store.groups.counts(job.id, 'f')).toEqual(new Map([['succeeded', ITEMS]]))
      expect(store.groups.context(job.id, 'f', ITEMS - 1)).toMatchObject({ it: ITEMS - 1 })
      // the old rows leave in the sweep's steps, and nothing else does
      while (store.sweeper.pending()) await new Promise((ok) => setImmediate(ok))
      expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(job.id)).toBe(ITEMS + 2)
      expect(store.db.prepare('SELECT count(*) FROM task_groups WHERE job_id = ?').pluck().get(job.id)).toBe(ITEMS)
      // and a redo of the redo does the same again
      engine.redo(job.id, ['f_7-p'], () => undefined)
      expect((await engine.waitFor(job.id)).status).toBe('failed')
      expect(store.jobs.taskCount(job.id)).toBe(ITEMS + 2)
      expect(statusOf(rill, 'f_7-p')).toBe('succeeded')
    } finally {
      await engine.stop()
      store.close()
    }
  }, 120_000)

  it('redoes again after a restart that came between the drop and the redo\'s commit', async () => {
    const first = await failedRun()
    // what a redo stopped right after its drop's commit leaves: the sub-tasks hidden, the execution ended
    first.store.transaction(() => first.store.jobs.dropSubTasks(first.job.id, ['f', 'last']))
    await first.engine.stop()
    first.store.close()
    const { store, engine, job } = { ...openRill(file), job: first.job }
    try {
      expect(store.jobs.get(job.id)!.status).toBe('failed')
      expect(store.jobs.tasks(job.id).map((t) => t.name).sort()).toEqual(['f', 'last'])
      engine.redo(job.id, ['f'])
      expect((await engine.waitFor(job.id)).status).toBe('failed')
      expect(store.jobs.taskCount(job.id)).toBe(ITEMS + 2)
      expect(store.groups.counts(job.id, 'f')).toEqual(new Map([['succeeded', ITEMS]]))
    } finally {
      await engine.stop()
      store.close()
    }
  }, 120_000)

  it('runs a redo stopped midway to its end after a restart, the sweep taken up where it stopped', async () => {
    const first = await failedRun()
    first.store.sweeper.stop()
    first.engine.redo(first.job.id, ['f'])
    for (let i = 0; i < 2; i++) first.store.sweeper.step() // some of the old rows are gone, most not
    await first.engine.stop()
    first.store.close()
    const { store, engine, job } = { ...openRill(file), job: first.job }
    try {
      // the stored execution runs again: none of the old sub-tasks is among its tasks
      expect(store.jobs.get(job.id)!.status).toBe('running')
      expect(store.jobs.tasks(job.id).filter((t) => t.name.startsWith('f_') && t.status === 'succeeded')).toEqual([])
      engine.recover()
      expect((await engine.waitFor(job.id)).status).toBe('failed')
      expect(store.jobs.taskCount(job.id)).toBe(ITEMS + 2)
      expect(store.groups.counts(job.id, 'f')).toEqual(new Map([['succeeded', ITEMS]]))
      while (store.sweeper.pending()) await new Promise((ok) => setImmediate(ok))
      expect(store.db.prepare('SELECT count(*) FROM tasks WHERE job_id = ?').pluck().get(job.id)).toBe(ITEMS + 2)
    } finally {
      await engine.stop()
      store.close()
    }
  }, 120_000)

  it("drops the sub-tasks of what redo resets and of nothing else", async () => {
    const rill = await failedRun()
    const { store, engine, job } = rill
    try {
      const driver = engine['driverFor'](store.jobs.get(job.id)!)
      const roots = (names: string[] | null) => driver.redoRoots!(store.jobs.get(job.id)!, names, (n) => store.jobs.someTasks(job.id, { names: n })).sort()
      expect(roots(['f'])).toEqual(['f', 'last'])
      expect(roots(['f_12-p'])).toEqual(['f', 'last'])
      expect(roots(['last'])).toEqual(['last'])
      expect(roots(null)).toEqual(['last']) // every task that has not ended well, and downstream
      const subTasks = store.jobs.tasks(job.id).filter((t) => t.name.startsWith('f_'))
      // a redo of what failed keeps the foreach's sub-tasks and groups as they were; redo() resets what redoRoots named
      let reset: string[] = []
      engine.redo(job.id, null, (ctl) => {
        reset = driver.redo!(ctl, null).reset.sort()
      })
      expect(reset).toEqual(roots(null))
      expect((await engine.waitFor(job.id)).status).toBe('failed')
      expect(store.jobs.tasks(job.id).filter((t) => t.name.startsWith('f_'))).toEqual(subTasks)
      expect(store.groups.counts(job.id, 'f')).toEqual(new Map([['succeeded', ITEMS]]))
    } finally {
      await engine.stop()
      store.close()
    }
  }, 120_000)
})
