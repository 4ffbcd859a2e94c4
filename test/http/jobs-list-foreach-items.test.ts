// The Jobs list showed a running Rill Flow foreach at 0% as "working…" (#9, sqlwait), while its
// detail said "0/20000 items · 20 running · 19980 waiting". The native list now carries, on a running
// execution's row, its top-level foreach items done of all (foreachItems), told from the engine's
// memory: its live foreach tasks and their live groups' counts, no task or group read per row.
// FAILS without it: the row has no foreachItems.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { HOLD_TASK, foreachWorkflow } from '../support/workflows'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4 })
}, 60_000)
afterAll(async () => {
  await t?.close()
}, 60_000)

/** A foreach over `$.context.items`, 5 at a time, each item a suspense that holds until `go`. */
const FLOW = foreachWorkflow('trial:held', HOLD_TASK, 5)

describe('GET /api/v1/jobs: a running foreach’s items', () => {
  it('carries done of all items on a running Rill Flow row; none on other rows, nor once it ended', { timeout: 60_000 }, async () => {
    const made = await t.call('POST', '/api/v1/workflows', { text: FLOW })
    expect(made.status, JSON.stringify(made.body)).toBeLessThan(300)
    const submitted = await t.call('POST', '/api/v1/workflows/submit', { descriptorId: made.body.descriptorId, context: { items: Array.from({ length: 20_000 }, (_, i) => i) } })
    const jobId: number = submitted.body.jobId
    const script = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'sleep 30' })).body.id
    const rowOf = async (id: number) => (await t.call('GET', '/api/v1/jobs?limit=50')).body.items.find((j: { id: number }) => j.id === id)
    await expect.poll(async () => (await rowOf(jobId))?.foreachItems, { timeout: 20_000 }).toEqual({ done: 0, total: 20_000 })
    const row = await rowOf(jobId)
    expect(row.status).toBe('running')
    expect(row.progress).toBe(0)
    expect(await rowOf(script)).not.toHaveProperty('foreachItems')
    await t.call('POST', `/api/v1/jobs/${jobId}/cancel`)
    await t.call('POST', `/api/v1/jobs/${script}/cancel`)
    await waitForStatus(t, jobId, ['cancelled'])
    expect(await rowOf(jobId)).not.toHaveProperty('foreachItems')
  })
})
