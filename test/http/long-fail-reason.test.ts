// A job that fails with a reason of megabytes (#9 §2): a SQL script naming a table of 900,000
// characters fails with SQLite's "no such table: <its name>". Every list page carrying the job
// carried the whole reason (the native list, the GES job center, Linkis job history), so each poll
// of a list answered megabytes. Lists show its head and its size; the job's own views show it as
// stored, at most the documented cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIST_REASON_CHARS, STORED_REASON_CHARS } from '../../electron/store/reasons'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { gesToken } from '../ges/support'
import { linkisClient } from '../linkis/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

/** What a list shows of a reason over LIST_REASON_CHARS: its head, then its size. */
const LISTED = new RegExp(`^[^]{${LIST_REASON_CHARS}}… \\(\\d+ bytes\\)$`)

describe('a job failing with a reason of megabytes', () => {
  it('is listed with the head of its reason and its size in every list, and shown capped in its detail', async () => {
    const name = `t${'x'.repeat(900_000)}`
    const submitted = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: `select * from "${name}";` })
    expect(submitted.status).toBe(201)
    const id: number = submitted.body.id
    await waitForStatus(t, id, ['failed'], 30_000)

    const detail = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(detail.error).toContain('no such table: txxxx')
    expect(detail.error.length).toBeLessThanOrEqual(STORED_REASON_CHARS + 40)
    expect(detail.error).toMatch(/… \(\d{6,} bytes\)$/) // cut, saying how long it was
    for (const task of detail.tasks) expect(task.error.length).toBeLessThanOrEqual(STORED_REASON_CHARS + 40)

    const list = await fetch(`${t.url}/api/v1/jobs?limit=5`, { headers: { authorization: `Bearer ${t.token}` } })
    const listText = await list.text()
    expect(listText.length).toBeLessThan(8 * 1024)
    const item = (JSON.parse(listText) as { items: { id: number; error: string }[] }).items.find((j) => j.id === id)!
    expect(item.error).toMatch(LISTED)
    expect(item.error.startsWith(detail.error.slice(0, LIST_REASON_CHARS))).toBe(true)

    const ges = await fetch(`${t.url}/v2/p1/graphs/jobs?limit=5`, { headers: { 'x-auth-token': await gesToken(t.url) } })
    const gesText = await ges.text()
    expect(ges.status).toBe(200)
    expect(gesText.length).toBeLessThan(16 * 1024)
    const gesJob = (JSON.parse(gesText) as { job_list: { job_id: string; fail_reason: string | null }[] }).job_list.find((j) => j.job_id === detail.uuid)!
    expect(gesJob.fail_reason).toMatch(LISTED)

    const linkis = linkisClient(t.url)
    await linkis.login()
    const history = await linkis.call('GET', '/jobhistory/list?pageNow=1&pageSize=5')
    expect(history.raw.length).toBeLessThan(80 * 1024) // its code is listed too, cut at 64 kB (LIST_CODE_LIMIT)
    const vo = (history.body.data.tasks as { taskID: number; errDesc: string | null }[]).find((v) => v.taskID === id)!
    expect(vo.errDesc).toMatch(LISTED)
  }, 60_000)
})
