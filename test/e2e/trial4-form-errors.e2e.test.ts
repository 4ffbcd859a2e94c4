// #13.6 trial: "readable form errors instead of validator text". Settings' password and user forms
// say what is wrong in words; these forms still show the server's JSON Schema message as it is
// (`body field "alias" must match pattern "^[a-zA-Z0-9]+$"`), naming API fields and regexes.
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served, saveScriptAs } from './support'

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** What a validator says that a person would not: the request's wording, schema keywords, regexes, camelCase field names. */
const VALIDATOR_TEXT = /body field|must NOT|must match pattern|\^\[|timeoutSeconds|"to"|\bto must\b/

/** The error the form shows: in words, naming the field as the form labels it. */
async function expectReadable(error: Locator, field: RegExp, shot: string): Promise<void> {
  await poll(() => error.count()).toBeGreaterThan(0)
  await page.screenshot({ path: resolve(SHOTS, shot) })
  const text = (await error.first().textContent()) ?? ''
  expect(text).not.toMatch(VALIDATOR_TEXT)
  expect(text).toMatch(field)
}

describe('form errors in words', () => {
  it('Workflows: an alias with a space or "!" says which characters an alias may have', async () => {
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows`)
    await page.getByPlaceholder('alias (optional)').fill('bad alias!')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expectReadable(page.locator('.error-text, [role=alert]').filter({ hasText: /alias/i }), /alias/i, 'trial4-form-alias.png')
  })

  it('New shell job: a timeout that is not a positive number is said in words', async () => {
    for (const timeout of ['abc', '0']) {
      await page.goto(`${served.url}/#/jobs`)
      await page.getByRole('button', { name: 'New shell job' }).click()
      const dialog = page.getByRole('dialog', { name: 'new shell job' })
      await dialog.getByLabel('Timeout (seconds, optional)').fill(timeout)
      await dialog.getByRole('button', { name: 'Run' }).click()
      await expectReadable(dialog.locator('.error-text'), /timeout/i, `trial4-form-timeout-${timeout}.png`)
      await dialog.getByRole('button', { name: 'Close' }).click()
    }
  })

  it('Graphs: a graph name longer than allowed says how long it may be', async () => {
    await page.goto(`${served.url}/#/graph/graphs`)
    await page.getByLabel('new graph name').fill('g'.repeat(80))
    await page.getByRole('button', { name: 'Create graph' }).click()
    await expectReadable(page.getByRole('region', { name: 'graphs' }).locator('.error-text, [role=alert]'), /name/i, 'trial4-form-graph-name.png')
  })

  it('Saved scripts: renaming to an empty name says the name is needed', async () => {
    await page.goto(`${served.url}/#/scripts`)
    const side = page.getByRole('region', { name: 'saved scripts' })
    await saveScriptAs(page, 'reports/daily')
    const row = page.getByTestId('saved-reports/daily')
    await row.waitFor()
    await row.locator('.sc-tree-row').hover()
    await page.getByRole('button', { name: 'rename reports/daily', exact: true }).click()
    await page.getByLabel('new path of reports/daily').fill('')
    await page.getByLabel('new path of reports/daily').press('Enter')
    await expectReadable(side.getByRole('alert'), /name|path/i, 'trial4-form-rename-empty.png')
  })
})
