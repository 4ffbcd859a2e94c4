// IPC channel names and the envelope results travel in (Electron drops custom fields of thrown errors).
import type { ErrorBody } from './errors'

export const IPC_INVOKE = 'jobdesk:invoke'
export const IPC_EVENT = 'jobdesk:event'
/** Asks main for the REST server's ServerLink (the desktop window shows the API docs link from it). */
export const IPC_SERVER_LINK = 'jobdesk:server-link'

/** The desktop app's REST server as its window sees it. */
export interface ServerLink {
  /** Its base address, e.g. `http://127.0.0.1:8080` (the port may differ when 8080 was taken). */
  url: string
  /** False before it listens and once it has closed (the app quitting). */
  running: boolean
}

export type IpcReply<T> = { ok: true; result: T } | { ok: false; error: ErrorBody }
