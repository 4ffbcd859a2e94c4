// The job detail's Context box (ux18 #5): a workflow submitted with a 3,000-item array in its context
// printed one number per line (~3,000 lines). It shows the first 100 on filled lines and "… 2,900
// more items"; "Show all" gives all of it (valid JSON), "Show less" goes back; a small context reads
// on one line.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { onePassFlow } from './flows'
import { api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

const items = Array.from({ length: 3000 }, (_, i) => i)

/** Submits the one-pass flow with `context` and waits for its end; the job's id. */
async function submitted(context: unknown): Promise<number> {
  const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: onePassFlow('ux18', 'ctx') })
  const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, context })
  await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('succeeded')
  return jobId
}

describe('the Context box of a job', () => {
  it('cuts a 3,000-item array to filled lines and offers all of it', async () => {
    const id = await submitted({ items, label: 'big' })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${id}`)
    const box = page.getByTestId('job-input')
    await box.waitFor()
    const text = (await box.textContent())!
    expect(text.split('\n').length).toBeLessThan(20) // was 3,004
    expect(text).toContain('… 2,900 more items')
    // lines fit the box's width: none wraps (a wrapped line starts at the left edge, out of its indent)
    const drawnLines = await box.evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size // one top per line box
    })
    expect(drawnLines).toBe(text.split('\n').length)
    await page.screenshot({ path: '/tmp/ux18/job-context-cut.png' })

    await page.getByRole('button', { name: 'Show all (2,900 more)' }).click()
    const whole = (await box.textContent())!
    expect(JSON.parse(whole).items).toEqual(items)
    expect(whole.split('\n').length).toBeLessThan(500) // filled to the box's width, not 3,000 lines
    await page.getByRole('button', { name: 'Show less' }).click()
    await poll(async () => (await box.textContent())!.includes('… 2,900 more items')).toBe(true)
  })

  it('keeps a small context on one line', async () => {
    const id = await submitted({ n: 3, go: true })
    await page.goto(`${served.url}/#/jobs/${id}`)
    await poll(() => page.getByTestId('job-input').textContent()).toBe('{"n": 3, "go": true}')
    expect(await page.getByRole('button', { name: /^Show all/ }).count()).toBe(0)
    await page.screenshot({ path: '/tmp/ux18/job-context-small.png' })
  })
})
