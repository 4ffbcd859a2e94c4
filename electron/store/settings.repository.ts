import type { Db } from './connection'

export type SettingsRepository = ReturnType<typeof createSettingsRepository>

/** Small key → JSON value settings (allowed hosts and origins, listening options, …). */
export function createSettingsRepository(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  return {
    get<T>(key: string, fallback: T): T {
      const row = get.get(key)
      return row ? (JSON.parse(row.value) as T) : fallback
    },
    set(key: string, value: unknown): void {
      put.run(key, JSON.stringify(value))
    },
  }
}
