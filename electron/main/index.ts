// The Electron entry: the same app as `serve`, plus a window that talks to it over IPC.
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { join } from 'node:path'
import type { JobDeskApp } from '../app'
import { readConfig } from '../config'
import { claimDesktopInstance, startForWindow } from './instance'
import { forwardEvents, registerIpc } from './ipc'
import { notifyJobEnds } from './notifications'
import { externalLinks, registerServerLink } from './server-link'
import { apiDocsUrl } from '../../shared/api'
import { readPreferences } from '../services/preferences'

let jobdesk: JobDeskApp | undefined
let window: BrowserWindow | undefined

// Last resort, as in serve.ts: a rejection no background path caught is a bug, logged; the app carries on.
process.on('unhandledRejection', (e) => console.error('jobdesk: unhandled rejection (a bug; JobDesk carries on):', e))

async function start(): Promise<void> {
  const config = readConfig(process.argv.slice(1), { JOBDESK_DATA: app.getPath('userData'), ...process.env })
  const tell = (message: string, detail: string) => {
    const options = { type: 'info' as const, title: 'JobDesk', message, detail }
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
  }
  if (!claimDesktopInstance(app, { dataDir: config.dataDir, show: showWindow, tell })) return app.quit() // the first one's window comes forward
  const started = await startForWindow({ ...config, watchStalls: true }, dialog)
  if (!started) return app.exit(1) // another JobDesk runs on the data folder: the dialog said which
  jobdesk = started
  console.log(`JobDesk listening on ${jobdesk.url}`)
  // The window is the person at this computer, who owns the process: an enabled admin ("admin" first).
  const desktopUser = () => {
    const admins = jobdesk!.store.users.list().filter((u) => u.isAdmin && !u.disabled)
    return admins.find((u) => u.username === 'admin') ?? admins[0] ?? jobdesk!.store.users.findByUsername('admin')!
  }
  registerIpc(ipcMain, jobdesk.handlers, desktopUser)
  registerServerLink(ipcMain, () => ({ url: jobdesk!.url, running: jobdesk!.server.server.listening }))
  forwardEvents(jobdesk.engine, () => window?.webContents)
  notifyJobEnds({
    engine: jobdesk.engine,
    user: () => desktopUser().username,
    enabled: (user) => readPreferences(jobdesk!.store, user).notifyJobEnds,
    focused: () => window?.isFocused() ?? false,
    open: (jobId) => {
      showWindow()
      void window!.webContents.executeJavaScript(`location.hash = '#/jobs/${Math.trunc(jobId)}'`)
    },
  })
  createWindow()
}

/** Brings the window forward, opening it again if it was closed (once the app runs). */
function showWindow(): void {
  if (!window && jobdesk) createWindow()
  if (!window) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

function createWindow(): void {
  window = new BrowserWindow({
    // sizes of the page inside the frame: at least 900×600, the smallest the pages are laid out and tested
    // for (the browser tests' viewport); there was no minimum, and smaller windows overlap controls
    useContentSize: true,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'JobDesk',
    icon: join(__dirname, '../renderer/icon.png'), // renderer/public/icon.png (scripts/render-icon.mjs)
    webPreferences: { preload: join(__dirname, '../preload/index.cjs'), sandbox: true, contextIsolation: true },
  })
  // Links open in the user's browser, never inside the app window; only the API docs, while the server runs.
  window.webContents.setWindowOpenHandler(externalLinks(() => (jobdesk?.server.server.listening ? [apiDocsUrl(jobdesk.url)] : [])))
  // The page refuses to unload while it has unsaved edits: Electron then asks nothing and keeps the
  // window open, so ask here as a browser would, and close anyway when the user says so.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window!, {
      type: 'question',
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved edits',
      message: 'This page has unsaved edits. Leave anyway?',
      detail: 'The editor keeps a copy of the draft, but it is not saved as a version.',
    })
    if (choice === 0) event.preventDefault() // preventDefault here means: unload after all
  })
  const loaded = process.env.ELECTRON_RENDERER_URL ? window.loadURL(process.env.ELECTRON_RENDERER_URL) : window.loadFile(join(__dirname, '../renderer/index.html'))
  loaded.catch((e: unknown) => console.error('jobdesk: the window could not load the UI:', e))
  window.on('closed', () => (window = undefined))
}

app.whenReady().then(start, (e) => {
  console.error(e)
  app.exit(1)
})
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
app.on('activate', () => {
  if (!window && jobdesk) createWindow()
})
app.on('before-quit', () => {
  jobdesk?.close().catch((e: unknown) => console.error('jobdesk: closing failed:', e))
})
