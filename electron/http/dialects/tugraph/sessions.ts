// TuGraph logins (reference/tugraph.md §1.2, tugraph-db: src/db/token_manager.{h,cpp}): a JWT
// signed with HS256, issuer "fma.ai", string claims `refresh_time` and `first_login_time` (epoch
// seconds with microseconds). A token is good for 24 h after its refresh_time; `refresh` trades it
// for a new one with the same first_login_time until 24 h after that. Unlike TuGraph's in-memory
// map, tokens are JobDesk tokens (kind `tugraph`) on record in the store: they survive a restart,
// and sign-out, refresh, a password change or disabling the user revoke them.

import { randomBytes } from 'node:crypto'
import type { Actor } from '../../../services/access'
import { TOKEN_KINDS, type AuthService } from '../../../services/auth.service'
import { tokenHash } from '../../../services/passwords'
import { MAX_TOKENS_PER_USER as MAX_TOKENS_HELD, type UserRecord } from '../../../store/user.repository'
import type { SettingsRepository } from '../../../store/settings.repository'
import { SETTING_KEYS } from '../../../store/setting-keys'
import { TuGraphError } from './envelope'
import { signJwt, verifyJwt } from './jwt'

/** How long a token works after it was issued or refreshed (TOKEN_REFRESH_TIME, 24 h since 2023-07). */
export const TOKEN_REFRESH_MS = 24 * 3600 * 1000
/** How long after the first login a token may still be refreshed (TOKEN_EXPIRE_TIME). */
export const TOKEN_EXPIRE_MS = 24 * 3600 * 1000
/**
 * Live TuGraph tokens one user may hold: a login past it is refused, as TuGraph refuses one past its
 * cap of 10,000. JobDesk's store keeps at most MAX_TOKENS_PER_USER (1,000) tokens of one holder and
 * ends the oldest past it (user.repository.ts), so TuGraph's refusal comes at that bound, or a
 * TuGraph client would never see it and its oldest sessions would just end (atk12).
 */
export const MAX_TOKENS_PER_USER = MAX_TOKENS_HELD
export const JWT_ISSUER = 'fma.ai'

const UNAUTHENTICATED = 'Authentication failed.'

/** Epoch ms as TuGraph writes times into its tokens: seconds with six decimals ("1770774826.384443"). */
const epochSeconds = (ms: number): string => (ms / 1000).toFixed(6)

/** The token from an Authorization header: raw, as TuGraph's own API takes it, or after `Bearer ` (its legacy API). */
export function tokenOf(authorization: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(authorization) ? authorization[0] : authorization)?.trim()
  if (!value) return undefined
  return /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : value
}

export type TuGraphSessions = ReturnType<typeof createTuGraphSessions>

export function createTuGraphSessions(auth: AuthService, settings: SettingsRepository) {
  const key = settings.secret(SETTING_KEYS.tugraphJwtSecret)

  /** The signed claims of one of our tokens; undefined for anything else. */
  const claims = (raw: string): { refreshMs: number; firstLoginMs: number } | undefined => {
    const c = verifyJwt(raw, key)
    if (!c || c.iss !== JWT_ISSUER || typeof c.refresh_time !== 'string' || typeof c.first_login_time !== 'string') return undefined
    const refreshMs = Number(c.refresh_time) * 1000
    const firstLoginMs = Number(c.first_login_time) * 1000
    return Number.isFinite(refreshMs) && Number.isFinite(firstLoginMs) ? { refreshMs, firstLoginMs } : undefined
  }

  const sessions = {
    /** A new token for the user; `firstLoginMs` is kept across refreshes. Throws "400" past MAX_TOKENS_PER_USER. */
    issue(user: UserRecord, firstLoginMs?: number): string {
      const now = auth.now() // one reading: at a first login refresh_time and first_login_time are equal
      if (auth.liveTokenCount(user, TOKEN_KINDS.tugraph) >= MAX_TOKENS_PER_USER) {
        throw new TuGraphError(`${user.username} holds ${MAX_TOKENS_PER_USER} live tokens, the most one user may; log out unused sessions or wait until they expire`)
      }
      const token = signJwt(
        // jti: two logins in the same microsecond still get different tokens
        { iss: JWT_ISSUER, refresh_time: epochSeconds(now), first_login_time: epochSeconds(firstLoginMs ?? now), jti: randomBytes(9).toString('base64url') },
        key,
      )
      auth.storeToken(token, user, TOKEN_KINDS.tugraph, TOKEN_REFRESH_MS)
      return token
    },

    /**
     * The user of a live token, as an Actor. Throws "401": "Authentication failed." without a token or
     * for one not on record (signed out, refreshed, revoked, forged); "token has already expire" for one
     * of ours past its 24 h (it is dropped, as TuGraph drops it).
     */
    actor(raw: string | undefined): Actor {
      if (!raw) throw new TuGraphError(UNAUTHENTICATED, '401')
      const t = auth.token(raw, [TOKEN_KINDS.tugraph])
      if (t?.user) return { ...t.user, sessionTokenHash: tokenHash(raw) }
      const c = claims(raw)
      if (c && auth.now() >= c.refreshMs + TOKEN_REFRESH_MS) {
        auth.logout(raw)
        throw new TuGraphError('token has already expire', '401')
      }
      throw new TuGraphError(UNAUTHENTICATED, '401')
    },

    /**
     * Trades a live token for a new one with the same first_login_time; the old one stops working.
     * Throws "400" "token has timeout." 24 h after the first login (sign in again).
     */
    refresh(raw: string, user: UserRecord): string {
      const c = claims(raw)
      if (!c) throw new TuGraphError(UNAUTHENTICATED, '401')
      if (auth.now() - c.firstLoginMs > TOKEN_EXPIRE_MS) throw new TuGraphError('token has timeout.')
      auth.logout(raw)
      return sessions.issue(user, c.firstLoginMs)
    },

    logout(raw: string): void {
      auth.logout(raw)
    },
  }
  return sessions
}
