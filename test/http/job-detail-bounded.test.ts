// GET /api/v1/jobs/:id carries a job's first DETAIL_TASKS tasks and how many it has in each state,
// never all of them: the detail of a job of 50,000 tasks, read and built whole, held the main thread
// 812-1,157 ms (atk17, test/workflows/attack-cancel-wide-foreach.probe.test.ts).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DETAIL_TASKS } from '../../shared/model'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

const WIDE = DETAIL_TASKS + 700

describe('the detail of a job of many tasks', () => {
  it('carries its first tasks and the counts of all, running and once cancelled', async () => {
    const job = t.app.engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'wide', submitter: 'admin' }, [
      { name: 'gate', executor: 'noop', spec: { delayMs: 600_000 } },
      ...Array.from({ length: WIDE }, (_, i) => ({ name: `w${i}`, executor: 'noop', dependsOn: ['gate'] })),
    ])
    await waitForStatus(t, job.id, ['running'])
    const running = await t.call('GET', `/api/v1/jobs/${job.id}`)
    expect(running.status).toBe(200)
    expect(running.body.taskCount).toBe(WIDE + 1)
    expect(running.body.tasks).toHaveLength(DETAIL_TASKS)
    expect(running.body.tasks.slice(0, 2).map((x: { name: string }) => x.name)).toEqual(['gate', 'w0']) // the first made
    expect(running.body.taskCounts).toEqual({ running: 1, pending: WIDE })

    const cancel = await t.call('POST', `/api/v1/jobs/${job.id}/cancel`)
    expect(cancel.status).toBe(200)
    await waitForStatus(t, job.id, ['cancelled'])
    const ended = await t.call('GET', `/api/v1/jobs/${job.id}`)
    expect(ended.body).toMatchObject({ status: 'cancelled', taskCount: WIDE + 1, taskCounts: { cancelled: WIDE + 1 } })
    expect(ended.body.tasks).toHaveLength(DETAIL_TASKS)
    expect(ended.body.tasks.every((x: { status: string }) => x.status === 'cancelled')).toBe(true)
  })

  it('of a small job carries all its tasks', async () => {
    const job = t.app.engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'small', submitter: 'admin' }, [
      { name: 'a', executor: 'noop' },
      { name: 'b', executor: 'noop', dependsOn: ['a'] },
    ])
    const done = await waitForStatus(t, job.id, ['succeeded'])
    expect(done).toMatchObject({ taskCount: 2, taskCounts: { succeeded: 2 } })
    expect(done.tasks.map((x: { name: string }) => x.name)).toEqual(['a', 'b'])
  })
})
