// Whether the server is reachable, as the HTTP transport finds out: a failed call or a failed
// reconnect of the event stream loses it; the event stream connecting again restores it (and
// since events were missed meanwhile, pages load what they show afresh).

export type ConnectionChange = 'lost' | 'restored'

const listeners = new Set<(change: ConnectionChange) => void>()
let lost = false

/** The server did not answer (a network error, not an HTTP error). */
export function connectionLost(): void {
  if (lost) return
  lost = true
  listeners.forEach((l) => l('lost'))
}

/** The event stream is connected again after an interruption: what was pushed meanwhile is missing. */
export function connectionRestored(): void {
  lost = false
  listeners.forEach((l) => l('restored'))
}

export function onConnection(listener: (change: ConnectionChange) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
