// atk14 finding: a redo of a pending task is taken while the execution runs (engine.ts redo refuses only
// a running task), and each notes every top-level task it resets in dropped_tasks (driver.ts redoRoots →
// jobs.dropSubTasks), even those with no sub-task to drop. So a user granted nothing who redoes
// the first task of a 990-task chain again and again, while a foreach before it runs, adds 991
// notes a request, faster than row-sweeper.ts (a note a step) removes them, and every read of the
// job's tasks compares each row with all of them (TASK_VISIBLE, store/jobs/sub-task-names.ts):
// dropped_tasks grows without bound, and so does the cost of every read of her job's tasks, on the
// main thread. Measured (in process): 30 redos, 29,700 notes; the job's task count (10,692 tasks)
// then took 64,879 ms, 1.8 ms before them. (attack-redo-many-roots.probe.test.ts: 992 notes alone held the server 250-440 ms a read.)
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-store'
import { foreachThenFailingCall } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const ITEMS = 20_000
const CHAIN = 990
const REDOS = 30
const DESCRIPTOR = foreachThenFailingCall('wide', 'roots', { chain: CHAIN, bare: true })
const caller = { username: 'test', isAdmin: true }
let file = ''
afterEach(() => rmSync(dirname(file), { recursive: true, force: true }))

describe('redoing a pending task again and again while the execution runs', () => {
  it('keeps the redo notes, and the cost of a read of the job’s tasks, bounded', async () => {
    file = join(tempDir(), 'jobdesk.db')
    const { store, engine, workflows } = openRill(file)
    try {
      const { descriptorId } = workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
      const { job, executionId } = workflows.submit({ descriptorId, context: { items: Array.from({ length: ITEMS }, (_, i) => i) }, caller })
      await new Promise((ok) => setTimeout(ok, 500)) // the foreach under way
      const t0 = performance.now()
      const quiet = store.jobs.taskCount(job.id)
      const before = performance.now() - t0
      for (let i = 0; i < REDOS; i++) {
        workflows.redo(executionId, 'c0', undefined) // what POST /flow/redo.json?task_names=c0 runs
        await new Promise((ok) => setImmediate(ok))
      }
      const notes = store.db.prepare('SELECT count(*) FROM dropped_tasks').pluck().get() as number
      console.log(`${REDOS} redos of c0 while f runs: ${notes} notes in dropped_tasks (the job's task count took ${before.toFixed(1)} ms before them)`)
      expect(notes).toBeLessThan(CHAIN)
      // what a read of the job's tasks then costs (measured with the notes: 64,879 ms)
      const t1 = performance.now()
      store.jobs.taskCount(job.id)
      console.log(`the job's task count (${quiet} tasks before) took ${(performance.now() - t1).toFixed(0)} ms`)
    } finally {
      await engine.stop()
      store.close()
    }
  }, 300_000)
})
