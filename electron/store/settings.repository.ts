import { randomBytes } from 'node:crypto'
import type { Db } from './connection'

export type SettingsRepository = ReturnType<typeof createSettingsRepository>

/** Small key → JSON value settings (allowed hosts and origins, listening options, …). */
export function createSettingsRepository(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  const changeListeners = new Set<(key: string) => void>()
  return {
    get<T>(key: string, fallback: T): T {
      const row = get.get(key)
      return row ? (JSON.parse(row.value) as T) : fallback
    },
    set(key: string, value: unknown): void {
      put.run(key, JSON.stringify(value))
      // in a microtask, as users.onChange: after the write's transaction is over, so listeners read what was committed
      if (changeListeners.size) queueMicrotask(() => changeListeners.forEach((l) => l(key)))
    },
    /**
     * The signing key stored under `key` (SETTING_KEYS): 32 random bytes as base64url, made and
     * stored on first use, so what it signed stays good across restarts.
     */
    secret(key: string): string {
      const row = get.get(key)
      if (row) return JSON.parse(row.value) as string
      const made = randomBytes(32).toString('base64url')
      put.run(key, JSON.stringify(made))
      return made
    },
    /**
     * Hears every write of a setting with its key, after it is written: what holds a setting's effect
     * on running work (the Linkis proxy grants a run acts under: services/run-rights.ts) asks again at
     * once. Returns the unsubscribe.
     */
    onChange(listener: (key: string) => void): () => void {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
  }
}
