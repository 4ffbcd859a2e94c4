// Handlers of shared/preferences.ts: each user's preferences in the settings table (`prefs.<user>`).
import { DEFAULT_PREFERENCES, type PreferenceOperations, type UserPreferences } from '../../shared/preferences'
import { invalid } from '../../shared/errors'
import type { Store } from '../store'
import type { Handler } from './operations'

type Handlers = { [K in keyof PreferenceOperations]: Handler<K> }

const keyOf = (username: string) => `prefs.${username}`

/** The user's preferences, defaults filled in (and anything stored that is not a preference dropped). */
export function readPreferences(store: Store, username: string): UserPreferences {
  const kept = store.settings.get<Partial<Record<string, unknown>>>(keyOf(username), {})
  return { notifyJobEnds: typeof kept?.notifyJobEnds === 'boolean' ? kept.notifyJobEnds : DEFAULT_PREFERENCES.notifyJobEnds }
}

export function createPreferenceHandlers(s: { store: Store }): Handlers {
  return {
    'preferences.get': (_p, actor) => readPreferences(s.store, actor.username),
    'preferences.set': (p, actor) => {
      if (p.notifyJobEnds !== undefined && typeof p.notifyJobEnds !== 'boolean') throw invalid('bad_preference', 'notifyJobEnds must be true or false', 'notifyJobEnds')
      const next = { ...readPreferences(s.store, actor.username), ...(p.notifyJobEnds === undefined ? {} : { notifyJobEnds: p.notifyJobEnds }) }
      s.store.settings.set(keyOf(actor.username), next)
      return next
    },
  }
}
