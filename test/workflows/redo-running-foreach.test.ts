// Redo of a foreach while it runs (atk15), as Rill Flow does it (DAGRunner.resetTask: the task goes
// back to NOT_STARTED and its children go, whatever their state): the sub-tasks the redo removes that
// still wait in the engine's queue never start, its groups start afresh, each once, and the execution
// ends with the last run's tasks and groups only. Before, each stale queue entry was an "unexpected
// error" ("job 1 has no task each_<i>-step"), a group made by one made a later batch insert a name
// twice (UNIQUE tasks.job_id, tasks.name), and the execution stayed running for ever.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../support/temp-store'
import { foreachWorkflow, PASS_STEP } from '../support/workflows'
import { openRill } from './support/open-rill'

const ITEMS = 2000
const caller = { username: 'test', isAdmin: true }

let file = ''
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dirname(file), { recursive: true, force: true })
})

describe('redo of a running foreach', () => {
  it('drops what the run left queued, and the last run ends with its own rows only', async () => {
    file = join(tempDir(), 'jobdesk.db')
    const { store, engine, workflows } = openRill(file)
    // the engine reports an unexpected error on stderr (its onError): none may come
    const errors = vi.spyOn(console, 'error')
    const rows = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table} WHERE job_id = ?`).pluck().get(job.id)
    const { descriptorId } = workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: foreachWorkflow('redo:running', PASS_STEP) })
    const { job, executionId } = workflows.submit({ descriptorId, context: { items: Array.from({ length: ITEMS }, (_, i) => i) }, caller })
    try {
      for (let i = 0; i < 5; i++) {
        // some groups made, their steps queued, most of the foreach still to come
        const end = Date.now() + 10_000
        while (store.jobs.taskCount(job.id) < 200 + i && Date.now() < end) await new Promise((ok) => setImmediate(ok))
        expect(engine.isActive(job.id)).toBe(true)
        workflows.redo(executionId, 'each', undefined)
      }
      expect((await engine.waitFor(job.id)).status).toBe('succeeded')
      // and a redo after it ended runs it whole again
      workflows.redo(executionId, 'each_5-step', undefined)
      expect((await engine.waitFor(job.id)).status).toBe('succeeded')
      expect(store.groups.counts(job.id, 'each')).toEqual(new Map([['succeeded', ITEMS]]))
      while (store.sweeper.pending()) await new Promise((ok) => setImmediate(ok))
      expect(rows('tasks')).toBe(ITEMS + 1)
      expect(rows('task_groups')).toBe(ITEMS)
      expect(rows('dropped_tasks')).toBe(0)
      expect(errors).not.toHaveBeenCalled()
    } finally {
      await engine.stop()
      store.close()
    }
  }, 120_000)
})
