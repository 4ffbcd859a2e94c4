// The Linkis REST surface under /api/rest_j/v1 (jobapis.md §A): entrance, jobhistory, filesystem,
// user. Every answer is a Message envelope with the HTTP status following its `status`; every route
// but login and logout authenticates in an onRequest hook, before its body is parsed.

import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Engine } from '../../../engine/engine'
import { assertPasswordChosen } from '../../../services/access'
import type { AuthService } from '../../../services/auth.service'
import type { JobsService } from '../../../services/jobs.service'
import type { Store } from '../../../store'
import { registerLazyCookies } from '../../cookies'
import { onRequestPerRoute } from '../../route-hooks'
import { linkisActor, type LinkisActor } from './auth'
import { registerEntranceRoutes } from './entrance'
import { LINKIS_PREFIX, sendLinkisError } from './envelope'
import { registerFilesystemRoutes } from './filesystem'
import { registerJobHistoryRoutes } from './jobhistory'
import { registerJobHistoryDetailRoutes } from './jobhistory-detail'
import { registerConsoleStubRoutes } from './console-stubs'
import { registerUserRoutes } from './user'
import { refusedOnThrow } from '../../credential-refused'

export interface LinkisDeps {
  auth: AuthService
  jobs: JobsService
  engine: Engine
  store: Store
}

/** What the Linkis handlers share. */
export interface LinkisContext extends LinkisDeps {
  actor(req: FastifyRequest): LinkisActor
  /** This server's port, named in Linkis-style error texts. */
  port(): number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Linkis caller, once authenticated (routes.ts: looked up once per request). */
    linkisActor: LinkisActor | null
  }
}

/** Routes that need no credential (UserRestful's login, logout and the login page's own calls); every other one authenticates first. */
const USER_INFO_ROUTE = `${LINKIS_PREFIX}/user/userInfo`
const PUBLIC_ROUTES = new Set(['login', 'logout', 'publicKey', 'oauth-redirect'].map((name) => `${LINKIS_PREFIX}/user/${name}`))

export function registerLinkisRoutes(app: FastifyInstance, deps: LinkisDeps): void {
  app.register(async (scope) => {
    await registerLazyCookies(scope) // parsed only when a call's credential is a cookie (cookies.ts)
    scope.setErrorHandler(sendLinkisError)
    scope.decorateRequest('linkisActor', null)
    const context: LinkisContext = {
      ...deps,
      // one credential lookup per request, kept on it (#14.2)
      actor: (req) => {
        if (req.linkisActor) return req.linkisActor
        req.linkisActor = refusedOnThrow(req, () => linkisActor(req, deps.auth, deps.store))
        req.user = req.linkisActor.user // as every dialect's: the connection is signed in (connection-limits.ts)
        return req.linkisActor
      },
      port: () => (app.server.address() as AddressInfo | null)?.port ?? 0,
    }
    // As the gateway's SecurityFilter: the caller is known before its body is parsed or read. The
    // hook goes on each route but the public ones when it is registered, so a request pays no route
    // lookup for it (synchronous: a throw is the refusal, no promise per request, #14.2).
    const authenticate = (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      const caller = context.actor(req)
      // a session from a password an admin set is held (access.ts assertPasswordChosen); a configured
      // Token-Code is an admin's grant to a client, not that password (its Token-User need not even have an account)
      if (caller.viaToken === null) assertPasswordChosen(caller.user)
      done()
    }
    // who-am-I answers a user who must still change a password an admin set (access.ts assertPasswordChosen)
    const identify = (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      context.actor(req)
      done()
    }
    onRequestPerRoute(scope, (route) => (PUBLIC_ROUTES.has(route.url) ? undefined : route.url === USER_INFO_ROUTE ? identify : authenticate))
    registerUserRoutes(scope, context)
    registerEntranceRoutes(scope, context)
    registerJobHistoryRoutes(scope, context)
    registerJobHistoryDetailRoutes(scope, context)
    registerConsoleStubRoutes(scope, context)
    registerFilesystemRoutes(scope, context)
  })
}
