// New-user LOW (#9): a redone task's log showed only its first try. The task's own log (what the
// Workflows page's task panel and the Jobs page's task filter read) had the first attempt's failure
// and nothing of the redo's attempt: the redo's note is a job line. Each attempt after a task's first
// now opens with a "── attempt N ──" line of the task's own (N its attempt number, as the task panel
// numbers it: 2 for the first redo), so its log shows every attempt.
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForStatus, type TestApp } from '../support/app'
import type { rillClient } from '../workflows/support/rill-client'
import { rillSuite } from '../workflows/support/rill-suite'
import type { SampleExecutor } from '../workflows/support/sample-executor'

const suite = rillSuite()
let t: TestApp
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>
beforeAll(() => ({ t, exec, rill } = suite))

const taskLog = async (jobId: number, task: string): Promise<string[]> => {
  const r = await t.call('GET', `/api/v1/jobs/${jobId}/logs?task=${task}&size=100`)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return (r.body.lines as { text: string }[]).map((l) => l.text)
}

describe('the log of a redone task', () => {
  it('shows each attempt, the redo’s under a separator of the task’s own', async () => {
    await rill.addDescriptor(`workspace: redo
dagName: tasklog
type: flow
tasks:
  - {category: function, name: call, pattern: task_sync, resourceName: ${exec.url}/answer.json}
`)
    exec.answer('call', { result_type: 'FAILED', error_msg: 'not this time' }, { result_type: 'FAILED', error_msg: 'nor this' })
    const id = await rill.submit('redo:tasklog', {})
    expect((await rill.finished(id)).dag_status).toBe('FAILED')
    const jobId = t.app.workflows.execution(id, 'none', 'none').job.id
    // a first run writes no separator (most tasks run once: their logs stay as they were)
    expect(await taskLog(jobId, 'call')).toEqual(['task call failed: not this time'])

    const redo = await t.call('POST', `/api/v1/executions/${jobId}/redo`, { tasks: ['call'] })
    expect(redo.status, JSON.stringify(redo.body)).toBe(200)
    expect((await waitForStatus(t, jobId, ['succeeded', 'failed'])).status).toBe('failed')
    expect(await taskLog(jobId, 'call')).toEqual(['task call failed: not this time', '── attempt 2 (a redo) ──', 'task call failed: nor this'])
  })
})
