// user: login, logout, heartbeat, userInfo, token-login, proxy, and what the management console's
// login page and layout ask: publicKey, oauth-redirect, baseinfo (gateway UserRestful; jobapis.md §A.2).

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isAppError } from '../../../../shared/errors'
import { SESSION_TTL_MS, TOKEN_KINDS } from '../../../services/auth.service'
import { LinkisError, ok } from './envelope'
import { actAsRefusalNow } from '../../../services/run-rights'
import { linkisHeader, PROXY_COOKIE, SESSION_COOKIE } from './auth'
import type { LinkisContext } from './routes'
import { clearCookieEverywhere, requestCookies, setCredentialCookie } from '../../cookies'
import { CHANGES_STATE } from '../../security'
import { requestClient } from '../../../services/client-address'

const U = '/api/rest_j/v1/user'
const TTL_SECONDS = SESSION_TTL_MS / 1000

export function registerUserRoutes(scope: FastifyInstance, c: LinkisContext): void {
  const creds = (req: FastifyRequest) => ({ ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown>) ?? {}) })

  scope.post(`${U}/login`, async (req, reply) => {
    const { userName, password } = creds(req)
    if (typeof userName !== 'string' || !userName.trim()) throw new LinkisError('Username can not be empty(用户名不能为空)！')
    if (typeof password !== 'string' || !password.trim()) throw new LinkisError('Password can not be blank(密码不能为空)！')
    let user
    try {
      user = await c.auth.checkPassword(userName, password, requestClient(req))
    } catch (e) {
      // a back-off, a disabled account or the default password from afar say so; a wrong password says only that
      if (isAppError(e) && e.kind !== 'unauthenticated') throw new LinkisError(`Login failed: ${e.message}`)
      throw new LinkisError('Login failed: wrong username or password(登录失败：用户名或密码错误)！')
    }
    setCredentialCookie(reply, SESSION_COOKIE, c.auth.issueToken(user, TOKEN_KINDS.linkis), TTL_SECONDS)
    return ok(reply, '/api/rest_j/v1/user/login', 'login successful(登录成功)！', {
      userName: user.username,
      isAdmin: user.isAdmin,
      sessionTimeOut: SESSION_TTL_MS,
      enableWatermark: false,
    })
  })

  scope.route({
    method: ['GET', 'POST'],
    url: `${U}/logout`,
    ...CHANGES_STATE, // GETs that change state: refused from another origin's page (security.ts)
    handler: async (req, reply) => {
      // both tickets end: the session (any kind) and the proxy ticket; every value sent, as a
      // sign-out acts for no one (a tossed one, #9, ends too) and is cleared at every path it can have
      for (const name of [SESSION_COOKIE, PROXY_COOKIE]) {
        const tickets = requestCookies(req, name)
        for (const ticket of tickets) if (ticket) c.auth.logout(ticket)
        if (tickets.length > 1) clearCookieEverywhere(reply, name)
        else reply.clearCookie(name, { path: '/' })
      }
      return ok(reply, '/api/rest_j/v1/user/logout', 'Logout successful(退出登录成功)！')
    },
  })

  scope.route({
    method: ['GET', 'POST'],
    url: `${U}/heartbeat`,
    handler: async (req, reply) => {
      c.actor(req)
      return ok(reply, '/api/rest_j/v1/user/heartbeat', 'Maintain heartbeat success(维系心跳成功)！')
    },
  })

  scope.get(`${U}/userInfo`, async (req, reply) => {
    const actor = c.actor(req)
    return ok(reply, '/api/rest_j/v1/user/userInfo', 'get user information succeed!', { userName: actor.executeUser, isAdmin: actor.user.isAdmin })
  })

  // A session with exactly what the same Token-Code/Token-User pair grants per call, checked again on every use.
  scope.post(`${U}/token-login`, async (req, reply) => {
    if (!linkisHeader(req, 'Token-Code') || !linkisHeader(req, 'Token-User')) {
      throw new LinkisError('token-login needs the Token-Code and Token-User headers', -1)
    }
    const actor = c.actor(req)
    const local = actor.user.id > 0 ? c.store.users.get(actor.user.id) : undefined
    setCredentialCookie(reply, SESSION_COOKIE, c.auth.issueTokenSession(actor.viaToken!, actor.executeUser, local), TTL_SECONDS)
    return ok(reply, '/api/rest_j/v1/user/token-login', 'login successful(登录成功)！', { userName: actor.executeUser, isAdmin: actor.user.isAdmin })
  })

  scope.get(`${U}/proxy`, CHANGES_STATE, async (req, reply) => {
    const actor = c.actor(req)
    const proxyUser = (req.query as { proxyUser?: string }).proxyUser?.trim()
    if (!proxyUser) throw new LinkisError('proxyUser can not be empty(代理用户不能为空)')
    if (actor.viaToken || actor.user.id < 0) throw new LinkisError(`${actor.user.username} may not act as ${proxyUser}: a token's caller cannot proxy`, 3)
    const refused = actAsRefusalNow(actor.user, proxyUser, c.store)
    if (refused) throw new LinkisError(`${actor.user.username} may not act as ${proxyUser}: ${refused}`, 3)
    setCredentialCookie(reply, PROXY_COOKIE, c.auth.issueToken(actor.user, TOKEN_KINDS.linkisProxy, SESSION_TTL_MS, proxyUser), TTL_SECONDS)
    return ok(reply, '/api/rest_j/v1/user/proxy', 'proxy successful(代理成功)', { userName: actor.user.username, proxyUser })
  })

  // Login encryption is off: the console then posts the password as typed (over loopback, or TLS in front).
  scope.get(`${U}/publicKey`, async (_req, reply) =>
    ok(reply, '/api/rest_j/v1/user/publicKey', 'Gain success(获取成功)！', { enableSSL: false, enableLoginEncrypt: false }),
  )
  // As a gateway without OAuth: status -1, which the login page takes quietly
  scope.get(`${U}/oauth-redirect`, async () => {
    throw new LinkisError('OAuth is not enabled in JobDesk; sign in with your user name and password(未启用 OAuth 认证，请采用其他认证方式)', -1)
  })
  scope.get(`${U}/baseinfo`, async (req, reply) => {
    c.actor(req)
    return ok(reply, '/api/rest_j/v1/user/baseinfo', 'get baseinfo success(获取成功)！', {
      resultSetExportEnable: true,
      linkisClusterName: 'JobDesk',
      engineLogOnlyAdminEnable: false,
    })
  })
}
