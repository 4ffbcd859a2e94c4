// A user whose account an admin disables is told so on the sign-in form, whichever request of their
// open tab meets the refusal first (trial10 task A): the event stream's session.ended used to be the
// only carrier of the reason, so a list's or a reload's 401 won the race and the form said only
// "sign in again".
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, submitLogin, type Served } from './support'
import { createUser } from '../support/users'

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let token: string
beforeAll(() => ({ served, token } = suite))

const REASON = (name: string) => `Your session ended: Your account ${name} was disabled by an administrator; ask an admin to enable it.`

/** Makes `name` (own password chosen) and signs them in on a new page, on the Jobs page. */
async function signedInPage(name: string): Promise<Page> {
  const { password } = await createUser({ url: served.url, token }, name)
  const p = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
  await p.goto(served.url)
  await submitLogin(p, name, password)
  await p.getByRole('heading', { name: 'Jobs' }).waitFor()
  return p
}

const said = (p: Page) => p.getByText('Your session ended')

describe('a disabled account’s open tab', () => {
  it('says why when a page’s request, not the event stream, meets the refusal', async () => {
    const p = await signedInPage('ella')
    try {
      // no event stream: the stream's word cannot come first
      await p.route('**/api/v1/events', (route) => route.abort())
      await p.reload()
      await p.getByRole('heading', { name: 'Jobs' }).waitFor()
      await api(served.url, token, 'POST', '/api/v1/users/ella', { disabled: true })
      // any request the page makes now meets the refusal: the click's, or the Jobs page's own
      // refresh when it comes first (CI: the page was signed out and the nav gone before the click)
      await p.getByRole('navigation', { name: 'main' }).getByRole('button', { name: 'Scripts' }).click({ timeout: 5000 }).catch(() => undefined)
      await poll(() => said(p).allTextContents()).toEqual([REASON('ella')]) // was "Your session ended: sign in again."
      await p.getByRole('button', { name: 'Sign in' }).waitFor()
      await p.screenshot({ path: resolve(SHOTS, 'trial10-disabled-request.png') })
    } finally {
      await p.close()
    }
  })

  it('says why when the app is opened again with the kept sign-in (a reopened tab)', async () => {
    const p = await signedInPage('finn')
    try {
      await p.goto('about:blank') // off the app: its sign-in stays kept (localStorage), no stream open
      await api(served.url, token, 'POST', '/api/v1/users/finn', { disabled: true })
      await p.goto(served.url)
      await poll(() => p.getByRole('alert').allTextContents()).toEqual([REASON('finn')]) // was the bare sign-in form
    } finally {
      await p.close()
    }
  })
})
