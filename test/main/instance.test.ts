// The desktop app's start (newuser4 #1): a second desktop launch brings the first window forward, and
// a start on a data folder another JobDesk holds says so in an error box instead of a window that
// never opens. Electron cannot run here: its app and dialog are small recorders.
import { EventEmitter } from 'node:events'
import { rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import { claimDesktopInstance, startForWindow } from '../../electron/main/instance'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Electron's dialog as startForWindow uses it: records each error box. */
const recordingDialog = () => {
  const boxes: { title: string; content: string }[] = []
  return { boxes, showErrorBox: (title: string, content: string) => void boxes.push({ title, content }) }
}

describe('the desktop app on a data folder in use', () => {
  it('shows who holds it in an error box and starts nothing', async () => {
    const t: TestApp = await startTestApp()
    cleanups.push(() => t.close())
    const dialog = recordingDialog()
    const app = await startForWindow({ dataDir: t.dir, host: '127.0.0.1', port: 0, concurrency: 2 }, dialog)
    expect(app).toBeUndefined()
    expect(dialog.boxes).toEqual([
      {
        title: 'JobDesk is already running',
        content: expect.stringMatching(new RegExp(`^JobDesk is already running on the data folder ${t.dir} \\(pid ${process.pid} since .+ UTC, at ${t.url}\\); stop it, or choose another folder with --data$`)),
      },
    ])
    expect((await t.call('GET', '/api/v1/health')).status).toBe(200) // the first one carries on
  })

  it('takes any free port when its own is in use (the lock of the failed try let go)', async () => {
    const busy: Server = createServer()
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
    cleanups.push(() => new Promise((ok) => busy.close(ok)))
    const port = (busy.address() as { port: number }).port
    const dir = tempDir()
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const dialog = recordingDialog()
    const app: JobDeskApp | undefined = await startForWindow({ dataDir: dir, host: '127.0.0.1', port, concurrency: 2 }, dialog)
    cleanups.push(() => app?.close())
    expect(app?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(app?.url).not.toBe(`http://127.0.0.1:${port}`)
    expect(dialog.boxes).toEqual([])
  })
})

describe('the desktop app asked to listen on the network while admin has the default password', () => {
  it('says why in an error box and listens on loopback only, where the window changes it', async () => {
    const dir = tempDir()
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const dialog = recordingDialog()
    const app: JobDeskApp | undefined = await startForWindow({ dataDir: dir, host: '0.0.0.0', port: 0, concurrency: 2 }, dialog)
    cleanups.push(() => app?.close())
    expect((app?.server.server.address() as AddressInfo).address).toBe('127.0.0.1')
    expect(dialog.boxes).toEqual([{ title: 'JobDesk stays on this computer', content: expect.stringMatching(/^refusing to listen on 0\.0\.0\.0 \(--host 0\.0\.0\.0\): change the default password of admin before opening the server to the network;.*listens on 127\.0\.0\.1 only\.$/) }])
  })
})

/** Electron's app as claimDesktopInstance uses it: a lock that is held or not, and its events. */
const fakeApp = (held: boolean) => {
  const events = new EventEmitter()
  const asked: unknown[] = []
  return {
    events,
    asked,
    requestSingleInstanceLock: (data?: Record<string, unknown>) => (asked.push(data), !held),
    on: (name: string, fn: (...a: unknown[]) => void) => events.on(name, fn),
  }
}

describe('a second desktop launch', () => {
  it('ends at once when another desktop JobDesk holds the lock', () => {
    const app = fakeApp(true)
    const shown: string[] = []
    expect(claimDesktopInstance(app as never, { dataDir: '/d', show: () => shown.push('show'), tell: () => shown.push('tell') })).toBe(false)
    expect(app.events.listenerCount('second-instance')).toBe(0)
    expect(shown).toEqual([])
  })

  it('brings the first window forward, and says why when the launch asked for another data folder', () => {
    const app = fakeApp(false)
    const shown: string[] = []
    const told: string[] = []
    expect(claimDesktopInstance(app as never, { dataDir: '/home/u/.config/JobDesk', show: () => shown.push('show'), tell: (m, d) => told.push(`${m} | ${d}`) })).toBe(true)
    expect(app.asked).toEqual([{ dataDir: '/home/u/.config/JobDesk' }]) // what a later launch hands over

    app.events.emit('second-instance', {}, [], '/', { dataDir: '/home/u/.config/JobDesk' })
    expect(shown).toEqual(['show'])
    expect(told).toEqual([])

    app.events.emit('second-instance', {}, [], '/', { dataDir: '/tmp/other' })
    expect(shown).toEqual(['show', 'show'])
    expect(told).toEqual(['JobDesk is already open on /home/u/.config/JobDesk | A second window was asked for the data folder /tmp/other. Quit this one first, or run that one headless: npm run serve -- --data /tmp/other'])
  })
})
