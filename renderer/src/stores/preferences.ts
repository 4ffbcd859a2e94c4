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
export const usePreferences = create<PreferencesState>((set) => ({
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
  async set(change) {
    try {
      set({ prefs: await send('preferences.set', change), error: null })
    } catch (e) {
      set({ error: (e as Error).message })
    }
  },
}))

whenSignedIn(() => void usePreferences.getState().load())
whenSignedOut(() => usePreferences.setState(usePreferences.getInitialState(), true))
