import { apiDocsUrl, type DesktopBridge, type OperationName, type Params, type Result } from '../../../shared/api'
import type { IpcReply } from '../../../shared/ipc'
import { ApiError, type Transport } from './transport'

type RawBridge = Omit<DesktopBridge, 'invoke'> & { invoke(name: string, params: unknown): Promise<IpcReply<unknown>> }

export function createIpcTransport(bridge: RawBridge): Transport {
  return {
    kind: 'ipc',
    async send<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>> {
      const reply = await bridge.invoke(name, params)
      if (!reply.ok) throw new ApiError(reply.error)
      return reply.result as Result<K>
    },
    subscribe: (listener) => bridge.onEvent(listener),
    // the window is a file of its own: the docs are on the REST server, wherever main says it listens
    async apiDocsUrl() {
      const link = await bridge.serverLink()
      return link.running ? apiDocsUrl(link.url) : null
    },
  }
}
