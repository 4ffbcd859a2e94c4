import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { sdkSign } from '../ges/sdk-signer'
import { SHOTS, browserSuite, signIn, type Served } from './support'

const suite = browserSuite({ width: 1300, height: 900 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** A GES job-center call signed as Huawei Cloud's SDK signs it. */
async function gesList(ak: string, sk: string): Promise<number> {
  const host = new URL(served.url).host
  const headers = sdkSign(ak, sk, { method: 'GET', host, path: '/v2/p1/graphs/jobs', headers: { 'Content-Type': 'application/json' } })
  return (await fetch(`${served.url}/v2/p1/graphs/jobs`, { headers })).status
}

describe('Settings → Access keys', () => {
  it('issues a key whose secret is shown once, signs GES requests with it, and revokes it', async () => {
    await signIn(page, served.url)
    await page.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Settings' }).click()
    const section = page.getByRole('region', { name: 'access keys' })
    await section.getByLabel('Description').fill('python sdk on the laptop')
    await section.getByRole('button', { name: 'Create access key' }).click()
    const shown = section.getByRole('status', { name: 'new access key' })
    await shown.waitFor()
    const codes = await shown.locator('code').allTextContents()
    expect(codes[0]).toMatch(/^[A-Z0-9]{20}$/)
    expect(codes[1]).toMatch(/^[A-Za-z0-9]{40}$/)
    const row = section.locator('tr', { hasText: codes[0] })
    await row.waitFor()
    expect(await row.textContent()).toContain('python sdk on the laptop')
    expect(await section.locator('tbody').textContent()).not.toContain(codes[1]) // the table never shows the secret
    expect(await gesList(codes[0], codes[1])).toBe(200)
    await page.screenshot({ path: resolve(SHOTS, 'access-keys.png') })
    await row.getByRole('button', { name: 'Revoke' }).click()
    await row.getByText('revoked').waitFor()
    expect(await gesList(codes[0], codes[1])).toBe(401)
  })
})
