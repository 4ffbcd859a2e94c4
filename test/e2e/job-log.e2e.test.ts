// A 20,000-line log in the Jobs page (#8.8): opened at its end, earlier lines on demand, search
// over the whole log, the whole log as a download; a failed script's headline says why.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, signIn, type Served, downloaded } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const log = () => page.getByLabel('job log', { exact: true })
const count = () => page.getByTestId('log-count').textContent()
const firstText = () => log().locator('.log-line .log-text').first().textContent()
const lastText = () => log().locator('.log-line .log-text').last().textContent()

async function finished(id: number): Promise<void> {
  await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status, { timeout: 20_000 }).toMatch(/succeeded|failed/)
}

describe('the log of a job in the Jobs page', () => {
  it('opens a 20,000-line log at its end, with the count, and loads earlier lines on demand', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: "seq 1 20000 | sed 's/^/line /'" })
    await finished(job.id)
    await signIn(page, served.url)
    await page.locator(`tr[data-job-id="${job.id}"]`).click()
    await expect.poll(count, { timeout: 10_000 }).toBe('1,000 of 20,000 lines')
    expect(await lastText()).toBe('line 20000')
    expect(await firstText()).toBe('line 19001')
    // opened at the end: the last line is in view
    const atBottom = await log().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30)
    expect(atBottom).toBe(true)
    expect(await page.getByTestId('log-info').textContent()).toBe('20,000 lines')
    await page.screenshot({ path: resolve(SHOTS, 'job-log-tail.png') })

    await page.getByRole('button', { name: /^Load 1,000 earlier lines \(19,000 before these\)$/ }).click()
    await expect.poll(count, { timeout: 10_000 }).toBe('2,000 of 20,000 lines')
    expect(await firstText()).toBe('line 18001')
    expect(await lastText()).toBe('line 20000')
  })

  it('searches the whole log and marks the matches', async () => {
    await page.getByLabel('search the log').fill('LINE 1234')
    await expect.poll(count, { timeout: 10_000 }).toBe('11 matching lines') // line 1234 and 12340..12349, far before the loaded pages
    expect(await firstText()).toBe('line 1234')
    expect(await log().locator('mark').first().textContent()).toBe('line 1234')
    await page.screenshot({ path: resolve(SHOTS, 'job-log-search.png') })
    await page.getByLabel('search the log').fill('')
    await expect.poll(count, { timeout: 10_000 }).toBe('1,000 of 20,000 lines')
  })

  it('downloads the whole log', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()])
    expect(download.suggestedFilename()).toMatch(/^job-\d+\.log$/)
    const text = readFileSync(await downloaded(download), 'utf8')
    const lines = text.trimEnd().split('\n')
    expect(lines).toHaveLength(20_000)
    expect(lines[0]).toMatch(/ INFO  \[main\] line 1$/)
    expect(lines[19_999]).toMatch(/ INFO  \[main\] line 20000$/)
  })

  it("shows a failed Python script's error and line, not just its exit code", async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', {
      type: 'script',
      language: 'python',
      code: 'total = 0\nfor n in [3, 2, 1, 0]:\n    total += 6 / n\nprint(total)\n',
    })
    await finished(job.id)
    await page.locator(`tr[data-job-id="${job.id}"]`).click()
    const headline = page.getByTestId('job-headline')
    await expect.poll(() => headline.textContent()).toBe('Failed: task main: ZeroDivisionError: division by zero (line 3); exit code 1')
    await expect.poll(lastText).toMatch(/^task main failed: ZeroDivisionError/)
    await page.screenshot({ path: resolve(SHOTS, 'job-failed-headline.png') })
  })

  it('says in the detail and in the log itself how much of a long log was dropped', async () => {
    const job = await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: "head -c 12000000 /dev/zero | tr '\\0' z | fold -w 100" })
    await finished(job.id)
    await page.locator(`tr[data-job-id="${job.id}"]`).click()
    await expect.poll(() => page.getByTestId('log-info').textContent(), { timeout: 10_000 }).toMatch(
      /^[\d,]+ lines kept; [\d,]+ lines \([\d.]+ MiB\) dropped from the middle$/,
    )
    await page.getByLabel('search the log').fill('dropped here')
    await expect.poll(count, { timeout: 10_000 }).toBe('1 matching line')
    expect(await firstText()).toMatch(/^… [\d,]+ lines \([\d.]+ MiB\) of output dropped here: a job's log keeps its first 4 MiB and its last 1 MiB\./)
    await page.screenshot({ path: resolve(SHOTS, 'job-log-cut.png') })
    await page.getByLabel('search the log').fill('')
  })
})
