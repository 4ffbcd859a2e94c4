// Who calls the Linkis API (gateway SecurityFilter order): token auth (Token-Code + Token-User,
// headers or cookies), the session cookie (a password login, or a token-login), or a JobDesk bearer
// token; a proxy cookie lets the login user act as another user (submitUser vs executeUser). Unlike
// Linkis, token COOKIES never win over the session cookie or a bearer token, and a browser's are
// refused: cookies ignore ports, so another page on this computer can toss them in, and any site's
// page can make a browser send them (tokenCookieActor). Linkis's clients send the pair as headers.
// A Token-Code/Token-User pair grants the same identity on every call and through token-login:
// the Token-User, never with more role or rights than that user has, and admin only for an admin
// token (code `admin-…`) naming an admin. A Token-User is found as sign-in finds a name (`Admin` is
// admin); one that reads as an existing user without being them (`adrnin`), a name JobDesk reserves
// (`rillflow`) and one with hidden characters are refused, as a new account of that name would be.

import type {} from '@fastify/cookie' // reply.setCookie
import type { FastifyRequest } from 'fastify'
import type { Actor } from '../../../services/access'
import { actAsRefusalNow } from '../../../services/run-rights'
import { accountNamed, TOKEN_KINDS, USER_SESSION_KINDS, type AuthService } from '../../../services/auth.service'
import { findTokenByCode, findTokenById, tokenAllowsUser, type StoredLinkisToken } from '../../../services/linkis-tokens'
import { tokenUserProblem } from '../../../services/users.service'
import type { Store } from '../../../store'
import { bearerToken } from '../../native/auth'
import { sentByBrowser } from '../../security'
import { clearOnAnswer, requestCookie, requestCookies } from '../../cookies'
import { LinkisError } from './envelope'
import { requestClient } from '../../../services/client-address'

export const SESSION_COOKIE = 'linkis_user_session_ticket_id_v1'
export const PROXY_COOKIE = 'linkis_user_session_proxy_ticket_id_v1'

export interface LinkisActor {
  /** Who is logged in (the job's submitUser), as the credential grants them. */
  user: Actor
  /** Whom the work runs as (executeUser): the proxy user, else the login user. */
  executeUser: string
  /** The configured token (its id) the call came with, headers or a token-login session; null for sessions. */
  viaToken: string | null
  /** Token-Code and Token-User came as headers or cookies on this very call. */
  tokenHeaders: boolean
}

const NOT_LOGGED_IN = 'You are not logged in, please login first(您尚未登录，请先登录)!'

const headerValue = (req: FastifyRequest, name: string): string | undefined => {
  const h = req.headers[name.toLowerCase()]
  return Array.isArray(h) ? h[0] : h
}

/** Header `name`, else cookie `name` (as Linkis's tokenAuth reads Token-Code and Token-User). */
export const linkisHeader = (req: FastifyRequest, name: string): string | undefined => headerValue(req, name) ?? requestCookie(req, name)

/** What the session cookie may be: a token-login session or a user session (one lookup serves both, #14.2). */
const SESSION_COOKIE_KINDS: readonly string[] = [TOKEN_KINDS.linkisToken, ...USER_SESSION_KINDS]
const PROXY_KINDS: readonly string[] = [TOKEN_KINDS.linkisProxy]

/** A Token-User without a local account: a name with the user role and no rights. */
const nameOnly = (username: string): Actor => ({ id: -1, username, passwordHash: '', isAdmin: false, mustChangePassword: false, defaultPassword: false, disabled: false, rights: [] })

/**
 * The identity a configured token grants `tokenUser` from `address`, or the reason it grants none
 * (Linkis's TokenAuthentication codes). The one function behind per-call token auth and token-login
 * sessions. Whether the token allows the name is asked of the user it names (tokenAllowsUser: a token
 * listing bob allows `Bob`, which sign-in takes as bob; a name without an account as typed); the
 * account is then found as sign-in finds it (accountNamed), and a name with no account that reads as
 * one, or is reserved, is refused (tokenUserProblem, the rule Settings saves a token's users by): else
 * a token allowing any user would list its jobs under `adrnin` or `rillflow`.
 */
function tokenIdentity(store: Store, token: StoredLinkisToken | undefined, tokenUser: string, address: string): Actor | string {
  if (!token) return 'errCode: 15205 ,desc: Invalid Token'
  if (token.expiresAt !== null && token.expiresAt <= Date.now()) return 'errCode: 15204 ,desc: Token is expired'
  if (!tokenAllowsUser(store, token, tokenUser)) return 'errCode: 15202 ,desc: Illegal TokenUser for Token'
  if (!token.hosts.includes('*') && !token.hosts.includes(address)) return 'errCode: 15203 ,desc: Illegal Host for Token'
  // a cookie is percent-decoded: U+202E 'nimda' would show as admin
  const problem = tokenUserProblem(store, tokenUser)
  if (problem) return `errCode: 15202 ,desc: TokenUser ${tokenUser} ${problem}`
  const local = accountNamed(store, tokenUser)
  if (!local) return nameOnly(tokenUser)
  if (local.disabled) return `errCode: 15202 ,desc: TokenUser ${tokenUser} is disabled`
  return { ...local, isAdmin: local.isAdmin && token.admin }
}

/** The token pair's names, as headers and as cookies (Linkis GatewayConfiguration TOKEN_KEY, TOKEN_USER_KEY). */
const TOKEN_NAMES = ['Token-Code', 'Token-User'] as const

/**
 * The identity a Token-Code/Token-User pair grants, or a LinkisError (-1, Linkis's wording). Its
 * guesses back off as sign-ins do (login-throttle.ts): of `throttleUser` from the caller's address,
 * or (undefined) of the address alone.
 */
