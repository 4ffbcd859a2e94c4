import { randomBytes } from 'node:crypto'
import { accountDisabledReason, ACCOUNT_DISABLED, AppError, invalid, SESSION_GONE } from '../../shared/errors'
import type { UserView } from '../../shared/model'
import type { TokenRecord, UserRecord } from '../store/user.repository'
import type { Store } from '../store'
import { SETTING_KEYS } from '../store/setting-keys'
import { rightsOf, type Actor } from './access'
import { isLoopbackAddress } from './client-address'
import { createDeviceCookies, type DeviceCookie } from './device-cookies'
import { DEFAULT_THROTTLE, LoginThrottle } from './login-throttle'
import { WORKER_THREADS, workerSlots } from '../worker-slots'
import { hashPassword, newToken, tokenHash, verifyPassword } from './passwords'

/** The account a new data folder starts with: what TuGraph's clients try by default. */
export const DEFAULT_ADMIN = { username: 'admin', password: '73@TuGraph' } as const
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000
export const MIN_PASSWORD_LENGTH = 8
/** Password checks that may wait for a thread (each about 50 ms): a burst of sign-ins queues, a flood past it is refused 503. */
const PASSWORD_CHECKS_WAITING = 256
/** The owner in the line of password checks of every sign-in name that is no account: a space, which no account's name has. */
const UNKNOWN_NAMES_OWNER = ' no account'

/**
 * Token kinds. `session` (native login) and `linkis` (Linkis user/login) are full sessions of a user,
 * good in every dialect that takes a session; so is `rillflow` (a Rill Flow console login, sent back
 * as a bare Authorization header or a cookie). `linkis-token` is a Linkis token-login session: it is
 * good only where its Token-Code is checked again on every call. `linkis-proxy` is a proxy ticket:
 * it names whom a session acts as and authenticates nothing by itself. `tugraph` is a TuGraph
 * login (a JWT the TuGraph dialect signs), good only in that dialect.
 */
export const TOKEN_KINDS = { session: 'session', linkis: 'linkis', linkisToken: 'linkis-token', linkisProxy: 'linkis-proxy', tugraph: 'tugraph', rillflow: 'rillflow' } as const
/** The kinds of token that are a full session of a user. */
export const USER_SESSION_KINDS: readonly string[] = [TOKEN_KINDS.session, TOKEN_KINDS.linkis, TOKEN_KINDS.rillflow]
const USER_SESSIONS = USER_SESSION_KINDS

export type AuthService = ReturnType<typeof createAuthService>

export const toUserView = (u: UserRecord): UserView => ({
  username: u.username,
  isAdmin: u.isAdmin,
  mustChangePassword: u.mustChangePassword,
  rights: rightsOf(u),
})

/**
 * The account a sign-in name means: as typed, else trimmed and in lower case (users.service makes
 * names lower case, so `Alice` signs in as alice; as typed first, for an account made before that
 * rule). Undefined when there is none. The one lookup behind password sign-in and Linkis Token-User.
 */
export function accountNamed(store: Pick<Store, 'users'>, name: string): UserRecord | undefined {
  return store.users.findByUsername(name) ?? store.users.findByUsername(name.trim().toLowerCase())
}

/**
 * A browser sign-in's cookies, read by name: every value sent (the HTTP layer's requestCookies), where
 * its device cookie (device-cookies.ts) is found. Every value is tried: a page on another port can
 * toss in a cookie of the same name (#9), which must not cost the browser its own. Only sign-ins from
 * a browser pass one; API clients' logins (TuGraph, Linkis, GES, …) keep no cookie jar to vouch for them.
 */
export type CookieReader = (name: string) => readonly string[]

