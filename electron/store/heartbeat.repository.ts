import type { Db } from './connection'

export type HeartbeatRepository = ReturnType<typeof createHeartbeatRepository>

/** The engine's last "alive at" (ms since the epoch), one row (engine/heartbeat.ts writes it, recovery reads it). */
export function createHeartbeatRepository(db: Db) {
  const put = db.prepare('INSERT INTO engine_heartbeat (id, alive_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET alive_at = excluded.alive_at')
  const get = db.prepare<[], { alive_at: number }>('SELECT alive_at FROM engine_heartbeat WHERE id = 1')
  return {
    /** Records that the engine was running at `at` (ms). */
    set(at: number): void {
      put.run(at)
    },
    /** When the engine was last known running (ms), or null when it never recorded it. */
    lastAt(): number | null {
      return get.get()?.alive_at ?? null
    },
  }
}
