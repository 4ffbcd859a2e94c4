// Dark mode (#13.6, asked with #13.4): follows the system, a toggle overrides it (and is kept),
// and every page stays readable: no text below a 3:1 contrast with what is behind it.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, signIn, type Served, poll, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const FLOW = `workspace: demo
dagName: dark
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: function, name: second, pattern: task_sync, resourceName: "http://127.0.0.1:1/x", next: third}
  - {category: pass, name: third}
`

/** The page's background lightness, 0 (black) to 1 (white). */
const backgroundLightness = (p: Page) =>
  p.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g)!.map(Number)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
  })

/** Visible text whose colour is too close to the background behind it (WCAG contrast ratio < 3). */
async function lowContrast(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const parse = (c: string) => c.match(/[\d.]+/g)!.map(Number)
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    const backgroundOf = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor)
        if (c.length < 4 || c[3] > 0.5) return c
      }
      return [255, 255, 255]
    }
    const bad: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !n.textContent?.trim() || el.closest('.cm-editor, .react-flow__attribution, [disabled], option')) continue
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0 || box.bottom < 0 || box.top > innerHeight) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || Number(style.opacity) < 0.6) continue
      const fg = lum(parse(style.color))
      const bg = lum(backgroundOf(el))
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
      if (ratio < 3) bad.push(`${n.textContent.trim().slice(0, 30)} (${ratio.toFixed(1)}: ${style.color} on ${getComputedStyle(el).backgroundColor})`)
    }
    return [...new Set(bad)]
  })
}

const nav = (name: string) => mainNav(page, name)

describe('dark mode', () => {
  it('follows a dark system and keeps every page readable', async () => {
    const token = await apiLogin(served.url)
    await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo hello dark' })
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await page.emulateMedia({ colorScheme: 'dark' })
    await signIn(page, served.url)
    expect(await backgroundLightness(page)).toBeLessThan(0.2)
    await page.locator('tr[data-job-id="1"]').click()
    await page.getByTestId('job-code').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'dark-jobs.png') })
    expect(await lowContrast(page)).toEqual([])

    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'dark-scripts.png') })
    expect(await lowContrast(page)).toEqual([])

    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await expect.poll(() => page.getByTestId('wf-node-second').getAttribute('data-status'), { timeout: 15_000 }).toBe('failed')
    await page.screenshot({ path: resolve(SHOTS, 'dark-workflows.png') })
    expect(await lowContrast(page)).toEqual([])

    await page.setViewportSize({ width: 900, height: 600 })
    await nav('Jobs')
    await page.screenshot({ path: resolve(SHOTS, 'dark-jobs-900.png') })
    expect(await lowContrast(page)).toEqual([])
    await page.setViewportSize({ width: 1400, height: 860 })
  })

  it('the toggle overrides the system, is kept over a reload, and goes back to following it', async () => {
    await page.getByRole('button', { name: 'theme: System theme' }).click()
    await poll(() => backgroundLightness(page)).toBeGreaterThan(0.9) // light, though the system is dark
    expect(await lowContrast(page)).toEqual([])
    await page.reload()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await backgroundLightness(page)).toBeGreaterThan(0.9)
    await page.getByRole('button', { name: 'theme: Light' }).click() // → dark
    await poll(() => backgroundLightness(page)).toBeLessThan(0.2)
    await page.getByRole('button', { name: 'theme: Dark' }).click() // → the system's again
    await page.emulateMedia({ colorScheme: 'light' })
    await poll(() => backgroundLightness(page)).toBeGreaterThan(0.9)
    await page.emulateMedia({ colorScheme: 'dark' })
    await poll(() => backgroundLightness(page)).toBeLessThan(0.2) // follows a change while open
  })
})
