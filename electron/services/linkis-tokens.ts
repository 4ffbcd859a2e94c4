// Linkis tokens (Token-Code + Token-User, linkis_mg_gateway_auth_token upstream) as kept in Settings.
// The code is a secret: only its SHA-256 is stored, and Settings shows a masked hint, never the code.

import { createHash, randomBytes } from 'node:crypto'
import type { LinkisTokenEdit, LinkisTokenView } from '../../shared/api'
import { invalid } from '../../shared/errors'
import type { Store } from '../store'
import type { SettingsRepository } from '../store/settings.repository'
import { SETTING_KEYS } from '../store/setting-keys'
import { accountNamed } from './auth.service'
import { ADMIN_TOKEN_PREFIX, MAX_DATE_MS, tokenCodeProblem } from '../../shared/linkis-token-rules'
import { tokenUserProblem } from './users.service'

/** A configured token. `admin` tokens are those whose code starts with `admin-` (Linkis's convention). */
export interface StoredLinkisToken {
  id: string
  codeHash: string
  /** The code, masked, for people to tell tokens apart. */
  hint: string
  admin: boolean
  /** Users the token may act as; ['*'] for any. */
  users: string[]
  /** Client addresses allowed; ['*'] for any. */
  hosts: string[]
  expiresAt: number | null
}

