// The desktop window's API docs link (#13.6): main tells the window where its REST server listens and
// whether it runs, and opens only the docs of that server in the system browser. Electron cannot run
// here: its module is a factory whose ipcMain records handlers and whose shell records what it opens.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiDocsUrl } from '../../shared/api'
import { IPC_SERVER_LINK, type ServerLink } from '../../shared/ipc'
import { createIpcTransport } from '../../renderer/src/api/ipc'
import { startTestApp, type TestApp } from '../support/app'

const handlers = new Map<string, (...args: unknown[]) => unknown>()
const opened: string[] = []
vi.mock('electron', () => ({
  ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn) },
  shell: { openExternal: (url: string) => (opened.push(url), Promise.resolve()) },
}))

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
  opened.length = 0
})

describe('the REST server as the desktop window sees it', () => {
  it('tells the window the server’s URL while it runs, and that it stopped once it has', async () => {
    const { ipcMain } = await import('electron')
    const { registerServerLink } = await import('../../electron/main/server-link')
    t = await startTestApp()
    const app = t.app
    registerServerLink(ipcMain, () => ({ url: app.url, running: app.server.server.listening }))
    const ask = () => handlers.get(IPC_SERVER_LINK)!({}) as ServerLink
    expect(ask()).toEqual({ url: app.url, running: true })
    // what the renderer makes of it: the docs' address on that server, which serves Swagger UI
    const bridge = { invoke: async () => ({ ok: true as const, result: null }), onEvent: () => () => undefined, serverLink: async () => ask() }
    const docs = await createIpcTransport(bridge).apiDocsUrl()
    expect(docs).toBe(`${app.url}/swagger-ui.html`)
    const res = await fetch(docs!)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('swagger')

    await app.server.close()
    expect(ask()).toEqual({ url: app.url, running: false })
    expect(await createIpcTransport(bridge).apiDocsUrl()).toBeNull() // no link to a server that is gone
  })

  it('opens the API docs in the system browser and refuses every other address', async () => {
    const { externalLinks } = await import('../../electron/main/server-link')
    let running = true
    const docs = apiDocsUrl('http://127.0.0.1:43117')
    const open = externalLinks(() => (running ? [docs] : []))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      expect(open({ url: docs })).toEqual({ action: 'deny' }) // never a window of the app's own
      for (const url of [
        'http://127.0.0.1:43117/swagger-ui.html?x=1',
        'http://127.0.0.1:43117/api/v1/jobs',
        'http://127.0.0.1:8080/swagger-ui.html',
        'https://evil.example/swagger-ui.html',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'not a url',
      ]) {
        expect(open({ url })).toEqual({ action: 'deny' })
      }
      running = false
      open({ url: docs })
      expect(opened).toEqual([docs])
      expect(warn).toHaveBeenCalledTimes(8)
    } finally {
      warn.mockRestore()
    }
  })
})
