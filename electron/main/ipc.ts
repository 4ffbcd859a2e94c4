import type { IpcMain, WebContents } from 'electron'
import type { OperationName, Params } from '../../shared/api'
import { APP_EVENT_NAMES } from '../../shared/events'
import { IPC_EVENT, IPC_INVOKE, type IpcReply } from '../../shared/ipc'
import type { Engine } from '../engine/engine'
import { toAppError } from '../http/native/errors'
import { dispatch, type Handlers } from '../services/operations'
import type { UserRecord } from '../store/user.repository'

/** The IPC transport: the window calls operations as the desktop's own user and receives pushed events. */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, actor: () => UserRecord): void {
  ipcMain.handle(IPC_INVOKE, async (_event, name: OperationName, params: Params<OperationName>): Promise<IpcReply<unknown>> => {
    try {
      return { ok: true, result: await dispatch(handlers, name, params ?? {}, actor()) }
    } catch (e) {
      return { ok: false, error: toAppError(e).toBody() }
    }
  })
}

export function forwardEvents(engine: Engine, target: () => WebContents | undefined): () => void {
  const offs = APP_EVENT_NAMES.map((type) =>
    engine.on(type, (data) => {
      const wc = target()
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, { type, data })
    }),
  )
  return () => offs.forEach((off) => off())
}
