// The console's sign-in (BgController /flow/bg/user/*). Upstream answers a fixed user with a fake token;
// JobDesk checks the local user's password and hands out a real session token, which rill-flow-ui
// sends back as a bare `Authorization` header (and the flow-graph micro app as the session cookie).

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invalid } from '../../../../../shared/errors'
import type { Actor } from '../../../../services/access'
import { TOKEN_KINDS, type AuthService } from '../../../../services/auth.service'
import type { UserRecord } from '../../../../store/user.repository'
import { jsonBody, params } from '../request'
import { CONSOLE_WHO_AM_I_ROUTE, setRillSessionCookie, type RillRouteConfig } from '../session'
import { requestClient } from '../../../../services/client-address'

const USER = '/flow/bg/user'
/** Where rill-flow-ui goes after signing in (upstream's homePath). */
const HOME_PATH = '/flow-definition/list'

/**
 * The user as rill-flow-ui reads it (GetUserInfoModel, LoginResultModel): `userId` (string), `username`,
 * `realName`, `roles: [{roleName, value}]` (`super` for admins, as upstream's fixed user), `homePath`,
 * `desc`, `avatar`.
 */
export function consoleUser(user: Pick<UserRecord, 'id' | 'username' | 'isAdmin'>): Record<string, unknown> {
  return {
    userId: String(user.id),
    username: user.username,
    realName: user.username,
    roles: [user.isAdmin ? { roleName: 'Admin', value: 'super' } : { roleName: 'User', value: 'user' }],
    homePath: HOME_PATH,
    desc: user.isAdmin ? 'JobDesk admin' : 'JobDesk user',
    avatar: '',
  }
}

export function registerConsoleUserRoutes(scope: FastifyInstance, auth: AuthService): void {
  // {username, password} as JSON (what the UI posts), a form, or the query
  scope.post(`${USER}/login.json`, { config: { access: 'login' } satisfies RillRouteConfig }, async (req, reply) => {
    const given = { ...params(req), ...(jsonBody(req) ?? {}) }
    for (const field of ['username', 'password'] as const) {
      if (given[field] !== undefined && typeof given[field] !== 'string') throw invalid('bad_body', `${field} must be a string`, field)
    }
    const user = await auth.checkPassword(given.username, given.password, requestClient(req)) // wrong → 401, backed off → 429
    const token = auth.issueToken(user, TOKEN_KINDS.rillflow)
    setRillSessionCookie(reply, token)
    return { ...consoleUser(user), token }
  })
  scope.get(`${USER}/currentUser.json`, CONSOLE_WHO_AM_I_ROUTE, async (req) => consoleUser(signedIn(req)))
}

/** The caller of a console route (authorizeRill has set it). */
export const signedIn = (req: FastifyRequest): Actor => req.user!
