// The task panel's attempt picker (#9 UI LOW) on a long log: the panel reads the task's log's tail page
// (LOG_PAGE, 5,000 lines), so a redone task whose runs wrote more than that showed the page's first run as
// "attempt 1". The store now asks how many runs began before the page, and the runs are numbered on.
import '../support/memory-storage' // before the stores: they read localStorage
import { beforeAll, describe, expect, it } from 'vitest'
import { LOG_PAGE, useWorkflows } from '../../renderer/src/stores/workflows'
import type { LogLevel } from '../../shared/status'
import { redoAttemptLine, taskAttempts } from '../../shared/task-attempts'
import type { ExecutionView } from '../../shared/workflows'
import { rendererAppSuite } from '../support/renderer-app'
import type { TestApp } from '../support/app'
import { wideFinishedJob } from '../support/wide-jobs'

const suite = rendererAppSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

/** A finished job whose task `fe` logged `runs` (each a list of texts, the redo lines included), in order. */
function jobWithLog(runs: string[][]): number {
  const store = t.app.store
  const jobId = wideFinishedJob(store, 'admin', 2)
  const taskId = store.db.prepare<[number], number>("SELECT id FROM tasks WHERE job_id = ? AND name = 'fe'").pluck().get(jobId)!
  let seq = 0
  const lines = runs.flat().map((text) => ({ jobId, seq: seq++, taskId, time: Date.now(), level: 'INFO' as LogLevel, text }))
  store.db.transaction(() => store.logs.append(lines))()
  return jobId
}

const select = async (jobId: number) => {
  useWorkflows.setState({ execution: { jobId } as ExecutionView, mode: 'run' })
  await useWorkflows.getState().selectTask('fe')
  const s = useWorkflows.getState()
  return taskAttempts(s.taskLogs, 'fe', s.taskLogRunsBefore).map((r) => ({ number: r.number, partial: r.partial, lines: r.lines.length }))
}

describe('the task panel’s runs of a long task log', () => {
  it('numbers the runs of a tail page after those begun before it', async () => {
    const filler = (n: number, what: string) => Array.from({ length: n }, (_, i) => `${what} line ${i}`)
    const jobId = jobWithLog([filler(LOG_PAGE, 'run 1'), [redoAttemptLine(2), ...filler(LOG_PAGE, 'run 2')], [redoAttemptLine(3), ...filler(200, 'run 3')]])
    // the page: the last lines of run 2, then run 3 (its redo line and 200 lines)
    expect(await select(jobId)).toEqual([
      { number: 2, partial: true, lines: LOG_PAGE - 201 },
      { number: 3, partial: false, lines: 201 },
    ])
  })

  // the redo line's words changed ("attempt 2 (a redo)"): a log written before says "attempt 2 after a redo
  // (try 2 of this task)", and the runs before the page count either
  it('counts the runs before the page whichever words their redo lines have', async () => {
    const filler = (n: number, what: string) => Array.from({ length: n }, (_, i) => `${what} line ${i}`)
    const before = '── attempt 2 after a redo (try 2 of this task) ──'
    const jobId = jobWithLog([filler(10, 'run 1'), [before, ...filler(LOG_PAGE, 'run 2')], [redoAttemptLine(3), ...filler(LOG_PAGE, 'run 3')], [redoAttemptLine(4), 'end']])
    expect(await select(jobId)).toEqual([
      { number: 3, partial: true, lines: LOG_PAGE - 2 },
      { number: 4, partial: false, lines: 2 },
    ])
  })

  it('keeps a log that fits the page as it is', async () => {
    const jobId = jobWithLog([['a'], [redoAttemptLine(2), 'b']])
    expect(await select(jobId)).toEqual([
      { number: 1, partial: false, lines: 1 },
      { number: 2, partial: false, lines: 2 },
    ])
    expect(useWorkflows.getState().taskLogRunsBefore).toBeNull()
  })
})

