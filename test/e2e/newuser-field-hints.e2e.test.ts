// New-user trial (Dec 2026): the hints inside empty fields are what a newcomer reads to fill them.
// The Scripts page's timeout said "none" (the Jobs page's quick shell job nothing) while a job left
// without one ends timed_out after a day;
// the add-user form's and new-graph field's hints were cut off ("First password (8+ ch").
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS } from '../../shared/api'
import { SHOTS, browserSuite, signIn } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

/** Empty inputs whose placeholder does not fit their text box: each as "label: text needs N px, has M". */
function cutPlaceholders(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!
    return [...document.querySelectorAll<HTMLInputElement>('input[placeholder]')]
      .filter((el) => el.offsetWidth > 0 && el.value === '')
      .flatMap((el) => {
        const s = getComputedStyle(el)
        ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
        const need = ctx.measureText(el.placeholder).width
        return need > room + 1 ? [`${el.getAttribute('aria-label') ?? el.name}: "${el.placeholder}" needs ${Math.ceil(need)} px, has ${Math.floor(room)}`] : []
      })
  })
}

describe('hints in empty fields', () => {
  it('the Scripts page’s and the quick shell job’s empty timeout show the day a job gets, not "none" or nothing', async () => {
    const { page, served } = suite
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/scripts`)
    const timeout = page.getByLabel('timeout in seconds')
    expect(await timeout.getAttribute('placeholder')).toBe(String(DEFAULT_SCRIPT_TIMEOUT_SECONDS))
    expect(await timeout.getAttribute('title')).toMatch(/^Empty: 86400 s \(a day\)/)
    expect(await cutPlaceholders(page)).toEqual([])
    // the Jobs page's quick shell job says the same
    await page.goto(`${served.url}/#/jobs`)
    await page.getByRole('button', { name: 'New shell job' }).click()
    const quick = page.getByLabel('Timeout (seconds, optional)')
    expect(await quick.getAttribute('placeholder')).toBe('86400 (a day) when empty')
    expect(await cutPlaceholders(page)).toEqual([])
    await page.getByRole('button', { name: 'Close', exact: true }).click()
  })

  it('the add-user form and the new-graph field show their whole hints', async () => {
    const { page, served } = suite
    await page.goto(`${served.url}/#/settings`)
    await page.getByLabel('new user name').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'newuser-add-user-hints.png') })
    expect(await cutPlaceholders(page)).toEqual([])
    await page.goto(`${served.url}/#/graph/graphs`)
    await page.getByLabel('new graph name').waitFor()
    expect(await cutPlaceholders(page)).toEqual([])
  })
})
