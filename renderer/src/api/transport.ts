import type { OperationName, Params, Result } from '../../../shared/api'
import type { ErrorBody } from '../../../shared/errors'
import type { AppEvent } from '../../../shared/events'

/** How the renderer reaches the main process: Electron IPC or HTTP + server-sent events. */
export interface Transport {
  readonly kind: 'ipc' | 'http'
  send<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>>
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: (event: AppEvent) => void): () => void
  /** Where the REST API's docs (Swagger UI) are, or null when no server runs to serve them. */
  apiDocsUrl(): Promise<string | null>
}

/** A failed call, carrying the server's error body (kind, code, field). */
export class ApiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
  }
}
