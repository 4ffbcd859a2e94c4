import { create } from 'zustand'
import { onConnection } from '../api/connection'

interface ConnectionState {
  /** Since when the server has not answered (null while it does). */
  lostSince: number | null
  /** Bumped each time the connection comes back: pages keyed on it load what they show again. */
  epoch: number
}

/** The server's reachability for the shell's banner, and a count of reconnects for reloading pages. */
export const useConnection = create<ConnectionState>((set, get) => {
  onConnection((change) => {
    if (change === 'lost') set({ lostSince: get().lostSince ?? Date.now() })
    else if (change === 'restored') set({ lostSince: null, epoch: get().epoch + 1 })
    // a new session's stream: the banner of an earlier one's loss goes, pages (just loaded) stay
    else if (get().lostSince !== null) set({ lostSince: null })
  })
  return { lostSince: null, epoch: 0 }
})
