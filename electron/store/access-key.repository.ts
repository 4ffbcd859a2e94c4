import { stampLastUsed, type Db } from './connection'
import type { UserRecord } from './user.repository'

/** An access key as stored: the secret only sealed (services/access-keys.ts opens it). */
export interface AccessKeyRecord {
  accessKey: string
  userId: number
  username: string
  secretSealed: string
  description: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

interface Row {
  access_key: string
  user_id: number
  username: string
  secret_sealed: string
  description: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

const toRecord = (r: Row): AccessKeyRecord => ({
  accessKey: r.access_key,
  userId: r.user_id,
  username: r.username,
  secretSealed: r.secret_sealed,
  description: r.description,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

export type AccessKeyRepository = ReturnType<typeof createAccessKeyRepository>

/** AK/SK pairs of users (migration 009). */
export function createAccessKeyRepository(db: Db, now: () => number = Date.now) {
  const select = 'SELECT k.*, u.username FROM access_keys k JOIN users u ON u.id = k.user_id'
  const insert = db.prepare('INSERT INTO access_keys (access_key, user_id, secret_sealed, description, created_at) VALUES (?, ?, ?, ?, ?)')
  const byKey = db.prepare<[string], Row>(`${select} WHERE k.access_key = ?`)
  const byUser = db.prepare<[number], Row>(`${select} WHERE k.user_id = ? ORDER BY k.id`)
  const all = db.prepare<[], Row>(`${select} ORDER BY k.id`)
  const revoke = db.prepare('UPDATE access_keys SET revoked_at = ? WHERE access_key = ? AND revoked_at IS NULL')
  const used = db.prepare('UPDATE access_keys SET last_used_at = ? WHERE access_key = ?')
  const countLive = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM access_keys WHERE user_id = ? AND revoked_at IS NULL')
  // The last_used_at each key was last given by this process: touch writes it again only once it is
  // LAST_USED_EVERY_MS old. One entry per key that signed a request (signed ones only: few).
  const touched = new Map<string, number>()
  return {
    add(accessKey: string, user: Pick<UserRecord, 'id'>, secretSealed: string, description: string): void {
      insert.run(accessKey, user.id, secretSealed, description, now())
    },
    get(accessKey: string): AccessKeyRecord | undefined {
      const r = byKey.get(accessKey)
      return r && toRecord(r)
    },
    /** A user's keys, or every user's (admins' view). */
    list(userId?: number): AccessKeyRecord[] {
      return (userId === undefined ? all.all() : byUser.all(userId)).map(toRecord)
    },
    liveCount(userId: number): number {
      return countLive.get(userId)!.n
    },
    /** True if the key was live and is now revoked. */
    revoke(accessKey: string): boolean {
      touched.delete(accessKey)
      return revoke.run(now(), accessKey).changes > 0
    },
    /**
     * Records that the key signed a request (last_used_at, epoch ms): at most once per
     * LAST_USED_EVERY_MS per key, and not at all while another program holds the write lock (a
     * signed read still answers; a later request records it). Never throws SQLITE_BUSY.
     */
    touch(accessKey: string): void {
      const at = now()
      const stamp = stampLastUsed(touched.get(accessKey) ?? null, at, () => used.run(at, accessKey))
      if (stamp !== null) touched.set(accessKey, stamp)
    },
  }
}
