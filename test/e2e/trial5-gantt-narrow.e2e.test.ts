// #13.3/#13.4 trial: at 900×600 (as the Workflows page opens there: list folded, run panel open) a
// failed run's Gantt timeline has a ~75 px wide bar area, and its time axis writes "0 ms", "20 ms",
// "40 ms", "60 ms" and "80 ms" on top of one another: an unreadable smudge above the bars.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runFailingFlow } from './flows'
import { SHOTS, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('Workflows at 900×600: a run’s Gantt timeline', () => {
  it('writes its time axis readably: no tick label over another', async () => {
    const { page, served, token } = suite
    const { descriptorId, jobId } = await runFailingFlow(served, token)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await poll(() => page.getByTestId('wf-node-boom').getAttribute('data-status')).toBe('failed')
    await page.getByRole('button', { name: 'Gantt', exact: true }).click()
    const ticks = page.locator('.wf-gantt-tick')
    await poll(() => ticks.count()).toBeGreaterThan(1)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-gantt-900.png') })
    const boxes = await ticks.evaluateAll((els) => els.map((el) => ({ text: el.textContent, ...el.getBoundingClientRect().toJSON() })))
    const overlapping = boxes.slice(1).filter((b, i) => b.left < boxes[i].right - 1).map((b, i) => `${boxes[i].text} / ${b.text}`)
    expect(overlapping).toEqual([])
  })
})
