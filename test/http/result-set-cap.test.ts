// A job keeps at most MAX_RESULT_SETS_PER_JOB result sets (#9 §2, atk16: 80,000 `select 1;` made
// 80,000 sets whose lists held every request 0.9-1.7 s): later SELECTs still run and their rows are
// counted in the log, which says once that they are not kept; the job succeeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_RESULT_SETS_PER_JOB } from '../../electron/store/result.repository'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

describe('result sets per job', () => {
  it('keeps the first sets, runs and logs the rest, and says so once', { timeout: 120_000 }, async () => {
    const extra = 3
    const code = 'select 1 as one;'.repeat(MAX_RESULT_SETS_PER_JOB) + 'select 2 as two;'.repeat(extra)
    const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
    const job = await waitForStatus(t, body.id, ['succeeded', 'failed'], 100_000)
    expect(job.status).toBe('succeeded')
    const sets = (await t.call('GET', `/api/v1/jobs/${body.id}/results`)).body as { columns: { name: string }[] }[]
    expect(sets).toHaveLength(MAX_RESULT_SETS_PER_JOB)
    expect(sets.every((s) => s.columns[0].name === 'one')).toBe(true)
    const lines = ((await t.call('GET', `/api/v1/jobs/${body.id}/logs?size=5000`)).body.lines as { level: string; text: string }[]).map((l) => `${l.level} ${l.text}`)
    const first = MAX_RESULT_SETS_PER_JOB + 1
    expect(lines.filter((l) => l.includes('the most a job keeps'))).toEqual([
      `WARN statement ${first} of ${MAX_RESULT_SETS_PER_JOB + extra} (line 1): the job has ${MAX_RESULT_SETS_PER_JOB} result sets, the most a job keeps: this and later statements' rows are not kept`,
    ])
    expect(lines).toContain(`INFO statement ${first} of ${MAX_RESULT_SETS_PER_JOB + extra} (line 1): 1 row (not kept)`)
    expect(lines).toContain(`INFO statement ${MAX_RESULT_SETS_PER_JOB} of ${MAX_RESULT_SETS_PER_JOB + extra} (line 1): 1 row`)
  })
})
