// The desktop window's way to the REST server: where it listens (for the API docs link) and which
// links the window may open in the user's browser.
import { shell, type IpcMain } from 'electron'
import { IPC_SERVER_LINK, type ServerLink } from '../../shared/ipc'

/** Answers the preload's `serverLink()` with what `link` says at the time of each call. */
export function registerServerLink(ipcMain: IpcMain, link: () => ServerLink): void {
  ipcMain.handle(IPC_SERVER_LINK, (): ServerLink => link())
}

/**
 * A window-open handler (webContents.setWindowOpenHandler): the window never opens windows of its
 * own; a link whose address is on the allow-list (`allowed()`, read at each click: only the API docs
 * of the running server) opens in the system browser, anything else is refused and logged, so a
 * page or a result cell can never make the app open an address of its choosing.
 */
export function externalLinks(allowed: () => readonly string[]): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    const target = normalise(url)
    if (target !== null && allowed().some((a) => normalise(a) === target)) {
      shell.openExternal(target).catch((e: unknown) => console.error(`jobdesk: could not open ${target}:`, e))
    } else {
      console.warn(`jobdesk: refused to open ${JSON.stringify(url.slice(0, 200))}: not a link the app opens`)
    }
    return { action: 'deny' }
  }
}

/** An http(s) address in its canonical form, or null for anything else (file:, javascript:, junk). */
function normalise(url: string): string | null {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}