function tokenActor(req: FastifyRequest, auth: AuthService, store: Store, code: string | undefined, tokenUser: string | undefined, throttleUser: string | undefined): LinkisActor {
  if (!code || !tokenUser) throw new LinkisError('请在Header或Cookie中同时指定Token-Code 和 Token-User (specify both Token-Code and Token-User in headers or cookies)', -1)
  auth.throttle.check(throttleUser, requestClient(req))
  const token = findTokenByCode(store.settings, code)
  const who = tokenIdentity(store, token, tokenUser, requestClient(req))
  if (typeof who === 'string') {
    auth.throttle.failed(throttleUser, requestClient(req))
    throw new LinkisError(`Token Authentication Failed, token: ${code}，tokenUser: ${tokenUser}, reason: ${who}`, -1)
  }
  return { user: who, executeUser: who.username, viaToken: token!.id, tokenHeaders: true }
}

/**
 * Token auth from Token-Code/Token-User cookies (as Linkis's TokenAuthentication takes them), for
 * clients that are no browser. Cookies ignore ports, so a page on another port of this computer can
 * set them in the user's browser (#9, atk10), and any site's page can then make that browser send
 * them (an image, a link: no Origin): a browser's request (security.ts sentByBrowser) is refused them
 * (else a signed-out browser carrying bob's pair acts as bob, atk11: its console submits as bob, who
 * reads the code; a browser needs no pair as cookies: its console signs in, or swaps a pair sent as
 * headers for a session with token-login); so are they beside the caller's own credential (the session
 * cookie, a bearer token), never preferred to it (else a tossed pair of bob's makes alice's console
 * submit as bob); a pair that fails is refused; either way both are cleared on the answer (cookies.ts
 * clearOnAnswer), so the browser's next call works. A failure counts toward the caller's address only,
 * never as a guess at the Token-User's sign-in: a tossed `Token-User=alice` must not hold up alice's
 * own password.
 */
function tokenCookieActor(req: FastifyRequest, auth: AuthService, store: Store): LinkisActor {
  try {
    if (sentByBrowser(req)) {
      throw new LinkisError(
        'Token-Code/Token-User cookies came from a browser (Sec-Fetch-Site or Origin): refused, and cleared, as another page on this computer may have set them and any site can make a browser send them; sign in, or send Token-Code and Token-User as headers',
        -1,
      )
    }
    if (requestCookies(req, SESSION_COOKIE).length > 0 || bearerToken(req) !== undefined) {
      throw new LinkisError(
        `Token-Code/Token-User cookies came beside the session cookie (${SESSION_COOKIE}) or a bearer token: refused, and cleared, as another page on this computer may have set them; send Token-Code and Token-User as headers`,
        -1,
      )
    }
    return tokenActor(req, auth, store, requestCookie(req, 'Token-Code'), requestCookie(req, 'Token-User'), undefined)
  } catch (e) {
    for (const name of TOKEN_NAMES) clearOnAnswer(req, name)
    throw e
  }
}

export function linkisActor(req: FastifyRequest, auth: AuthService, store: Store): LinkisActor {
  const [codeHeader, userHeader] = TOKEN_NAMES.map((name) => headerValue(req, name))
  // headers (what Linkis clients send) cannot be tossed: as Linkis, they go first and are counted as
  // guesses at the Token-User; a missing one may come as a cookie, as Linkis's tokenAuth takes it,
  // except in a browser's request (tokenCookieActor): there a tossed cookie would complete the pair
  if (codeHeader || userHeader) {
    const pairPart = sentByBrowser(req) ? headerValue : linkisHeader
    const tokenUser = pairPart(req, 'Token-User')
    return tokenActor(req, auth, store, pairPart(req, 'Token-Code'), tokenUser, tokenUser)
  }
  if (TOKEN_NAMES.some((name) => requestCookies(req, name).some((v) => v !== ''))) return tokenCookieActor(req, auth, store)
  const cookie = requestCookie(req, SESSION_COOKIE)
  const ticket = auth.token(cookie, SESSION_COOKIE_KINDS)
  if (ticket?.kind === TOKEN_KINDS.linkisToken) {
    // checked again on every call: a removed, expired or narrowed token ends its sessions
    const name = ticket.subject ?? ticket.user?.username ?? ''
    const who = tokenIdentity(store, findTokenById(store.settings, ticket.name), name, requestClient(req))
    if (typeof who === 'string') throw new LinkisError(`${NOT_LOGGED_IN} (the token of this session no longer allows it: ${who})`, -1)
    return { user: who, executeUser: who.username, viaToken: ticket.name, tokenHeaders: false }
  }
  const session = auth.sessionActorOf(ticket, cookie) ?? auth.sessionActor(bearerToken(req))
  if (!session) throw new LinkisError(NOT_LOGGED_IN, -1)
  const proxyTicket = requestCookie(req, PROXY_COOKIE)
  const proxy = auth.token(proxyTicket, PROXY_KINDS)
  const executeUser = proxy && proxy.user?.id === session.id && proxy.name ? proxy.name : session.username
  // asked again on every call: a proxy user made an admin, or a grant taken back, ends the ticket;
  // this call is refused saying so, the next ones act as the login user
  const refused = executeUser === session.username ? null : actAsRefusalNow(session, executeUser, store)
  if (refused) {
    auth.logout(proxyTicket!)
    throw new LinkisError(`${session.username} may no longer act as ${executeUser}: ${refused}. The proxy has ended; calls act as ${session.username} again`, 3)
  }
  session.actsAs = [executeUser] // sessionActorOf made it for this call
  return { user: session, executeUser, viaToken: null, tokenHeaders: false }
}
