// Daily-use polish at 1024 px found by a new user (#9's GUI round), each as the user sees it:
// 1. Scripts: the Timeout label and its "s" unit were dropped, leaving a bare "86400" box;
// 3. Imports: "Header lines" took -3 as 0 and 99999999999 as "the header" (1000 lines) without a word;
// 2. Workflows: the list of the user's saved workflows was folded away behind a thin handle, and an
//    admin's list showed other users' workflows with no owner;
// 4. Settings: Users and Server sat below three other sections with no way to jump to them.
// Screenshots go to a temp dir (not test-results, not committed).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createUser } from '../support/users'
import { onePassFlow } from './flows'
import { api, browserSuite, chooseLanguage, layoutProblems, poll, signIn, type Served, mainNav } from './support'

vi.setConfig({ testTimeout: 120_000 })

const SHOTS = mkdtempSync(join(tmpdir(), 'uxlows-'))
const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, name) })

const suite = browserSuite({ width: 1024, height: 768 })
let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page, token } = suite)
  await signIn(page, served.url)
})


describe('daily use at 1024 px', () => {
  it('Scripts: the Timeout label and its unit "s" show beside the box in every language', async () => {
    await mainNav(page, 'Scripts')
    await page.getByTestId('script-editor').waitFor()
    for (const language of ['SQL', 'Python', 'Shell', 'Cypher']) {
      await chooseLanguage(page, language)
      await page.waitForTimeout(200)
      const box = page.getByRole('textbox', { name: 'timeout in seconds' })
      const input = (await box.boundingBox())!
      const label = page.locator('label.sc-timeout').filter({ has: box })
      const word = (await label.getByText('Timeout', { exact: true }).boundingBox())!
      const unit = (await label.getByText('s', { exact: true }).boundingBox())!
      // the unit is drawn (not clipped to a pixel) after the box in every language
      expect(unit.width, language).toBeGreaterThan(4)
      expect(unit.x, language).toBeGreaterThanOrEqual(input.x + input.width)
      if (language === 'Cypher') {
        // beside the graph picker the word gives way; the box keeps it as its name and title
        expect(await box.getAttribute('title'), language).toMatch(/^Timeout in seconds/)
      } else {
        expect(word.width, language).toBeGreaterThan(20)
        expect(word.x + word.width, language).toBeLessThanOrEqual(input.x)
      }
      // still one line: Run beside the language buttons, inside the editor column
      const run = (await page.locator('.sc-run-button').boundingBox())!
      const languages = (await page.getByRole('group', { name: 'language' }).boundingBox())!
      const middle = (b: { y: number; height: number }) => b.y + b.height / 2
      expect(Math.abs(middle(run) - middle(languages)), language).toBeLessThan(6)
      const side = (await page.getByRole('complementary', { name: 'scripts, tables, variables and history' }).boundingBox())!
      expect(run.x + run.width, language).toBeLessThanOrEqual(side.x)
      expect(await layoutProblems(page), language).toEqual([])
      await shot(page, `scripts-1024-${language}.png`)
    }
  })

  it('Imports: Header lines takes a whole number from 0 to 1000, and says so at the field otherwise', async () => {
    await mainNav(page, 'Imports')
    await page.getByTestId('file-input').setInputFiles([{ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name\n1,Ann\n2,Bob\n') }])
    const mapping = page.getByRole('region', { name: 'mapping' })
    const header = mapping.getByRole('spinbutton', { name: 'Header lines', exact: true })
    await poll(() => header.inputValue()).toBe('1')
    const check = page.getByRole('region', { name: 'check and import' }).getByRole('button', { name: 'Check', exact: true })
    await poll(() => check.isEnabled()).toBe(true)
    for (const bad of ['-3', '99999999999', '1.5', '']) {
      await header.fill(bad)
      // the text stays as typed, marked, with the rule at the field; Check and Start wait for a good one
      expect(await header.inputValue(), bad).toBe(bad)
      expect(await header.getAttribute('aria-invalid'), bad).toBe('true')
      const note = page.locator(`#${await header.getAttribute('aria-describedby')}`)
      expect(await note.textContent(), bad).toBe('Header lines must be a whole number from 0 to 1000.')
      expect(await note.isVisible(), bad).toBe(true)
      expect(await check.isDisabled(), bad).toBe(true)
      await shot(page, `imports-header-${bad || 'empty'}.png`)
    }
    // a good number again: no mark, no note, the preview read with it
    await header.fill('0')
    expect(await header.getAttribute('aria-invalid')).toBeNull()
    expect(await header.getAttribute('aria-describedby')).toBeNull()
    await poll(() => mapping.getByTestId('preview').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['1', 'id', 'name'])
    await poll(() => check.isEnabled()).toBe(true)
    expect(await layoutProblems(page)).toEqual([])
  })

  it('Workflows: a user with saved workflows sees a clear “Workflows (8)” to open the list, and other users’ ones with their owner', async () => {
    for (let i = 1; i <= 7; i++) await api(served.url, token, 'POST', '/api/v1/workflows', { text: onePassFlow('mine', `flow${i}`) })
    const bob = await createUser({ url: served.url, token }, 'bob')
    await api(served.url, bob.token, 'POST', '/api/v1/workflows', { text: onePassFlow('bobs', 'hold') })
    // the page seen once before (its drawer then opened by itself, and was closed): on a later visit the list is folded
    await mainNav(page, 'Workflows')
    await page.getByTestId('yaml-editor').waitFor()
    const list = page.getByRole('navigation', { name: 'workflows' })
    if (await list.isVisible()) await page.getByRole('button', { name: 'hide the workflow list' }).click()
    await page.reload()
    await page.getByTestId('yaml-editor').waitFor()
    await page.waitForTimeout(300)
    expect(await list.count()).toBe(0)
    await shot(page, 'workflows-1024-folded.png')
    // what the user has saved is named, and one click away, in words and not a thin ›
    const open = page.getByRole('button', { name: 'Workflows (8)', exact: true })
    await poll(() => open.isVisible()).toBe(true)
    const box = (await open.boundingBox())!
    expect(box.width).toBeGreaterThan(80)
    expect(await layoutProblems(page)).toEqual([])
    await open.click()
    await list.waitFor()
    // the admin sees bob's workflow with his name; their own without one
    const bobs = list.getByTestId('wf-item-bobs:hold')
    expect(await bobs.getByText('by bob', { exact: true }).isVisible()).toBe(true)
    expect(await list.getByTestId('wf-item-mine:flow1').textContent()).not.toContain('by ')
    await shot(page, 'workflows-1024-list.png')
    // picking one makes way for the editor, and the button is there to come back
    await list.getByTestId('wf-item-mine:flow3').click()
    await poll(() => list.count()).toBe(0)
    await poll(() => open.isVisible()).toBe(true)
    expect(await layoutProblems(page)).toEqual([])
    await shot(page, 'workflows-1024-open.png')
  })

  for (const width of [1024, 1600]) {
    it(`Settings at ${width} px: a section nav at the top jumps to Users and Server, by mouse and keyboard, and the URL keeps it`, async () => {
      await page.setViewportSize({ width, height: 768 })
      await page.goto(`${served.url}/#/settings`)
      const nav = page.getByRole('navigation', { name: 'settings sections' })
      await nav.waitFor({ timeout: 5000 })
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Password', 'Notifications', 'Access keys', 'Users', 'Server', 'Linkis tokens'])
      const navBox = (await nav.boundingBox())!
      expect(navBox.y).toBeLessThan(150) // at the top, above the sections
      await shot(page, `settings-${width}-top.png`)
      // jumped to: the section's top near the window's top, or, for a section of the last row (two columns
      // from 1400 px: the page ends before it can reach the top), the page at its end with the section whole
      const inView = async (name: string) => {
        const b = (await page.getByRole(name === 'server exposure' ? 'form' : 'region', { name, exact: true }).boundingBox())!
        if (b.y >= 0 && b.y < 200) return true
        const atEnd = await page.evaluate(() => {
          const s = document.scrollingElement!
          const main = document.querySelector('main') ?? s
          const end = (e: Element) => e.scrollHeight - e.clientHeight - e.scrollTop <= 1
          return end(s) && end(main) && (s.scrollTop > 0 || main.scrollTop > 0)
        })
        return atEnd && b.y >= 0 && b.y + b.height <= 768
      }
      expect(await inView('users')).toBe(false)
      // by mouse: Users
      await nav.getByRole('link', { name: 'Users', exact: true }).click()
      await poll(() => page.evaluate(() => location.hash)).toBe('#/settings/users')
      await poll(() => inView('users')).toBe(true)
      expect(await nav.getByRole('link', { name: 'Users', exact: true }).getAttribute('aria-current')).toBe('true')
      await shot(page, `settings-${width}-users.png`)
      // by keyboard: Server, and the focus goes with it (the next Tab is in that section)
      await nav.getByRole('link', { name: 'Server', exact: true }).focus()
      await page.keyboard.press('Enter')
      await poll(() => page.evaluate(() => location.hash)).toBe('#/settings/server')
      await poll(() => inView('server exposure')).toBe(true)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('settings-server')
      // back goes to Users; a reload lands on the section the URL names
      await page.goBack()
      await poll(() => page.evaluate(() => location.hash)).toBe('#/settings/users')
      await poll(() => inView('users')).toBe(true)
      await page.goto(`${served.url}/#/settings/server`)
      await page.reload()
      await poll(() => inView('server exposure')).toBe(true)
      expect(await layoutProblems(page)).toEqual([])
    })
  }
})