/** Before #9.3 the code itself was stored as `name`. */
interface LegacyToken {
  name: string
  users: string[]
  hosts: string[]
  expiresAt: number | null
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** `admin-••••••` / `••••••xyz`: the admin prefix (it means something) and, for long codes, the last three characters. */
export function maskCode(code: string): string {
  const admin = code.startsWith(ADMIN_TOKEN_PREFIX)
  return `${admin ? ADMIN_TOKEN_PREFIX : ''}••••••${code.length >= 12 ? code.slice(-3) : ''}`
}

function fromCode(code: string, rest: Pick<StoredLinkisToken, 'users' | 'hosts' | 'expiresAt'>, id: string): StoredLinkisToken {
  return { id, codeHash: sha256(code), hint: maskCode(code), admin: code.startsWith(ADMIN_TOKEN_PREFIX), ...rest }
}

/** The configured tokens; entries stored the old way (with the code as `name`) are read as if hashed. */
export function readLinkisTokens(settings: SettingsRepository): StoredLinkisToken[] {
  const raw = settings.get<(StoredLinkisToken | LegacyToken)[]>(SETTING_KEYS.linkisTokens, [])
  return raw.map((t) => ('codeHash' in t ? t : fromCode(t.name, t, sha256(`id:${t.name}`).slice(0, 12))))
}

export const findTokenByCode = (settings: SettingsRepository, code: string): StoredLinkisToken | undefined => {
  const hash = sha256(code)
  return readLinkisTokens(settings).find((t) => t.codeHash === hash)
}

export const findTokenById = (settings: SettingsRepository, id: string | null): StoredLinkisToken | undefined =>
  id ? readLinkisTokens(settings).find((t) => t.id === id) : undefined

/**
 * Who a Token-User, or a name a token lists, is when the two are matched: the account sign-in finds
 * for it (`Bob` and `bob` are bob: Linkis lower-cases user names, reference/jobapis.md A.2 login), else
 * the name as typed (a name without an account: `hadoop` is not `Hadoop`, as upstream compares them).
 */
const tokenUserKey = (store: Pick<Store, 'users'>, name: string): string => accountNamed(store, name)?.username ?? name

/**
 * Whether `token` lets `tokenUser` be its Token-User: it lists `*`, or a name that is the same user
 * (tokenUserKey). Whether that user may then be anyone at all is tokenUserProblem's to say.
 */
export function tokenAllowsUser(store: Pick<Store, 'users'>, token: StoredLinkisToken, tokenUser: string): boolean {
  if (token.users.includes('*')) return true
  const key = tokenUserKey(store, tokenUser)
  return token.users.some((listed) => listed === tokenUser || tokenUserKey(store, listed) === key)
}

export const toTokenView = (t: StoredLinkisToken): LinkisTokenView => ({ id: t.id, masked: t.hint, admin: t.admin, users: t.users, hosts: t.hosts, expiresAt: t.expiresAt })

/**
 * Replaces the token list with `edits`: an entry with an `id` and no `code` keeps that token's code;
 * a `code` sets a new one; tokens not listed are removed. Throws AppError invalid naming the token as
 * Settings shows it (`token ••••••456: …`, its masked code) and the entry's field (`tokens.1.code`):
 * a new token without its code, a new code too short (shared tokenCodeProblem: TOKEN_CODE_MIN_LENGTH
 * characters, after `admin-` for an admin code), two with one code, an expiry (`expiresAt`, ms since
 * 1970) that is not to come or is past MAX_DATE_MS, or a listed user no call could be made
 * as (users.service tokenUserProblem, the rule auth applies to a Token-User: `adm1n`, `rillflow`).
 * Nothing is saved then. What a token already had is kept unchecked: its stored code however short,
 * an expiry that has passed since, a user it listed. Saved by an earlier release, it must not block
 * every later save (the proxy grants are saved in the same call), and auth applies its own rules anyway.
 */
export function saveLinkisTokens(store: Pick<Store, 'settings' | 'users'>, edits: LinkisTokenEdit[]): StoredLinkisToken[] {
  const settings = store.settings
  const current = new Map(readLinkisTokens(settings).map((t) => [t.id, t]))
  const next = edits.map((e, i) => {
    const rest = { users: e.users, hosts: e.hosts, expiresAt: e.expiresAt }
    const short = e.code ? tokenCodeProblem(e.code) : null
    if (short) {
      throw invalid('short_token_code', `token ${maskCode(e.code!)}: ${short}: a short code is guessed; Settings → Linkis tokens → Generate makes a random one of 32`, `tokens.${i}.code`)
    }
    if (e.code) return fromCode(e.code, rest, e.id && current.has(e.id) ? e.id : randomBytes(6).toString('hex'))
    const old = e.id ? current.get(e.id) : undefined
    if (!old) throw invalid('missing_code', `a new token needs its code (tokens[${i}] names no stored token)`, `tokens.${i}.code`)
    return { ...old, ...rest }
  })
  const seen = new Set<string>()
  const now = Date.now()
  next.forEach((t, i) => {
    if (seen.has(t.codeHash)) throw invalid('duplicate_token', `token ${t.hint}: another token has the same code`, `tokens.${i}.code`)
    seen.add(t.codeHash)
    const had = current.get(t.id) // what the token had before is kept: see the doc above
    if (t.expiresAt !== null && t.expiresAt <= now && t.expiresAt !== had?.expiresAt) {
      throw invalid('token_expiry_passed', `token ${t.hint}: expiresAt must be a time to come (ms since 1970), or null for a token that never expires; ${t.expiresAt} is ${new Date(t.expiresAt).toISOString()}`, `tokens.${i}.expiresAt`)
    }
    if (t.expiresAt !== null && t.expiresAt > MAX_DATE_MS && t.expiresAt !== had?.expiresAt) {
      throw invalid('token_expiry_too_late', `token ${t.hint}: expiresAt must be at most ${MAX_DATE_MS} (ms since 1970, the latest time a date holds: ${new Date(MAX_DATE_MS).toISOString()}), or null for a token that never expires; it is ${t.expiresAt}`, `tokens.${i}.expiresAt`)
    }
    for (const user of t.users) {
      const problem = user === '*' || had?.users.includes(user) ? null : tokenUserProblem(store, user)
      if (problem) throw invalid('bad_token_user', `token ${t.hint}: Token-User ${user} ${problem}: no call can be made as it`, `tokens.${i}.users`)
    }
  })
  settings.set(SETTING_KEYS.linkisTokens, next)
  return next
}
