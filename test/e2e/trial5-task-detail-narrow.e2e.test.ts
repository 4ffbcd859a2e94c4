// #13.3/#13.4 trial: at 900×600 a failed task's detail (click "boom" in a failed run's graph) has
// its Invoke history table wider than the run panel: the Error column ("dispatchTask http fails:
// fetch failed") is cut at the window's edge and the whole panel scrolls sideways to read it.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runFailingFlow } from './flows'
import { SHOTS, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('Workflows at 900×600: a failed task’s detail', () => {
  it('fits the run panel’s width: its invoke history and error read without scrolling sideways', async () => {
    const { page, served, token } = suite
    const { descriptorId, jobId } = await runFailingFlow(served, token)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => page.getByTestId('wf-node-boom').getAttribute('data-status')).toBe('failed')
    await page.getByTestId('wf-node-boom').click()
    const detail = page.locator('.wf-side.detail')
    await poll(() => detail.getByText('Invoke history', { exact: false }).count()).toBeGreaterThan(0)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-task-detail-900.png') })
    const overflow = await detail.evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    const right = await detail.locator('table').first().evaluate((el) => el.getBoundingClientRect().right)
    expect(right).toBeLessThanOrEqual(900)
  })
})
