import { RIGHTS, type Right } from '../../shared/model'
import { fromJson, stampLastUsed, type Db } from './connection'

export interface UserRecord {
  id: number
  username: string
  passwordHash: string
  isAdmin: boolean
  /** The password is one the user did not choose: an admin set it, or it is the built-in default. */
  mustChangePassword: boolean
  /**
   * With mustChangePassword: the password is the built-in default of the first admin, which may be
   * put off (the UI keeps asking; it works only from loopback). One an admin set may not: see
   * services/access.ts assertPasswordChosen.
   */
  defaultPassword: boolean
  /** A disabled user cannot sign in, and none of their tokens work. */
  disabled: boolean
  /** Rights granted beyond the user role (admins have every right anyway). */
  rights: Right[]
}

export type NewUser = Pick<UserRecord, 'username' | 'passwordHash' | 'isAdmin' | 'mustChangePassword'> & Partial<Pick<UserRecord, 'defaultPassword' | 'disabled' | 'rights'>>

/**
 * users.must_change_password: 0 the user chose the password; 1 an admin set it (a new account, a
 * reset); 2 the built-in default of the first admin.
 */
const MUST_CHANGE = { no: 0, adminSet: 1, builtInDefault: 2 } as const
const mustChangeValue = (u: Pick<UserRecord, 'mustChangePassword' | 'defaultPassword'>): number =>
  !u.mustChangePassword ? MUST_CHANGE.no : u.defaultPassword ? MUST_CHANGE.builtInDefault : MUST_CHANGE.adminSet

/** A live token: whose it is (a local user, or only a name for a Linkis token-login session), its kind and name. */
export interface TokenRecord {
  id: number
  user: UserRecord | null
  kind: string
  name: string | null
  /** The user a token-login session acts as (Token-User), when it is not a local account. */
  subject: string | null
}

interface UserRow {
  id: number
  username: string
  password_hash: string
  is_admin: number
  must_change_password: number
  disabled: number
  rights: string
  created_at: number
}

/**
 * How long (ms) a looked-up live token is answered from memory. Every request of every dialect
 * looks its token up, polls many times a second (#14.2). Every write of a user or a token through
 * this repository empties the cache at once; the TTL bounds only what another process could change.
 */
const TOKEN_CACHE_MS = 1_000
/** Past this many cached tokens the cache starts over (a bound, not an LRU: tokens are few). */
const TOKEN_CACHE_MAX = 10_000
/**
 * The most tokens one holder keeps: tokens of one user (or, for Linkis token-login sessions of a
 * Token-User without an account, of no user) of one kind and name (a Linkis token's id, a proxy
 * ticket's user), that is, made by one credential. A new one past it ends that holder's oldest.
 * Without it a client signing in again and again grew the table without bound, and a password
 * change then ended them all in one long statement (#9, atk11). Per kind and name, not per user: a
 * plain Linkis token that may name the admin (a scheduler's, users ["*"]) stores its sessions under
 * the admin's id, and its 1,000 token-logins (no password) ended every session the admin held
 * (atk12). Clients that sign in for every call (Linkis scripts) only ever use their newest token.
 */
export const MAX_TOKENS_PER_USER = 1_000
/** How many ended tokens revokeUserTokens remembers (formerTokenUser); then the oldest goes. */
const ENDED_TOKENS_KEPT = 10_000

interface CachedToken {
  record: TokenRecord
  /** The token's own expiry (epoch ms), or null. */
  expiresAt: number | null
  lastUsedAt: number | null
  /** Answered from memory until then (epoch ms). */
  until: number
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  mustChangePassword: r.must_change_password !== MUST_CHANGE.no,
  defaultPassword: r.must_change_password === MUST_CHANGE.builtInDefault,
  disabled: r.disabled === 1,
  rights: (fromJson<string[]>(r.rights) ?? []).filter((x): x is Right => (RIGHTS as readonly string[]).includes(x)),
})

