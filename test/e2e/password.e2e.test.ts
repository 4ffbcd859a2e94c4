// The change-password prompt comes before anything else; a wrong current password is a form error,
// never a sign-out; sign-out revokes the token (#8.1, #8.2, #9.3).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1300, height: 860 }, { askForPassword: true })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const storedToken = () => page.evaluate(() => localStorage.getItem('jobdesk.token'))
const me = (token: string | null) => fetch(`${served.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)

describe('passwords in the browser', () => {
  it('asks for a new password first; a wrong current password there is a form error, not a sign-out', async () => {
    await page.goto(served.url)
    await page.getByLabel('Password').fill('73@TuGraph')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'main' }).count()).toBe(0) // nothing else yet
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('not-the-password')
    await form.getByLabel('New password (at least 8 characters)').fill('my-own-password-1')
    await form.getByLabel('Repeat the new password').fill('my-own-password-1')
    await form.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => form.locator('[data-field="oldPassword"]').textContent()).toContain('current password is not right')
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0)
    expect(await me(await storedToken())).toBe(200)
    await page.screenshot({ path: resolve(SHOTS, 'password-prompt-wrong.png') })
    await page.getByRole('button', { name: 'Not now' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await page.getByRole('alert').first().textContent()).toContain('default password')
  })

  it('on the Settings page too, then changes it and the banner goes', async () => {
    await mainNav(page, 'Settings')
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('still-wrong')
    await form.getByLabel('New password (at least 8 characters)').fill('my-own-password-1')
    await form.getByLabel('Repeat the new password').fill('my-own-password-1')
    await form.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => form.locator('[data-field="oldPassword"]').textContent()).toContain('current password is not right')
    expect(await page.getByRole('navigation', { name: 'main' }).isVisible()).toBe(true) // still signed in
    await page.screenshot({ path: resolve(SHOTS, 'settings-wrong-password.png') })
    await form.getByLabel('Current password').fill('73@TuGraph')
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByText('Password changed').waitFor()
    await mainNav(page, 'Jobs')
    expect(await page.getByText('You are using the default password').count()).toBe(0)
  })

  it('signs out by revoking the token on the server', async () => {
    const token = await storedToken()
    expect(await me(token)).toBe(200)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    expect(await me(token)).toBe(401)
  })
})
