// A job that prints a line and ends at once: the detail said "Log: 1 line" while the log panel beside
// it still said "0 lines" / "No log lines yet". The detail's count came with the job's end (a fetch),
// the panel's line only with the pushed log event, which the server gathers for a while (log-fanout.ts)
// and a stream that was not open yet never gets. Both must agree as the user watches the job end.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** One drawn frame of the job detail: its status, its "Log" fact, the panel's count and its lines. */
interface Frame {
  status: string | null
  info: string | null
  count: string | null
  lines: number
  empty: boolean
}

/** Notes every frame the job detail draws that differs from the one before (read back with `frames`). */
async function recordFrames(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { frames: Frame[] }
    w.frames = []
    const look = () => {
      const d = document.querySelector('[aria-label="job detail"]')
      if (d) {
        const f: Frame = {
          status: d.querySelector('.detail-meta [data-status]')?.getAttribute('data-status') ?? null,
          info: d.querySelector('[data-testid="log-info"]')?.textContent ?? null,
          count: d.querySelector('[data-testid="log-count"]')?.textContent ?? null,
          lines: d.querySelectorAll('[aria-label="job log"] .log-line').length,
          empty: (d.querySelector('[aria-label="job log"]')?.textContent ?? '').includes('No log lines'), // "yet" while running, "were written" once ended
        }
        if (JSON.stringify(w.frames.at(-1)) !== JSON.stringify(f)) w.frames.push(f)
      }
      requestAnimationFrame(look)
    }
    look()
  })
}

const frames = (p: Page) => p.evaluate(() => (window as unknown as { frames: Frame[] }).frames)

describe('the log panel of a job that ends as it is watched', () => {
  it('shows the final line in the same moment the detail counts it: never "Log: 1 line" beside "No log lines yet"', async () => {
    await signIn(page, served.url)
    await recordFrames(page)
    await page.getByRole('button', { name: 'New shell job' }).click()
    await page.getByLabel('Shell command').fill('echo hi')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    const detail = page.getByLabel('job detail')
    await poll(() => detail.locator('.detail-meta [data-status]').getAttribute('data-status')).toBe('succeeded')
    await poll(() => detail.getByTestId('log-info').textContent()).toBe('1 line')
    await poll(() => detail.getByTestId('log-count').textContent()).toBe('1 line')
    expect(await detail.locator('[aria-label="job log"] .log-line .log-text').allTextContents()).toEqual(['hi'])
    await page.waitForTimeout(500) // the pushed event of the line comes after the end: it must not add it twice
    await page.screenshot({ path: resolve(SHOTS, 'job-end-log.png') })
    const seen = await frames(page)
    // every frame of the ended job in which the panel shows a count shows the detail's count, and that many lines
    const ended = seen.filter((f) => f.status === 'succeeded' && f.count !== 'loading…')
    const disagree = ended.filter((f) => f.info !== f.count || f.lines !== Number.parseInt(f.count ?? '', 10) || (f.lines > 0 && f.empty))
    expect(disagree, JSON.stringify(seen, null, 1)).toEqual([])
    expect(seen.at(-1)).toEqual({ status: 'succeeded', info: '1 line', count: '1 line', lines: 1, empty: false })
  })
})
