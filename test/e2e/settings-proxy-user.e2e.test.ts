// A Linkis proxy grant naming a user no one can act as (a look-alike of an account, a name JobDesk
// reserves) is refused when saved (#9); the Settings page says which grant and which name, marks the
// field and keeps the form as typed so the name can be corrected; a corrected grant then saves.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 900 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

it('refuses a proxy grant of a look-alike of the admin, naming the grant and the name, and saves it corrected', async () => {
  await page.goto(served.url)
  await page.getByLabel('Password').fill('73@TuGraph')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Settings' }).click()
  const grants = page.getByRole('region', { name: 'Linkis proxy users' })
  await grants.getByLabel('proxy login user').fill('etl')
  await grants.getByLabel('proxy may act as').fill('hadoop, adm1n')
  await grants.getByRole('button', { name: 'Add grant' }).click()
  const error = grants.locator('.error-text')
  await error.waitFor()
  expect(await error.textContent()).toMatch(/^proxyUsers\.etl: adm1n reads as the user admin and is not that user: no one can act as it$/)
  expect(await grants.locator('tr[data-grant]').count()).toBe(0)
  const targets = grants.getByLabel('proxy may act as')
  expect(await targets.inputValue()).toBe('hadoop, adm1n') // kept, to be corrected
  expect(await targets.getAttribute('aria-invalid')).toBe('true')
  await grants.screenshot({ path: resolve(SHOTS, 'settings-proxy-user-refused.png') })

  await targets.fill('hadoop')
  await grants.getByRole('button', { name: 'Add grant' }).click()
  await grants.locator('tr[data-grant="etl"]').waitFor()
  expect(await grants.locator('tr[data-grant="etl"] td').nth(1).textContent()).toBe('hadoop')
  expect(await grants.locator('.ok-text').textContent()).toBe('Saved: etl may act as hadoop.')
  await grants.screenshot({ path: resolve(SHOTS, 'settings-proxy-user-saved.png') })
})
