// The Electron entry: the same app as `serve`, plus a window that talks to it over IPC.
import { app, BrowserWindow, ipcMain, shell } from 'electron'
import { join } from 'node:path'
import { startApp, type JobDeskApp } from '../app'
import { readConfig } from '../config'
import { forwardEvents, registerIpc } from './ipc'

let jobdesk: JobDeskApp | undefined
let window: BrowserWindow | undefined

async function start(): Promise<void> {
  const config = readConfig(process.argv.slice(1), { JOBDESK_DATA: app.getPath('userData'), ...process.env })
  try {
    jobdesk = await startApp(config)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    jobdesk = await startApp({ ...config, port: 0 }) // the window works without a fixed port
  }
  console.log(`JobDesk listening on ${jobdesk.url}`)
  // The window is the person at this computer, who owns the process: an enabled admin ("admin" first).
  const desktopUser = () => {
    const admins = jobdesk!.store.users.list().filter((u) => u.isAdmin && !u.disabled)
    return admins.find((u) => u.username === 'admin') ?? admins[0] ?? jobdesk!.store.users.findByUsername('admin')!
  }
  registerIpc(ipcMain, jobdesk.handlers, desktopUser)
  forwardEvents(jobdesk.engine, () => window?.webContents)
  createWindow()
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'JobDesk',
    webPreferences: { preload: join(__dirname, '../preload/index.cjs'), sandbox: true, contextIsolation: true },
  })
  // Links open in the user's browser, never inside the app window.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void window.loadFile(join(__dirname, '../renderer/index.html'))
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
  void jobdesk?.close()
})
