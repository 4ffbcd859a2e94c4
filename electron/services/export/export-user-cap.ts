// How many worker exports one user holds at once (exporter.ts's EXPORTS_PER_USER; atk35, atk37): a
// cap on running, waiting and finished-but-unread answers together, so one user cannot take every
// place in the shared queue.
import { AppError } from '../../../shared/errors'
import { KeyedCounts } from '../../keyed-counts'

/**
 * Counts each user's exports against `limit`. `claim(user)` counts one more (none for a caller with no
 * user, the desktop window's IPC) and returns what gives it back (once; later calls do nothing), or
 * throws AppError rate_limited `too_many_exports_of_user` (Retry-After `retryAfterSeconds`) when the
 * user already holds `limit`.
 */
export function userExportCap(limit: number, retryAfterSeconds: number) {
  const held = new KeyedCounts<string>()
  return {
    claim(user: string | undefined): () => void {
      if (user === undefined) return () => undefined
      const n = held.get(user)
      if (n >= limit) {
        throw new AppError('rate_limited', 'too_many_exports_of_user', `user ${user} already has ${n} exports running or waiting: try again when one has finished`, {
          retryAfterSeconds,
        })
      }
      held.add(user)
      let counted = true
      return () => {
        if (!counted) return
        counted = false
        held.remove(user)
      }
    },
  }
}
