// #13.4 trial: the sidebar collapsed to icons (52 px) at 900×600: its foot keeps the wide layout's
// row, so the theme toggle (x 42–55) and Sign out (x 45–52) are cut off at its edge, and "expand
// the sidebar" (x 35–62) hangs half over the page, in light and dark alike.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('the collapsed sidebar at 900×600', () => {
  it('shows each of its controls whole, inside its width', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.getByRole('button', { name: 'collapse the sidebar' }).click()
    const bar = page.getByRole('navigation', { name: 'main' })
    await poll(async () => (await bar.boundingBox())!.width).toBeLessThan(70)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: resolve(SHOTS, `trial5-sidebar-collapsed-${scheme}.png`) })
    }
    const outside = await page.evaluate(() => {
      const side = document.querySelector('.sidebar')!.getBoundingClientRect()
      return [...document.querySelectorAll<HTMLElement>('.sidebar a, .sidebar button')]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && (r.left < side.left - 1 || r.right > side.right + 1)
        })
        .map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim())
    })
    expect(outside).toEqual([])
  })
})
