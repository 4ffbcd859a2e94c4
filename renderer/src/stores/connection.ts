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
    else set({ lostSince: null, epoch: get().epoch + 1 })
  })
  return { lostSince: null, epoch: 0 }
})