/** Refuses a blank new password, a short one and the well-known default. Throws AppError invalid naming `field`. */
export function checkNewPassword(password: unknown, field: string): string {
  if (typeof password !== 'string' || !password.trim()) throw invalid('blank_password', 'the password must not be blank', field)
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid('weak_password', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`, field)
  if (password.length > 1024) throw invalid('long_password', 'the password may have at most 1024 characters', field)
  if (password === DEFAULT_ADMIN.password) throw invalid('default_password', 'choose a password other than the well-known default', field)
  return password
}

/**
 * Sign-in, sessions and passwords: the one place every dialect's login goes through. Failed
 * sign-ins back off per user and per client address; an unknown user costs the same scrypt as a
 * known one; the default password works only from this computer (loopback).
 */
/** How many token → hash mappings hashOf keeps (then it starts afresh). */
const TOKEN_HASHES_KEPT = 1000
/** How many session → device links are kept (then the oldest goes: that session's password change is then held as its address's). */
const SESSION_DEVICES_KEPT = 10_000

export function createAuthService(store: Store, now: () => number = Date.now) {
  // account counts of real users are kept apart, so a flood of made-up names cannot reset them
  const throttle = new LoginThrottle(now, DEFAULT_THROTTLE, (name) => store.users.findByUsername(name) !== undefined)
  const devices = createDeviceCookies(store.settings.secret(SETTING_KEYS.deviceCookieSecret), now)
  // The session (token hash) a sign-in that set a device cookie started → that device's id: its
  // holder's password changes are held to that device's failures, as its sign-ins are. In memory:
  // after a restart a change is held as its address's, as before device cookies.
  const sessionDevices = new Map<string, string>()
  /** The device id of the first of `values` that is a device cookie of `user`, or undefined. */
  const firstVerified = (user: UserRecord, values: readonly string[]): string | undefined => {
    for (const value of values) {
      const id = devices.verify(user, value)
      if (id) return id
    }
    return undefined
  }
  /** The device id of the browser whose session `actor` is (its sign-in set a device cookie), or undefined. */
  const deviceOfSession = (actor: Actor): string | undefined =>
    actor.sessionTokenHash === undefined ? undefined : sessionDevices.get(actor.sessionTokenHash)
  const wrong = () => new AppError('unauthenticated', 'bad_credentials', 'wrong username or password')
  // Verified against when the user is unknown, so that answer takes as long as a wrong password.
  let dummyHash: Promise<string> | undefined
  const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')))
  void dummy() // made now, so even the first unknown user costs no more than the others
  /**
   * Password checks (scrypt: ~50 ms of CPU and 16 MiB each, in libuv's threads) taken by account,
   * WORKER_THREADS at once, the account with the fewest running first: one user signing in as fast as
   * she can (her own password: no failure to back off) made everyone else's sign-in wait behind all
   * of hers in libuv's line (0.05 s to 0.9 s). An account may queue a burst; past a full line it is
   * refused. Names that are no account take turns as one (UNKNOWN_NAMES_OWNER): each was an owner of
   * its own, so a spray of made-up names took a place each, past the full line, and the admin's sign-in
   * waited behind all 500 of them (19.8 s, #9). While such a spray fills the line, a made-up name waits
   * or is refused where an account's is checked at once: that tells a name that is an account from one
   * that is not, the price of letting the account holder in.
   */
  const passwordChecks = workerSlots({
    running: WORKER_THREADS,
    waiting: PASSWORD_CHECKS_WAITING,
    code: 'too_many_sign_ins',
    busy: 'too many sign-ins are being checked: try again in a moment',
    busyOwn: 'too many sign-ins of this account are being checked at once: try again in a moment',
  })
  /**
   * Whether `password` is the one `hash` was made from, checked in the turn of `account` (the one the
   * sign-in name `name` means, undefined for none: then in the turn of all names that are none;
   * passwordChecks). A check refused for a full line (AppError unavailable) was never made: the
   * attempt the throttle counted for it (`attempt`: the throttle's arguments and ticket) is withdrawn,
   * so refusals of the server's never back the account off.
   */
  const checkedInTurn = async (name: string, account: UserRecord | undefined, password: string, hash: string | Promise<string>, attempt: { address?: string; ticket: number; device?: string }): Promise<boolean> => {
    let lease
    try {
      lease = await passwordChecks.acquire({ owner: account?.username ?? UNKNOWN_NAMES_OWNER })
    } catch (e) {
      throttle.withdrawn(name, attempt.address, attempt.ticket, attempt.device)
      throw e
    }
    try {
      return await verifyPassword(password.slice(0, 1024), await hash)
    } finally {
      lease.release()
    }
  }

  // A token's hash, remembered for the tokens seen lately: a poll would take a sha256 per lookup
  // (Linkis looks its cookie up twice) and that shows in its profile (#14.2). Only the mapping is
  // remembered; whether the token is live is asked every time.
  const hashes = new Map<string, string>()
  /** The hash a token is stored under; undefined for no token or one too long to be ours. */
  const hashOf = (raw: string | undefined): string | undefined => {
    if (!raw || raw.length > 512) return undefined
    let hash = hashes.get(raw)
    if (hash === undefined) {
      if (hashes.size >= TOKEN_HASHES_KEPT) hashes.clear()
      hashes.set(raw, (hash = tokenHash(raw)))
    }
    return hash
  }
  const live = (hash: string | undefined, kinds: readonly string[]): TokenRecord | undefined => {
    const t = hash === undefined ? undefined : store.users.token(hash)
    return t && kinds.includes(t.kind) ? t : undefined
  }

  const auth = {
    throttle,

    /** Creates the default admin on an empty database, flagged so the UI asks for a new password. */
    async ensureDefaultAdmin(): Promise<void> {
      if (store.users.count() > 0) return
      store.users.create({
        username: DEFAULT_ADMIN.username,
        passwordHash: await hashPassword(DEFAULT_ADMIN.password),
        isAdmin: true,
        mustChangePassword: true,
        defaultPassword: true, // may be put off, unlike one an admin set (access.ts assertPasswordChosen)
      })
    },

    /**
     * The user whose password this is; `username` as typed or in lower case (`Alice` signs in as
     * alice, the name users.service made). `client` is the caller's address (for the back-off and the
     * loopback-only default password). `cookies`: a browser's, whose device cookie for this user, if
     * valid, holds the sign-in only to that browser's own failures (login-throttle.ts). Throws
     * AppError: invalid (blank), rate_limited (backed off; even the right password), unauthenticated
     * (wrong), forbidden (disabled; default password from afar).
     */
    async checkPassword(username: unknown, password: unknown, client?: string, cookies?: CookieReader): Promise<UserRecord> {
      if (typeof username !== 'string' || !username.trim()) throw invalid('missing_username', 'username is required', 'username')
      if (typeof password !== 'string' || !password.trim()) throw invalid('missing_password', 'password is required and must not be blank', 'password')
      const user = accountNamed(store, username)
      // a device cookie names no one: any value signed for this user counts (a tossed one cannot be forged)
      const device = user && cookies ? firstVerified(user, cookies(devices.nameFor(user))) : undefined
      const ticket = throttle.attempt(username, client, device)
      const ok = await checkedInTurn(username, user, password, user?.passwordHash ?? dummy(), { address: client, ticket, device })
      if (!user || !ok) throw wrong() // counted as a failure by attempt()
      throttle.succeeded(username, client, ticket, device)
      if (user.disabled) throw new AppError('forbidden', 'account_disabled', `the account ${user.username} is disabled; ask an admin`)
      if (password === DEFAULT_ADMIN.password && client !== undefined && !isLoopbackAddress(client)) {
        throw new AppError('forbidden', 'default_password', 'the default password works only from this computer: sign in there and change it')
      }
      return user
    },

    /** Issues a token of `kind` for a user; `name` is what a proxy ticket acts as. */
    issueToken(user: UserRecord, kind: string = TOKEN_KINDS.session, ttlMs: number | null = SESSION_TTL_MS, name?: string): string {
      const token = newToken()
      auth.storeToken(token, user, kind, ttlMs, name)
      return token
    },

    /**
     * Records a token a dialect made itself (TuGraph's JWT) as a token of `kind` for the user, by its
     * hash like every token: sign-out, a password change and disabling the user revoke it. It expires
     * `ttlMs` from now (never when null). `raw` must be unique (it carries a random part).
     */
    storeToken(raw: string, user: UserRecord, kind: string, ttlMs: number | null, name?: string): void {
      store.users.addToken({ tokenHash: tokenHash(raw), userId: user.id, kind, name, expiresAt: ttlMs == null ? null : now() + ttlMs })
    },

    /** How many live tokens of `kind` a user holds (TuGraph caps its logins per user). */
    liveTokenCount(user: UserRecord, kind: string): number {
      return store.users.countLiveTokens(user.id, kind)
    },

    /** The clock tokens expire by (epoch ms), for dialects that put times into their tokens. */
    now,

    /** A Linkis token-login session: it remembers which configured token and Token-User it came from. */
    issueTokenSession(tokenId: string, tokenUser: string, local: UserRecord | undefined): string {
      const token = newToken()
      store.users.addToken({
        tokenHash: tokenHash(token),
        userId: local?.id ?? null,
        subject: tokenUser,
        kind: TOKEN_KINDS.linkisToken,
        name: tokenId,
        expiresAt: now() + SESSION_TTL_MS,
      })
      return token
    },

    /** A live token of one of `kinds` (default: the user sessions), else undefined. */
    token(raw: string | undefined, kinds: readonly string[] = USER_SESSIONS): TokenRecord | undefined {
      return live(hashOf(raw), kinds)
    },

    /** The user of a live user session (native bearer tokens, Linkis password sessions), as an Actor. */
    sessionActor(raw: string | undefined): Actor | undefined {
      const hash = hashOf(raw) // once: sha256 per poll shows in its profile (#14.2)
      const t = live(hash, USER_SESSIONS)
      return t?.user ? { ...t.user, sessionTokenHash: hash } : undefined
    },

    /**
     * sessionActor for a token already looked up (auth.token with several kinds), so a dialect whose
     * one credential may be of several kinds looks it up once (#14.2): the Actor (a new object the
     * caller may extend) when `t` is a user session with a local user, else undefined. `raw` is the
     * token `t` was found by.
     */
    sessionActorOf(t: TokenRecord | undefined, raw: string | undefined): Actor | undefined {
      return t?.user && USER_SESSIONS.includes(t.kind) ? { ...t.user, sessionTokenHash: hashOf(raw) } : undefined
    },

    /**
     * The 401 of a missing, expired or revoked session (code SESSION_GONE, with `message`): clients
     * sign out on it. For a token `raw` that ended because an admin disabled its account, which is
     * still disabled, the 401 says so instead (code ACCOUNT_DISABLED), so an open page can tell its
     * user why, whichever of its requests is refused first.
     */
    sessionGone(message: string, raw?: string): AppError {
      const hash = hashOf(raw)
      const former = hash === undefined ? undefined : store.users.formerTokenUser(hash)
      if (former?.disabled) return new AppError('unauthenticated', ACCOUNT_DISABLED, accountDisabledReason(former.username))
      return new AppError('unauthenticated', SESSION_GONE, message)
    },

    /**
     * checkPassword, then a new session token. With a browser's `cookies`, also a new device cookie
     * for the user (a fresh device id each sign-in) for the caller to set: that browser's later
     * sign-ins as the user, and the password changes of this session, are then held only to its own
     * failures.
     */
    async login(username: unknown, password: unknown, client?: string, cookies?: CookieReader): Promise<{ token: string; user: UserRecord; device?: DeviceCookie }> {
      const user = await auth.checkPassword(username, password, client, cookies)
      const token = auth.issueToken(user)
      if (!cookies) return { token, user }
      const device = devices.issue(user)
      if (sessionDevices.size >= SESSION_DEVICES_KEPT) sessionDevices.delete(sessionDevices.keys().next().value!)
      sessionDevices.set(tokenHash(token), device.id)
      return { token, user, device }
    },

    logout(token: string): void {
      sessionDevices.delete(tokenHash(token))
      store.users.revokeToken(tokenHash(token))
    },

    /**
     * Changes the actor's own password. A wrong current password is a form error (invalid, field
     * oldPassword), never a 401, and counts as a failed sign-in (the device's, when the session came
     * from a sign-in that set a device cookie: see login). Every other session and ticket of the
     * user, in every dialect, ends; the one the change came through stays. Answers the user as now
     * stored and, for a session whose sign-in set a device cookie (see login), that device's cookie
     * signed anew under the new password, same device id: the browser that made the change would
     * otherwise lose its device trust (the MAC covers the password hash) until it signs in again.
     * `device` is undefined for any other session (an API client's; any, after a restart).
     */
    async changePassword(actor: Actor, oldPassword: unknown, newPassword: unknown, client?: string): Promise<{ user: UserRecord; device?: DeviceCookie }> {
      if (typeof oldPassword !== 'string' || !oldPassword) throw invalid('missing_password', 'the current password is required', 'oldPassword')
      const device = deviceOfSession(actor)
      const ticket = throttle.attempt(actor.username, client, device)
      const user = store.users.get(actor.id)
      if (!user || !(await checkedInTurn(actor.username, user, oldPassword, user.passwordHash, { address: client, ticket, device }))) {
        throw invalid('wrong_password', 'the current password is not right', 'oldPassword') // counted by attempt()
      }
      throttle.succeeded(actor.username, client, ticket, device)
      const next = checkNewPassword(newPassword, 'newPassword')
      if (next === oldPassword) throw invalid('same_password', 'the new password must differ from the current one', 'newPassword')
      const hash = await hashPassword(next)
      store.transaction(() => {
        store.users.setPassword(user.id, hash, false)
        store.users.revokeUserTokens(user.id, actor.sessionTokenHash)
      })
      const changed = store.users.get(user.id)!
      return { user: changed, device: device === undefined ? undefined : devices.issue(changed, device) }
    },
  }
  return auth
}
