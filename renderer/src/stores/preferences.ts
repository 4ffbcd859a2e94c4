import { create } from 'zustand'
import { DEFAULT_PREFERENCES, type UserPreferences } from '../../../shared/preferences'
import { send } from '../api/client'
import { whenSignedIn, whenSignedOut } from './user-scope'

interface PreferencesState {
  prefs: UserPreferences
  /** False until the server answered for the signed-in user. */
  loaded: boolean
  error: string | null
  load(): Promise<void>
  set(change: Partial<UserPreferences>): Promise<void>
}

/** The signed-in user's preferences (kept on the server: shared/preferences.ts). */
export const usePreferences = create<PreferencesState>((set, get) => ({
  prefs: DEFAULT_PREFERENCES,
  loaded: false,
  error: null,
  async load() {
    try {
      set({ prefs: await send('preferences.get', {}), loaded: true, error: null })
    } catch (e) {
      set({ error: (e as Error).message })
    }
  },
  /** Shows the change at once (a checkbox follows the click), then the server's answer; a refusal puts the old values back. */
  async set(change) {
    const before = get().prefs
    set({ prefs: { ...before, ...change } })
    try {
      set({ prefs: await send('preferences.set', change), error: null })
    } catch (e) {
      set({ prefs: before, error: (e as Error).message })
    }
  },
}))

// a user with a password an admin set is refused everything until they choose their own: the session
// signs them in to the stores only then (session.choosingPassword; newuser5 #7, ux18 #1)
whenSignedIn(() => void usePreferences.getState().load())
whenSignedOut(() => usePreferences.setState(usePreferences.getInitialState(), true))