export type UserRepository = ReturnType<typeof createUserRepository>

/** Users and the tokens issued to them. Only hashes are stored, never a password or a raw token. */
export function createUserRepository(db: Db, now: () => number = Date.now) {
  const insertUser = db.prepare(
    `INSERT INTO users (username, password_hash, is_admin, must_change_password, disabled, rights, created_at)
     VALUES (@username, @passwordHash, @isAdmin, @mustChangePassword, @disabled, @rights, @now)`,
  )
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?')
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?')
  const all = db.prepare<[], UserRow & { last_seen_at: number | null }>(
    // last_seen_at: kept by migration 030's triggers at each token's use and each sign-in
    `SELECT u.* FROM users u ORDER BY u.username`,
  )
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users')
  const setPassword = db.prepare('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?')
  const update = db.prepare('UPDATE users SET is_admin = @isAdmin, disabled = @disabled, rights = @rights WHERE id = @id')
  const insertToken = db.prepare(
    `INSERT INTO tokens (token_hash, user_id, subject, kind, name, created_at, expires_at)
     VALUES (@tokenHash, @userId, @subject, @kind, @name, @now, @expiresAt)`,
  )
  // A token of a disabled user is no token at all. The user's row comes in the same statement: in
  // WAL each statement takes and drops the read lock (syscalls), and every request comes here (#14.2).
  const tokenRow = db.prepare<
    [string, number],
    Partial<UserRow> & { token_id: number; user_id: number | null; kind: string; name: string | null; subject: string | null; last_used_at: number | null; expires_at: number | null }
  >(
    `SELECT t.id AS token_id, t.user_id, t.last_used_at, t.expires_at, t.kind, t.name, t.subject, u.* FROM tokens t LEFT JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?) AND (t.user_id IS NULL OR u.disabled = 0)`,
  )
  const touchToken = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?')
  const deleteToken = db.prepare<[string], { user_id: number | null }>('DELETE FROM tokens WHERE token_hash = ? RETURNING user_id')
  const deleteUserTokens = db.prepare<{ userId: number; keep: string | null }, { token_hash: string; expires_at: number | null }>(
    'DELETE FROM tokens WHERE user_id = @userId AND (@keep IS NULL OR token_hash != @keep) RETURNING token_hash, expires_at',
  )
  // by id (insertion order): the oldest first; tokens_by_user makes it a range of one user's rows
  // (`IS`: a token-login session of a Token-User without an account has none)
  const deleteOldest = db.prepare<{ userId: number | null; kind: string; name: string | null; keep: number }, { token_hash: string }>(
    `DELETE FROM tokens WHERE id IN (
       SELECT id FROM tokens WHERE user_id IS @userId AND kind = @kind AND name IS @name ORDER BY id DESC LIMIT -1 OFFSET @keep
     ) RETURNING token_hash`,
  )
  const deleteExpired = db.prepare('DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= ?')
  const countLive = db.prepare<[number, string, number], { n: number }>(
    'SELECT count(*) AS n FROM tokens WHERE user_id = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)',
  )

  const cache = new Map<string, CachedToken>()
  /**
   * Token hash → user id of the tokens revokeUserTokens ended (a disable, a reset, a password change),
   * oldest first, at most ENDED_TOKENS_KEPT: a 401 for one can say why (auth.service sessionGone). In
   * memory only: after a restart such a token is as unknown as any.
   */
  const endedTokens = new Map<string, number>()
  /** Looks the token up in SQLite and, outside a transaction (which could roll back), remembers it. */
  const lookUp = (tokenHash: string, at: number): CachedToken | undefined => {
    const row = tokenRow.get(tokenHash, at)
    if (!row) return undefined
    const user = row.user_id === null ? null : Object.freeze(toUser(row as UserRow))
    const record = Object.freeze({ id: row.token_id, user, kind: row.kind, name: row.name, subject: row.subject })
    const entry: CachedToken = { record, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, until: at + TOKEN_CACHE_MS }
    if (!db.inTransaction) {
      if (cache.size >= TOKEN_CACHE_MAX) cache.clear()
      cache.set(tokenHash, entry)
    }
    return entry
  }
  const changeListeners = new Set<(userId: number) => void>()
  /**
   * Tells listeners that user `userId`'s role, state, rights or sessions changed: in a microtask, so
   * after the write's transaction is over (a listener reading the user sees what was committed, and
   * a rolled-back change costs it only a needless read).
   */
  const changed = (userId: number): void => {
    if (changeListeners.size) queueMicrotask(() => changeListeners.forEach((l) => l(userId)))
  }
  /** Accounts by name as account() read them (null: no such account), until the next write. */
  const accounts = new Map<string, Readonly<UserRecord> | null>()
  /** Runs a write of users or tokens; what the caches remembered may no longer hold. */
  const writing = <T>(write: () => T): T => {
    cache.clear()
    accounts.clear()
    return write()
  }

  const repo = {
    create(u: NewUser): UserRecord {
      const record: Omit<UserRecord, 'id'> = { disabled: false, rights: [], ...u, defaultPassword: u.mustChangePassword && !!u.defaultPassword }
      const info = writing(() => insertUser.run({
        username: record.username,
        passwordHash: record.passwordHash,
        isAdmin: record.isAdmin ? 1 : 0,
        mustChangePassword: mustChangeValue(record),
        disabled: record.disabled ? 1 : 0,
        rights: JSON.stringify(record.rights),
        now: now(),
      }))
      const id = Number(info.lastInsertRowid)
      changed(id)
      return { ...record, id }
    },
    findByUsername(username: string): UserRecord | undefined {
      const row = byName.get(username)
      return row && toUser(row)
    },
    /**
     * findByUsername for a check made at every task attempt's start (services/run-rights.ts): a frozen
     * record, remembered until the next write of users or tokens (a lookup and a JSON parse cost 30 µs
     * a task under load). Never remembered inside a transaction, which could roll back.
     */
    account(username: string): Readonly<UserRecord> | undefined {
      let found = accounts.get(username)
      if (found === undefined) {
        const row = byName.get(username)
        found = row ? Object.freeze(toUser(row)) : null
        if (!db.inTransaction) {
          if (accounts.size >= TOKEN_CACHE_MAX) accounts.clear()
          accounts.set(username, found)
        }
      }
      return found ?? undefined
    },
    /**
     * A job's user as rights checks see them: their name and whether they are an admin now (an
     * unknown or deleted user is not). The one place a stored username becomes a caller.
     */
    caller(username: string): { username: string; isAdmin: boolean } {
      return { username, isAdmin: byName.get(username)?.is_admin === 1 }
    },
    get(id: number): UserRecord | undefined {
      const row = byId.get(id)
      return row && toUser(row)
    },
    /** Every user, by name, with when they were created and last seen (epoch ms). */
    list(): (UserRecord & { createdAt: number; lastSeenAt: number | null })[] {
      return all.all().map((r) => ({ ...toUser(r), createdAt: r.created_at, lastSeenAt: r.last_seen_at }))
    },
    count(): number {
      return count.get()?.n ?? 0
    },
    /** A new password: one the user chose (`mustChange` false) or one an admin set (true: held until changed). */
    setPassword(id: number, passwordHash: string, mustChange: boolean): void {
      writing(() => setPassword.run(passwordHash, mustChange ? MUST_CHANGE.adminSet : MUST_CHANGE.no, id))
      changed(id)
    },
    /** Role, disabled flag and rights, as one write. */
    update(id: number, patch: Pick<UserRecord, 'isAdmin' | 'disabled' | 'rights'>): void {
      writing(() => update.run({ id, isAdmin: patch.isAdmin ? 1 : 0, disabled: patch.disabled ? 1 : 0, rights: JSON.stringify(patch.rights) }))
      changed(id)
    },
    /**
     * Stores a token by its hash; past MAX_TOKENS_PER_USER of its holder (user, kind and name) the
     * holder's oldest end (onChange hears it for a user).
     */
    addToken(t: { tokenHash: string; userId: number | null; subject?: string; kind: string; name?: string; expiresAt: number | null }): void {
      const ended = writing(() => {
        insertToken.run({ tokenHash: t.tokenHash, userId: t.userId, subject: t.subject ?? null, kind: t.kind, name: t.name ?? null, expiresAt: t.expiresAt, now: now() })
        return deleteOldest.all({ userId: t.userId, kind: t.kind, name: t.name ?? null, keep: MAX_TOKENS_PER_USER })
      })
      if (ended.length && t.userId !== null) changed(t.userId)
    },
    /**
     * A live token (not expired, its user not disabled) with its kind; marks it used. The record is
     * frozen: it may be the one the last lookup returned (see TOKEN_CACHE_MS).
     */
    token(tokenHash: string): TokenRecord | undefined {
      const at = now()
      const cached = cache.get(tokenHash)
      const fresh = cached && cached.until > at && (cached.expiresAt === null || cached.expiresAt > at)
      const entry = fresh ? cached : lookUp(tokenHash, at)
      if (!entry) return undefined
      entry.lastUsedAt = stampLastUsed(entry.lastUsedAt, at, () => touchToken.run(at, entry.record.id))
      return entry.record
    },
    /** The local user of a live token, whatever its kind. */
    userForToken(tokenHash: string): UserRecord | undefined {
      return repo.token(tokenHash)?.user ?? undefined
    },
    /**
     * Ends one session or ticket (a sign-out, a TuGraph refresh, a Linkis proxy ticket taken back) and
     * tells onChange of its user, so what the session held open (an event stream) ends at once.
     */
    revokeToken(tokenHash: string): void {
      for (const { user_id } of writing(() => deleteToken.all(tokenHash))) if (user_id !== null) changed(user_id)
    },
    /**
     * Ends every session and ticket of a user, in every dialect, but the one `keepTokenHash` names.
     * Returns how many of them were live (expired ones go too, uncounted): what the Users page says ended.
     */
    revokeUserTokens(userId: number, keepTokenHash?: string): number {
      const at = now()
      const ended = writing(() => deleteUserTokens.all({ userId, keep: keepTokenHash ?? null }))
      for (const t of ended) {
        if (endedTokens.size >= ENDED_TOKENS_KEPT) endedTokens.delete(endedTokens.keys().next().value!)
        endedTokens.set(t.token_hash, userId)
      }
      changed(userId)
      return ended.filter((t) => t.expires_at === null || t.expires_at > at).length
    },
    /**
     * The user whose token (by hash) revokeUserTokens ended lately, as stored now; undefined for a
     * token it did not end (signed out, expired, unknown) or one ended before the last start.
     */
    formerTokenUser(tokenHash: string): UserRecord | undefined {
      const userId = endedTokens.get(tokenHash)
      return userId === undefined ? undefined : repo.get(userId)
    },
    /**
     * Hears every change of a user an admin or the user makes (create, update, setPassword,
     * revokeUserTokens) and every session of theirs that ends (revokeToken) with the user's id, after
     * it is written: what holds a user's rights for long (an open event stream, a running attempt:
     * services/run-rights.ts) asks again at once. Returns the unsubscribe.
     */
    onChange(listener: (userId: number) => void): () => void {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
    /** Live (unexpired) tokens of one kind held by a user. */
    countLiveTokens(userId: number, kind: string): number {
      return countLive.get(userId, kind, now())?.n ?? 0
    },
    purgeExpiredTokens(): void {
      writing(() => deleteExpired.run(now()))
    },
  }
  return repo
}
