// Who calls the Linkis API (gateway SecurityFilter order): token auth (Token-Code + Token-User,
// headers or cookies), the session cookie, or a JobDesk bearer token; a proxy cookie lets the
// login user act as another user (submitUser vs executeUser).

import type {} from '@fastify/cookie' // request.cookies / reply.setCookie
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService } from '../../../services/auth.service'
import type { SettingsRepository } from '../../../store/settings.repository'
import type { UserRecord } from '../../../store/user.repository'
import { SETTING_KEYS } from '../../../store/setting-keys'
import { bearerToken } from '../../native/auth'
import { LinkisError } from './envelope'

export const SESSION_COOKIE = 'linkis_user_session_ticket_id_v1'
export const PROXY_COOKIE = 'linkis_user_session_proxy_ticket_id_v1'

/** A Linkis token, as configured in Settings (linkis_mg_gateway_auth_token upstream). */
export interface LinkisToken {
  name: string
  /** Users the token may act as; ['*'] for any. */
  users: string[]
  /** Client addresses allowed; ['*'] for any. */
  hosts: string[]
  expiresAt: number | null
}


export interface LinkisActor {
  /** Who is logged in (the job's submitUser). */
  user: UserRecord
  /** Whom the work runs as (executeUser): the proxy user, else the login user. */
  executeUser: string
  viaToken: string | null
}

const NOT_LOGGED_IN = 'You are not logged in, please login first(您尚未登录，请先登录)!'

const header = (req: FastifyRequest, name: string): string | undefined => {
  const h = req.headers[name.toLowerCase()]
  const v = Array.isArray(h) ? h[0] : h
  return v ?? req.cookies?.[name]
}

/** A user known only by name (a token's Token-User): not a local account, never an admin unless the token is. */
const nameOnly = (username: string, isAdmin: boolean): UserRecord => ({ id: -1, username, passwordHash: '', isAdmin, mustChangePassword: false })

export function linkisActor(req: FastifyRequest, auth: AuthService, settings: SettingsRepository): LinkisActor {
  const code = header(req, 'Token-Code')
  const tokenUser = header(req, 'Token-User')
  if (code || tokenUser) {
    if (!code || !tokenUser) throw new LinkisError('请在Header或Cookie中同时指定Token-Code 和 Token-User (specify both Token-Code and Token-User in headers or cookies)', -1)
    const token = settings.get<LinkisToken[]>(SETTING_KEYS.linkisTokens, []).find((t) => t.name === code)
    const fail = (reason: string) => new LinkisError(`Token Authentication Failed, token: ${code}，tokenUser: ${tokenUser}, reason: ${reason}`, -1)
    if (!token) throw fail('errCode: 15205 ,desc: Invalid Token')
    if (token.expiresAt !== null && token.expiresAt <= Date.now()) throw fail('errCode: 15204 ,desc: Token is expired')
    if (!token.users.includes('*') && !token.users.includes(tokenUser)) throw fail('errCode: 15202 ,desc: Illegal TokenUser for Token')
    if (!token.hosts.includes('*') && !token.hosts.includes(req.ip)) throw fail('errCode: 15203 ,desc: Illegal Host for Token')
    return { user: nameOnly(tokenUser, code.startsWith('admin-')), executeUser: tokenUser, viaToken: code }
  }
  const session = auth.token(req.cookies?.[SESSION_COOKIE]) ?? auth.token(bearerToken(req))
  if (!session) throw new LinkisError(NOT_LOGGED_IN, -1)
  const proxy = auth.token(req.cookies?.[PROXY_COOKIE])
  const executeUser = proxy && proxy.kind === 'linkis-proxy' && proxy.user.id === session.user.id && proxy.name ? proxy.name : session.user.username
  return { user: session.user, executeUser, viaToken: null }
}

/** Admins may act as anyone; others as the users Settings lists for them ('*' for any). */
export function mayProxy(user: UserRecord, proxyUser: string, settings: SettingsRepository): boolean {
  if (user.isAdmin || proxyUser === user.username) return true
  const allowed = settings.get<Record<string, string[]>>(SETTING_KEYS.linkisProxyUsers, {})[user.username] ?? []
  return allowed.includes('*') || allowed.includes(proxyUser)
}

export function setCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds: number): void {
  reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: maxAgeSeconds })
}
