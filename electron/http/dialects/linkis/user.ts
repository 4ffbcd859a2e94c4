// user: login, logout, heartbeat, userInfo, token-login, proxy (gateway UserRestful; jobapis.md §A.2).

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SESSION_TTL_MS } from '../../../services/auth.service'
import { LinkisError, ok } from './envelope'
import { mayProxy, PROXY_COOKIE, SESSION_COOKIE, setCookie } from './auth'
import type { LinkisContext } from './routes'

const U = '/api/rest_j/v1/user'
const TTL_SECONDS = SESSION_TTL_MS / 1000

export function registerUserRoutes(scope: FastifyInstance, c: LinkisContext): void {
  const creds = (req: FastifyRequest) => ({ ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown>) ?? {}) })

  scope.post(`${U}/login`, async (req, reply) => {
    const { userName, password } = creds(req)
    if (typeof userName !== 'string' || !userName.trim()) throw new LinkisError('Username can not be empty(用户名不能为空)！')
    if (typeof password !== 'string' || !password) throw new LinkisError('Password can not be blank(密码不能为空)！')
    let user
    try {
      user = await c.auth.checkPassword(userName.trim().toLowerCase(), password)
    } catch {
      throw new LinkisError('Login failed: wrong username or password(登录失败：用户名或密码错误)！')
    }
    setCookie(reply, SESSION_COOKIE, c.auth.issueToken(user, 'linkis'), TTL_SECONDS)
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
    handler: async (req, reply) => {
      const session = req.cookies?.[SESSION_COOKIE]
      if (session) c.auth.logout(session)
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(PROXY_COOKIE, { path: '/' })
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

  scope.post(`${U}/token-login`, async (req, reply) => {
    const actor = c.actor(req)
    if (!actor.viaToken) throw new LinkisError('token-login needs the Token-Code and Token-User headers', -1)
    const local = c.store.users.findByUsername(actor.executeUser)
    if (!local) throw new LinkisError(`Token-User ${actor.executeUser} has no local account to open a session for`, -1)
    setCookie(reply, SESSION_COOKIE, c.auth.issueToken(local, 'linkis'), TTL_SECONDS)
    return ok(reply, '/api/rest_j/v1/user/token-login', 'login successful(登录成功)！', { userName: local.username, isAdmin: false })
  })

  scope.get(`${U}/proxy`, async (req, reply) => {
    const actor = c.actor(req)
    const proxyUser = (req.query as { proxyUser?: string }).proxyUser?.trim()
    if (!proxyUser) throw new LinkisError('proxyUser can not be empty(代理用户不能为空)')
    if (actor.user.id < 0 || !mayProxy(actor.user, proxyUser, c.store.settings)) {
      throw new LinkisError(`${actor.user.username} may not act as ${proxyUser}`, 3)
    }
    setCookie(reply, PROXY_COOKIE, c.auth.issueToken(actor.user, 'linkis-proxy', SESSION_TTL_MS, proxyUser), TTL_SECONDS)
    return ok(reply, '/api/rest_j/v1/user/proxy', 'proxy successful(代理成功)', { userName: actor.user.username, proxyUser })
  })
}
