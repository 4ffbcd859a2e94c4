// A typed bridge with no logic: the renderer's IPC transport sits on top of it.
import { contextBridge, ipcRenderer } from 'electron'
import { IPC_EVENT, IPC_INVOKE, IPC_SERVER_LINK, type ServerLink } from '../../shared/ipc'
import type { AppEvent } from '../../shared/events'

const bridge = {
  invoke: (name: string, params: unknown) => ipcRenderer.invoke(IPC_INVOKE, name, params),
  onEvent(listener: (event: AppEvent) => void): () => void {
    const handler = (_e: unknown, event: AppEvent) => listener(event)
    ipcRenderer.on(IPC_EVENT, handler)
    return () => ipcRenderer.off(IPC_EVENT, handler)
  },
  serverLink: (): Promise<ServerLink> => ipcRenderer.invoke(IPC_SERVER_LINK),
}

contextBridge.exposeInMainWorld('jobdesk', bridge)
export type PreloadBridge = typeof bridge
