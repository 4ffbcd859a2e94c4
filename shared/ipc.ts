// IPC channel names and the envelope results travel in (Electron drops custom fields of thrown errors).
import type { ErrorBody } from './errors'

export const IPC_INVOKE = 'jobdesk:invoke'
export const IPC_EVENT = 'jobdesk:event'

export type IpcReply<T> = { ok: true; result: T } | { ok: false; error: ErrorBody }
