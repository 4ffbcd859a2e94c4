// The Users section of Settings: an admin creates a user, who signs in, chooses a password and sees
// only their own jobs (#9.3).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, apiLogin, browserSuite, type Served, mainNav } from './support'

const suite = browserSuite({ width: 1400, height: 900 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

async function submit(token: string, code: string): Promise<number> {
  const res = await fetch(`${served.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'script', language: 'sql', code }),
  })
  return ((await res.json()) as { id: number }).id
}

async function signIn(username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

const STOPPED = 'and every job of theirs still queued or running was stopped.'
/** Never ends: one sqlite3_step that counts forever (sql-cancel.test.ts). */
const ENDLESS_SQL = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;'

/**
 * Clicks `name`'s Disable: it acts only once confirmed, in a dialog naming what it stops (`stops`);
 * takes a screenshot `shot` of the dialog when given, then confirms.
 */
async function disable(users: ReturnType<Page['getByRole']>, name: string, stops: string, shot?: string): Promise<void> {
  await users.locator(`tr[data-user="${name}"]`).getByRole('button', { name: 'Disable' }).click()
  const dialog = page.getByRole('dialog', { name: `Disable ${name}?` })
  await expect.poll(() => dialog.textContent()).toContain(stops)
  if (shot) await page.screenshot({ path: resolve(SHOTS, shot) })
  await dialog.getByRole('button', { name: `Disable ${name}` }).click()
}

describe('Users page', () => {
  it('creates a user who then sees only their own jobs', async () => {
    const adminJob = await submit(await apiLogin(served.url), "select 'admin only' as s")
    await page.goto(served.url)
    await signIn('admin', '73@TuGraph')
    await mainNav(page, 'Settings')
    const users = page.getByRole('region', { name: 'users', exact: true })
    const add = users.getByRole('form', { name: 'new user' })
    const rillToken = page.getByRole('form', { name: 'server exposure' }).getByRole('checkbox', { name: /Require a bearer token/ })
    await rillToken.waitFor()
    expect([await rillToken.isChecked(), await rillToken.isDisabled()]).toEqual([false, false]) // one user: the admin's choice
    // a greyed-out Add user says what it waits for (newuser2: nothing said why)
    expect(await add.getByRole('button', { name: 'Add user' }).getAttribute('title')).toBe('Type a user name first')
    await add.getByLabel('new user name').fill('grace')
    expect(await add.getByRole('button', { name: 'Add user' }).getAttribute('title')).toBe('Type a password first')
    // every field is labelled where it can be seen, and a mistyped confirmation is refused before the server is asked (#13.6)
    expect(await add.locator('label').allInnerTexts()).toEqual(expect.arrayContaining(['User name', 'Password', 'Confirm password', expect.stringContaining('Role')]))
    // a field inside its label is one line high (a flex basis once made each 150 px tall)
    for (const box of await add.locator('input:not([type=checkbox])').all()) expect((await box.boundingBox())!.height).toBeLessThan(48)
    await add.getByLabel('new user password', { exact: true }).fill('first-password-1')
    await add.getByLabel('confirm new user password').fill('first-password-2')
    await add.getByRole('button', { name: 'Add user' }).click()
    expect(await users.getByRole('alert').textContent()).toBe('The two passwords differ: type the same one twice.')
    expect(await users.locator('tr[data-user="grace"]').count()).toBe(0)
    await add.getByLabel('confirm new user password').fill('first-password-1')
    await add.getByRole('button', { name: 'Add user' }).click()
    const row = users.locator('tr[data-user="grace"]')
    await row.waitFor()
    expect(await row.textContent()).toContain('must change password')
    // a second user: Rill Flow wants a token from this computer too, and Server says so at once (newuser4: the box stayed unticked)
    await expect.poll(() => rillToken.isDisabled()).toBe(true)
    expect(await rillToken.isChecked()).toBe(true)
    await page.getByText('required now: there is more than one user').waitFor()
    expect(await users.getByLabel('scripts right of grace').isChecked()).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'settings-users.png'), fullPage: true })
    await page.getByRole('button', { name: 'Sign out' }).click()

    await signIn('grace', 'first-password-1')
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    // a password an admin set cannot be put off: the server refuses every other call until it is changed (#9)
    expect(await page.getByRole('button', { name: 'Not now' }).count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'password-prompt-admin-set.png') })
    const form = page.getByRole('form', { name: 'change password' })
    await form.getByLabel('Current password').fill('first-password-1')
    await form.getByLabel('New password (at least 8 characters)').fill('graces-own-password')
    await form.getByLabel('Repeat the new password').fill('graces-own-password')
    await form.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()

    const token = await page.evaluate(() => localStorage.getItem('jobdesk.token'))
    const own = await submit(token!, "select 'grace was here' as s")
    const mine = page.locator(`tr[data-job-id="${own}"]`)
    await mine.waitFor() // her own job arrives over the event stream
    await expect.poll(() => mine.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    await page.reload()
    await mine.waitFor()
    expect(await page.locator(`tr[data-job-id="${adminJob}"]`).count()).toBe(0)
    expect(await page.locator('tr[data-job-id]').count()).toBe(1)
    // without the scripts right, shell and Python are not offered (the server would refuse them)
    expect(await page.getByRole('button', { name: 'New shell job' }).count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'jobs-of-grace.png') })
    await mainNav(page, 'Scripts')
    const languages = page.getByRole('group', { name: 'language' })
    expect(await languages.locator('[data-language="shell"]').isDisabled()).toBe(true)
    expect(await languages.locator('[data-language="python"]').isDisabled()).toBe(true)
    expect(await languages.locator('[data-language="sql"]').isDisabled()).toBe(false)
    // and Settings shows her only her password
    await mainNav(page, 'Settings')
    await page.getByText('Server, user and Linkis settings are for admins').waitFor()
    expect(await page.getByRole('region', { name: 'users' }).count()).toBe(0)
  })

  it('says how many of a user’s sessions a disable ended', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click() // grace's browser session ends here
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'grace', password: 'graces-own-password' }) })
      expect(res.status).toBe(200)
    }
    await signIn('admin', '73@TuGraph')
    await mainNav(page, 'Settings')
    const users = page.getByRole('region', { name: 'users', exact: true })
    await disable(users, 'grace', 'Their 0 running and 0 queued jobs will be stopped')
    // was: "their sessions ended" whether she had none or ten
    await expect.poll(() => users.getByRole('status').textContent()).toBe(`grace disabled; 2 sessions of theirs ended, ${STOPPED}`)
    await users.locator('tr[data-user="grace"]').getByRole('button', { name: 'Enable' }).click()
    await expect.poll(() => users.getByRole('status').textContent()).toBe('grace enabled.')
    await disable(users, 'grace', 'Their 0 running and 0 queued jobs will be stopped')
    await expect.poll(() => users.getByRole('status').textContent()).toBe(`grace disabled; no session of theirs was open, ${STOPPED}`)
    await page.screenshot({ path: resolve(SHOTS, 'users-disabled-sessions.png') })
  })

  it('asks before a disable, naming the running and queued jobs it stops; Back leaves the user as they were', async () => {
    const users = page.getByRole('region', { name: 'users', exact: true })
    await users.locator('tr[data-user="grace"]').getByRole('button', { name: 'Enable' }).click()
    await expect.poll(() => users.getByRole('status').textContent()).toBe('grace enabled.')
    const res = await fetch(`${served.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'grace', password: 'graces-own-password' }) })
    const { token } = (await res.json()) as { token: string }
    const jobs = [await submit(token, ENDLESS_SQL), await submit(token, ENDLESS_SQL)]
    const status = async (id: number) => ((await (await fetch(`${served.url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${await apiLogin(served.url)}` } })).json()) as { status: string; error?: string })
    for (const id of jobs) await expect.poll(async () => (await status(id)).status, { timeout: 20_000 }).toBe('running')
    // one click no longer disables: Back leaves grace enabled and her jobs running
    await users.locator('tr[data-user="grace"]').getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('dialog', { name: 'Disable grace?' }).getByRole('button', { name: 'Back' }).click()
    expect(await users.locator('tr[data-user="grace"]').textContent()).toContain('active')
    expect((await status(jobs[0])).status).toBe('running')
    await disable(users, 'grace', 'Their 2 running and 0 queued jobs will be stopped', 'users-disable-confirm.png')
    await expect.poll(() => users.getByRole('status').textContent()).toContain(STOPPED)
    for (const id of jobs) {
      await expect.poll(async () => (await status(id)).status, { timeout: 10_000 }).toBe('failed')
      expect((await status(id)).error).toMatch(/user grace was disabled/)
    }
  })
})
