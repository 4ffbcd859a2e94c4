// Desktop notifications in the browser (#13.7): a job the user started that ends while the page is
// not in front shows a notification (the browser's Notification API, recorded here by a stand-in);
// a click opens the job; Settings turns them off.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'

const suite = browserSuite({ width: 1200, height: 800 })
let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page, token } = suite)
  await page.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; body: string; click: () => void }[] }
    w.__notes = []
    class FakeNotification {
      static permission = 'granted'
      static requestPermission = () => Promise.resolve('granted')
      onclick: (() => void) | null = null
      constructor(title: string, o: { body: string }) {
        w.__notes.push({ title, body: o.body, click: () => this.onclick?.() })
      }
      close() {}
    }
    Object.defineProperty(window, 'Notification', { value: FakeNotification })
    document.hasFocus = () => false // the user is in another window
  })
})

const notes = () => page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes.map((n) => `${n.title} | ${n.body}`))
const runJob = async (code: string) => (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code, name: 'nightly export' })).id as number

describe('browser notifications', () => {
  it('notifies when the user’s job ends, and a click opens it', async () => {
    await signIn(page, served.url)
    await page.waitForTimeout(500) // the event stream is open
    const id = await runJob('sleep 1; echo done')
    await poll(notes).toEqual([`Job #${id} succeeded | nightly export`])
    await page.evaluate(() => (window as unknown as { __notes: { click: () => void }[] }).__notes[0].click())
    await poll(() => page.url()).toContain(`#/jobs/${id}`)
  })

  it('is turned off in Settings, and stays off after a reload', async () => {
    await page.goto(`${served.url}/#/settings`)
    const box = page.getByRole('region', { name: 'notifications' }).getByRole('checkbox')
    await poll(() => box.isChecked()).toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'settings-notifications.png') })
    await box.uncheck()
    await poll(async () => (await api(served.url, token, 'GET', '/api/v1/me/preferences')).notifyJobEnds).toBe(false)
    await page.reload()
    await poll(() => box.isChecked()).toBe(false)
    const id = await runJob('sleep 1; exit 3')
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${id}`)).status).toBe('failed')
    await page.waitForTimeout(500)
    expect(await notes()).toEqual([])
  })
})
