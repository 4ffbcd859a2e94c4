import type { OperationName, Params, Result } from '../../../shared/api'
import type { AppEvent } from '../../../shared/events'
import type { Transport } from './transport'

// The renderer's one way to call main: `send('jobs.list', {...})`, over whichever transport is set.
let current: Transport | null = null
const listeners = new Set<(e: AppEvent) => void>()
let unsubscribe: (() => void) | null = null

/**
 * Sends over `t` from now on (null: signed out). Its pushed events are listened to at once, unless
 * `o.listen` is false: then from listenForEvents() on (a user who must first choose a password).
 */
export function setTransport(t: Transport | null, o: { listen?: boolean } = {}): void {
  unsubscribe?.()
  unsubscribe = null
  current = t
  if (o.listen ?? true) listenForEvents()
}

/** Listens to the current transport's pushed events, if not already (none: nothing to listen to). */
export function listenForEvents(): void {
  const t = current
  if (t && !unsubscribe) unsubscribe = t.subscribe((e) => listeners.forEach((l) => l(e)))
}

export function send<K extends OperationName>(name: K, params: Params<K>): Promise<Result<K>> {
  if (!current) return Promise.reject(new Error('not connected: sign in first'))
  return current.send(name, params)
}

export function onEvent(listener: (e: AppEvent) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Where the REST API's docs are, over the current transport; null when signed out or no server runs. */
export const apiDocsUrl = (): Promise<string | null> => current?.apiDocsUrl() ?? Promise.resolve(null)

export const transportKind = (): Transport['kind'] | null => current?.kind ?? null
