// A Linkis token listing a Token-User no call could be made as (a look-alike of an account, a name
// JobDesk reserves) is refused when saved (#9); the Settings page says which token and which user,
// and keeps the form as typed so the name can be corrected.
import { resolve } from 'node:path'
import type { Page, Route } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SHOTS, browserSuite, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

it('refuses a token whose users list names a look-alike of the admin, saying which token and user', async () => {
  await page.goto(served.url)
  await page.getByLabel('Password').fill('73@TuGraph')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('token code').fill('ETL-TOKEN-0123456789')
  await page.getByLabel('token users').fill('etl, adm1n')
  await page.getByRole('button', { name: 'Add token' }).click()
  const tokens = page.getByRole('region', { name: 'Linkis tokens' })
  const error = tokens.locator('.error-text')
  await error.waitFor()
  expect(await error.textContent()).toMatch(/tokens\[0\] \(••••••789\): Token-User adm1n reads as the user admin and is not that user/)
  expect(await tokens.locator('tr[data-token]').count()).toBe(0)
  expect(await page.getByLabel('token users').inputValue()).toBe('etl, adm1n') // kept, to be corrected
  await tokens.screenshot({ path: resolve(SHOTS, 'settings-token-user-refused.png') })
})

it('says the tokens are loading, and a read that failed with a Retry that reads them', async () => {
  const nav = page.getByRole('navigation', { name: 'main' })
  await nav.getByRole('button', { name: 'Jobs' }).click()
  let release!: () => void
  const released = new Promise<void>((ok) => (release = ok))
  const LINKIS = /\/api\/v1\/settings\/linkis$/
  const fail = async (route: Route) => {
    await released
    await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'the settings are not readable now' } }) })
  }
  await page.route(LINKIS, fail)
  await nav.getByRole('button', { name: 'Settings' }).click()
  const tokens = page.getByRole('region', { name: 'Linkis tokens' })
  await tokens.getByText('Loading the Linkis tokens…').waitFor() // was nothing at all until the answer
  await tokens.screenshot({ path: resolve(SHOTS, 'settings-linkis-loading.png') })
  release()
  await tokens.getByRole('alert').getByText('The Linkis tokens could not be loaded.', { exact: false }).waitFor()
  expect(await tokens.getByRole('alert').textContent()).toContain('The settings are not readable now.')
  await tokens.screenshot({ path: resolve(SHOTS, 'settings-linkis-failed.png') })
  await page.unroute(LINKIS, fail)
  await tokens.getByRole('button', { name: 'Retry' }).click()
  await tokens.getByRole('button', { name: 'Add token' }).waitFor()
  await page.getByRole('region', { name: 'Linkis proxy users' }).waitFor()
})
