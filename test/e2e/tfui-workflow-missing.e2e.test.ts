// #9 tfui L5: bob opening #/workflows/<an admin's workflow> reads "… was not found, or is not yours.";
// at 900 px the workflow list's drawer covered that message, and after saving the new-workflow draft
// (default:myWorkflow) the message stayed above the saved workflow. Now it is in view at 900×600 and
// gone once a workflow is saved (or another one shown).
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, newUserAtLogin, poll, type Served } from './support'

const ADMINS = `workspace: tfuiadmin
dagName: private
type: flow
tasks:
  - {category: pass, name: a}
`

const suite = browserSuite({ width: 1280, height: 800 }, { signedIn: true })
let served: Served
let token: string
beforeAll(() => ({ served, token } = suite))

/** Whether the element's centre is drawn by the element itself (nothing over it). */
const uncovered = (p: Page, testId: string) =>
  p.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect()
    // its start and its middle: a drawer over the left part covered the words it begins with
    const seen = (x: number) => {
      const top = document.elementFromPoint(x, r.top + r.height / 2)
      return top !== null && el.contains(top)
    }
    return r.width > 0 && r.bottom <= window.innerHeight && seen(r.left + 14) && seen(r.left + r.width / 2)
  })

describe("another user's workflow asked for (tfui trial)", () => {
  it('says it is not found in view at 900 px, and forgets it once a workflow is saved', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: ADMINS })
    const bob = await newUserAtLogin(suite, 'bob', 'bob-initial-1', { width: 900, height: 600 })
    try {
      const form = bob.getByRole('form', { name: 'change password' })
      await form.getByLabel('New password (at least 8 characters)').fill('bob-password-1')
      await form.getByLabel('Repeat the new password').fill('bob-password-1')
      await form.getByRole('button', { name: 'Change password' }).click()
      await bob.getByRole('heading', { name: 'Jobs' }).waitFor()
      await bob.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
      const missing = bob.getByTestId('workflow-missing')
      await poll(() => missing.textContent()).toBe(`${descriptorId} was not found, or is not yours.`)
      await bob.screenshot({ path: resolve(SHOTS, 'tfui-workflow-missing-900.png') })
      expect(await uncovered(bob, 'workflow-missing')).toBe(true)
      await bob.setViewportSize({ width: 1280, height: 800 })
      await bob.screenshot({ path: resolve(SHOTS, 'tfui-workflow-missing-1280.png') })
      await bob.getByRole('button', { name: 'Save', exact: true }).click()
      await poll(() => bob.getByText(/Saved as /).count()).toBeGreaterThan(0)
      expect(await missing.count()).toBe(0)
      await bob.screenshot({ path: resolve(SHOTS, 'tfui-workflow-saved-1280.png') })
    } finally {
      await bob.close()
    }
  })
})
