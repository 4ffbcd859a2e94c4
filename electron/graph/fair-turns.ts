// Short turns of a scarce resource (the md5 hashing thread of check_file), handed out fairly between
// users: work that runs long (hashing a 20 GiB upload) is cut into steps, each step takes a turn, and
// the next turn goes to the waiting user who holds the fewest turns and was served longest ago. One
// user's long work then delays another's short one by at most a step per running turn, however many
// checks the first user keeps going (#9 §2: admin's 3-byte check waited 105 s behind bob's two hashes).

/** Gives back a turn: the next one goes to whoever is due (fairTurns). Calling it again does nothing. */
export type ReleaseTurn = () => void

interface Waiter {
  key: string
  grant: (release: ReleaseTurn) => void
}

/**
 * At most `running` turns held at once. `take(key, signal)` resolves with a ReleaseTurn once the turn
 * is `key`'s; while turns are scarce, the waiting key holding the fewest turns goes first, ties to the
 * key served longest ago (never served: first), then first come. Rejects with `signal`'s reason when it
 * aborts first (the waiter leaves the line; a client that hung up takes no turn later for nobody).
 */
export function fairTurns(running: number) {
  let busy = 0
  const waiters: Waiter[] = []
  const holding = new Map<string, number>()
  /** key → the serial of its last turn: lower was served longer ago. */
  const servedAt = new Map<string, number>()
  let serial = 0

  const give = (w: Waiter) => {
    busy++
    holding.set(w.key, (holding.get(w.key) ?? 0) + 1)
    servedAt.set(w.key, ++serial)
    let released = false
    w.grant(() => {
      if (released) return
      released = true
      busy--
      const left = (holding.get(w.key) ?? 1) - 1
      if (left > 0) holding.set(w.key, left)
      else holding.delete(w.key)
      next()
    })
  }

  /** Hands free turns to the waiters that are due. */
  const next = () => {
    while (busy < running && waiters.length > 0) {
      let best = 0
      for (let i = 1; i < waiters.length; i++) if (due(waiters[i]!, waiters[best]!)) best = i
      give(waiters.splice(best, 1)[0]!)
    }
    // a key that holds no turn and waits for none is forgotten: the maps stay as small as the line
    for (const key of servedAt.keys()) if (!holding.has(key) && !waiters.some((w) => w.key === key)) servedAt.delete(key)
  }

  /** Whether `a` goes before `b`: fewer turns held, then served longer ago (earlier in line on a tie). */
  const due = (a: Waiter, b: Waiter): boolean => {
    const ha = holding.get(a.key) ?? 0
    const hb = holding.get(b.key) ?? 0
    if (ha !== hb) return ha < hb
    return (servedAt.get(a.key) ?? 0) < (servedAt.get(b.key) ?? 0)
  }

  return {
    take(key: string, signal?: AbortSignal): Promise<ReleaseTurn> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const at = waiters.indexOf(w)
          if (at >= 0) waiters.splice(at, 1)
          reject(signal!.reason)
        }
        const w: Waiter = {
          key,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort)
            resolve(release)
          },
        }
        waiters.push(w)
        signal?.addEventListener('abort', onAbort, { once: true })
        next()
      })
    },
    /** Turns held now. */
    get busy(): number {
      return busy
    },
    /** Takers waiting for a turn. */
    get waiting(): number {
      return waiters.length
    },
  }
}
