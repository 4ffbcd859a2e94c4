// Short turns of a scarce resource (the md5 hashing thread of check_file), handed out fairly between
// users: work that runs long (hashing a 20 GiB upload) is cut into steps, each step takes a turn, and
// the next turn goes to the waiting user who holds the fewest turns and was served longest ago
// (fairness/fair-line.ts). One user's long work then delays another's short one by at most a step per
// running turn, however many checks the first user keeps going (#9 §2: admin's 3-byte check waited
// 105 s behind bob's two hashes).
import { FairLine } from '../fairness/fair-line'

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
  const line = new FairLine<Waiter>()

  /** Hands free turns to the waiters that are due. */
  const next = () => {
    for (let w: Waiter | undefined; line.heldByAll < running && (w = line.shift()); ) {
      const { key } = w
      let released = false
      w.grant(() => {
        if (released) return
        released = true
        line.release(key)
        next()
      })
    }
  }

  return {
    take(key: string, signal?: AbortSignal): Promise<ReleaseTurn> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          line.remove(key, w)
          reject(signal!.reason)
        }
        const w: Waiter = {
          key,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort)
            resolve(release)
          },
        }
        line.push(key, w)
        signal?.addEventListener('abort', onAbort, { once: true })
        next()
      })
    },
    /** Turns held now. */
    get busy(): number {
      return line.heldByAll
    },
    /** Takers waiting for a turn. */
    get waiting(): number {
      return line.count()
    },
  }
}
