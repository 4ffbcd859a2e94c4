// Whether the server is reachable, as the HTTP transport finds out: a failed call or a failed
// reconnect of the event stream loses it; the event stream connecting again restores it (and
// since events were missed meanwhile, pages load what they show afresh). A new transport's stream
// connecting the first time says the server is reached: nothing was missed, but a loss another
// transport reported (a session that ended while the server was away) is over.

export type ConnectionChange = 'lost' | 'restored' | 'reached'

const listeners = new Set<(change: ConnectionChange) => void>()

/** What one transport reports of its server's reachability (connectionReport). */
export interface ConnectionReport {
  /** The server did not answer (a network error, not an HTTP error): told to the listeners once until restored. */
  lost(): void
  /** The event stream is connected again after an interruption: what was pushed meanwhile is missing. */
  restored(): void
  /** The event stream connected for the first time: the server answers, and this transport missed nothing. */
  reached(): void
}

/**
 * A report for one transport: whether its server is lost is its own, so a transport whose server went
 * away for good (a closed app, a signed-out session's) does not silence the next one. It was one
 * module-wide flag, which such a transport left set: later transports then reported no loss at all.
 */
export function connectionReport(): ConnectionReport {
  let lost = false
  return {
    lost() {
      if (lost) return
      lost = true
      listeners.forEach((l) => l('lost'))
    },
    restored() {
      lost = false
      listeners.forEach((l) => l('restored'))
    },
    reached() {
      lost = false
      listeners.forEach((l) => l('reached'))
    },
  }
}

/** Calls `listener` with each transport's losses and restorations; answers the function that stops it. */
export function onConnection(listener: (change: ConnectionChange) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
