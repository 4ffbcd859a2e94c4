import type { Db } from './connection'

export interface UserRecord {
  id: number
  username: string
  passwordHash: string
  isAdmin: boolean
  mustChangePassword: boolean
}

interface UserRow {
  id: number
  username: string
  password_hash: string
  is_admin: number
  must_change_password: number
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  mustChangePassword: r.must_change_password === 1,
})

export type UserRepository = ReturnType<typeof createUserRepository>

/** Users and the tokens issued to them. Only hashes are stored, never a password or a raw token. */
export function createUserRepository(db: Db, now: () => number = Date.now) {
  const insertUser = db.prepare(
    `INSERT INTO users (username, password_hash, is_admin, must_change_password, created_at)
     VALUES (@username, @passwordHash, @isAdmin, @mustChangePassword, @now)`,
  )
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?')
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?')
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users')
  const setPassword = db.prepare('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?')
  const insertToken = db.prepare(
    `INSERT INTO tokens (token_hash, user_id, kind, name, created_at, expires_at)
     VALUES (@tokenHash, @userId, @kind, @name, @now, @expiresAt)`,
  )
  const tokenUser = db.prepare<[string, number], UserRow & { token_id: number }>(
    `SELECT u.*, t.id AS token_id FROM tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`,
  )
  const touchToken = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?')
  const tokenRow = db.prepare<[string, number], UserRow & { token_id: number; token_kind: string; token_name: string | null }>(
    `SELECT u.*, t.id AS token_id, t.kind AS token_kind, t.name AS token_name FROM tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`,
  )
  const deleteToken = db.prepare('DELETE FROM tokens WHERE token_hash = ?')
  const deleteExpired = db.prepare('DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= ?')

  return {
    create(u: Omit<UserRecord, 'id'>): UserRecord {
      const info = insertUser.run({
        username: u.username,
        passwordHash: u.passwordHash,
        isAdmin: u.isAdmin ? 1 : 0,
        mustChangePassword: u.mustChangePassword ? 1 : 0,
        now: now(),
      })
      return { ...u, id: Number(info.lastInsertRowid) }
    },
    findByUsername(username: string): UserRecord | undefined {
      const row = byName.get(username)
      return row && toUser(row)
    },
    get(id: number): UserRecord | undefined {
      const row = byId.get(id)
      return row && toUser(row)
    },
    count(): number {
      return count.get()?.n ?? 0
    },
    setPassword(id: number, passwordHash: string, mustChange: boolean): void {
      setPassword.run(passwordHash, mustChange ? 1 : 0, id)
    },
    addToken(t: { tokenHash: string; userId: number; kind: string; name?: string; expiresAt: number | null }): void {
      insertToken.run({ ...t, name: t.name ?? null, now: now() })
    },
    userForToken(tokenHash: string): UserRecord | undefined {
      const row = tokenUser.get(tokenHash, now())
      if (!row) return undefined
      touchToken.run(now(), row.token_id)
      return toUser(row)
    },
    /** A live token with its kind and name (a proxy session names the user it acts as). */
    token(tokenHash: string): { user: UserRecord; kind: string; name: string | null } | undefined {
      const row = tokenRow.get(tokenHash, now())
      if (!row) return undefined
      touchToken.run(now(), row.token_id)
      return { user: toUser(row), kind: row.token_kind, name: row.token_name }
    },
    revokeToken(tokenHash: string): void {
      deleteToken.run(tokenHash)
    },
    purgeExpiredTokens(): void {
      deleteExpired.run(now())
    },
  }
}
