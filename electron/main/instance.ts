// The desktop app's start: one desktop JobDesk at a time (a second launch brings the first window
// forward), and a start refused because another JobDesk (a `serve`, say) holds the data folder is
// explained in a dialog rather than left as a window that never opens.
import type { App, Dialog } from 'electron'
import { NetworkRefusedError, startApp, type JobDeskApp, type StartOptions } from '../app'
import { DataDirInUseError } from '../instance-lock'

/** What claimDesktopInstance needs of the running app. */
export interface DesktopInstance {
  /** This app's data folder. */
  dataDir: string
  /** Brings the window forward (opening it if it was closed). */
  show(): void
  /** Tells the person at the window something (a dialog). */
  tell(message: string, detail: string): void
}

/**
 * Takes Electron's single-instance lock (one per user data folder, where the window keeps its
 * browser data: two windows on it would share it). A later desktop launch ends at once, and this
 * one's window comes forward; if that launch asked for another data folder, the window says why
 * it did not open.
 * @returns false when another desktop JobDesk holds the lock: the caller quits
 */
export function claimDesktopInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, me: DesktopInstance): boolean {
  if (!app.requestSingleInstanceLock({ dataDir: me.dataDir })) return false
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    me.show()
    const asked = (data as { dataDir?: unknown } | undefined)?.dataDir
    if (typeof asked === 'string' && asked !== me.dataDir) {
      me.tell(`JobDesk is already open on ${me.dataDir}`, `A second window was asked for the data folder ${asked}. Quit this one first, or run that one headless: npm run serve -- --data ${asked}`)
    }
  })
  return true
}

/**
 * Starts the app for the window: on the configured port, or on any free one when that is taken
 * (the window needs no fixed port). When another JobDesk runs on the data folder, shows its
 * DataDirInUseError message in an error box and resolves undefined: the caller quits. When it may
 * not open the server to the network yet (NetworkRefusedError: an admin has the default password),
 * says so and starts on loopback only: the window is where that password gets changed.
 * @throws any other error of startApp
 */
export async function startForWindow(options: StartOptions, dialog: Pick<Dialog, 'showErrorBox'>): Promise<JobDeskApp | undefined> {
  const onAnyPort = async (o: StartOptions): Promise<JobDeskApp> => {
    try {
      return await startApp(o)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
      return await startApp({ ...o, port: 0 })
    }
  }
  try {
    try {
      return await onAnyPort(options)
    } catch (e) {
      if (!(e instanceof NetworkRefusedError)) throw e
      dialog.showErrorBox('JobDesk stays on this computer', `${e.message}. Until then it listens on 127.0.0.1 only.`)
      return await onAnyPort({ ...options, loopbackOnly: true })
    }
  } catch (e) {
    if (!(e instanceof DataDirInUseError)) throw e
    dialog.showErrorBox('JobDesk is already running', e.message)
    return undefined
  }
}
