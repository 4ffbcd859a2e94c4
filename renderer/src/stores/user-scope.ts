import type { StateStorage } from 'zustand/middleware'

/**
 * What the renderer keeps of one signed-in user: localStorage keys carry the username (one
 * user's drafts and run history are not shown to the next user of the same browser), and the
 * in-memory stores start afresh when a user signs out.
 */
let user: string | null = null
const onSignIn = new Set<() => void>()
const onSignOut = new Set<() => void>()

/** The localStorage key of `name` for the signed-in user, or null while nobody is signed in. */
export const userKey = (name: string): string | null => (user ? `${name}:${user}` : null)

/** `area()` (localStorage or sessionStorage) scoped to the signed-in user, for zustand's persist; reads and writes nothing while signed out. */
function userScoped(area: () => Storage): StateStorage {
  return {
    getItem: (name) => {
      const key = userKey(name)
      return key ? area().getItem(key) : null
    },
    setItem: (name, value) => {
      const key = userKey(name)
      try {
        if (key) area().setItem(key, value)
      } catch {
        // storage full or disabled: kept in memory only
      }
    },
    removeItem: (name) => {
      const key = userKey(name)
      if (key) area().removeItem(key)
    },
  }
}

/** localStorage scoped to the signed-in user (for zustand's persist): kept across browser sessions. */
export const userStorage: StateStorage = userScoped(() => localStorage)
/** sessionStorage scoped to the signed-in user: kept across reloads of this tab or window only. */
export const userSessionStorage: StateStorage = userScoped(() => sessionStorage)

/**
 * Runs `load` whenever a user signs in (to read what was kept for them), and at once when one
 * already is: a store of a lazily loaded page is made after the sign-in it must not miss (the
 * saved-scripts store forgot the open script on every reload). Returns the unsubscribe.
 */
export function whenSignedIn(load: () => void): () => void {
  onSignIn.add(load)
  if (user !== null) load()
  return () => onSignIn.delete(load)
}

/** Runs `reset` when the user signs out (a store drops what it showed them); returns the unsubscribe. */
export function whenSignedOut(reset: () => void): () => void {
  onSignOut.add(reset)
  return () => onSignOut.delete(reset)
}

/** Called by the session: the user who is signed in now (null: signed out). */
export function setScopeUser(next: string | null): void {
  if (next === user) return
  if (user !== null) {
    user = null
    onSignOut.forEach((reset) => reset())
  }
  user = next
  if (next !== null) onSignIn.forEach((load) => load())
}
