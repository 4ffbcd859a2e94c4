// #13.4 trial: Settings → Users at 900×600. With a few users the table is wider than its card's
// content: it runs over the card's right padding to its border, the "Reset password" links 3 px
// from the edge, while the left side keeps the card's 16 px.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, signIn } from './support'

const suite = browserSuite({ width: 900, height: 600 })

describe('Settings → Users at 900×600', () => {
  it('keeps the users table inside its card, as wide as the card leaves it', async () => {
    const { page, served, token } = suite
    for (const username of ['alice', 'bob.longer-name_with_many_chars_1234567890', 'carol']) {
      await api(served.url, token, 'POST', '/api/v1/users', { username, password: 'password123', role: 'user' })
    }
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/settings`)
    const card = page.getByRole('region', { name: 'users', exact: true })
    await card.getByRole('row').filter({ hasText: 'carol' }).waitFor()
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve(SHOTS, 'trial4-users-900.png') })
    const { table, content } = await card.evaluate((section) => {
      const s = section.getBoundingClientRect()
      const pad = parseFloat(getComputedStyle(section).paddingRight) + parseFloat(getComputedStyle(section).borderRightWidth)
      return { table: section.querySelector('table')!.getBoundingClientRect().right, content: s.right - pad }
    })
    expect(table).toBeLessThanOrEqual(content + 1)
  })
})
