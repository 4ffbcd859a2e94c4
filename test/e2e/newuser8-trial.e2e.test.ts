// What a new user's trial found at 1280×800 (newuser8): each test shows one finding, failing before its fix.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, type Served } from './support'

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let page: Page
let token: string
beforeAll(() => ({ served, page, token } = suite))

/** The width of what `selector` draws on `page`, in CSS pixels (0 when hidden). */
const width = (selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().width)

describe('newuser8 trial', () => {
  it('Jobs at 1280 px: with no job open the list takes the page’s width, the detail column comes with an opened job', async () => {
    for (const code of ['echo one', 'echo two']) await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
    await page.goto(`${served.url}/#/jobs`)
    await page.locator('tr[data-job-id="2"]').waitFor()
    const page0 = await width('.jobs-page')
    // was: an empty 440 px "Select a job…" column beside a table of 620 px in a page of 1100
    await poll(() => width('.table-wrap')).toBeGreaterThan(page0 - 60)
    expect(await page.locator('.jobs-page > .detail').isVisible()).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-jobs-1280.png') })
    // a job opened: its detail beside the list, wide enough to read its log
    await page.locator('tr[data-job-id="1"] td.num').click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await detail.waitFor()
    expect((await detail.boundingBox())!.width).toBeGreaterThanOrEqual(400)
    expect(await width('.table-wrap')).toBeLessThan(page0 - 400)
    await page.screenshot({ path: resolve(SHOTS, 'newuser8-jobs-1280-open.png') })
    // closed again: the list has the width back
    await detail.getByRole('button', { name: 'close detail' }).click()
    await poll(() => width('.table-wrap')).toBeGreaterThan(page0 - 60)
  })
})
