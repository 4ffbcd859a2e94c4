// The Linkis REST surface under /api/rest_j/v1 (jobapis.md §A): entrance, jobhistory, filesystem,
// user. Every answer is a Message envelope with the HTTP status following its `status`; every route
// but login and logout authenticates in an onRequest hook, before its body is parsed.

import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Engine } from '../../../engine/engine'
import type { AuthService } from '../../../services/auth.service'
import type { JobsService } from '../../../services/jobs.service'
import type { Store } from '../../../store'
import { linkisActor, type LinkisActor } from './auth'
import { registerEntranceRoutes } from './entrance'
import { LINKIS_PREFIX, sendLinkisError } from './envelope'
import { registerFilesystemRoutes } from './filesystem'
import { registerJobHistoryRoutes } from './jobhistory'
import { registerJobHistoryDetailRoutes } from './jobhistory-detail'
import { registerConsoleStubRoutes } from './console-stubs'
import { registerUserRoutes } from './user'

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

/** Routes that need no credential (UserRestful's login, logout and the login page's own calls); every other one authenticates first. */
const PUBLIC_ROUTES = new Set(['login', 'logout', 'publicKey', 'oauth-redirect'].map((name) => `${LINKIS_PREFIX}/user/${name}`))

export function registerLinkisRoutes(app: FastifyInstance, deps: LinkisDeps): void {
  app.register(async (scope) => {
    await scope.register(fastifyCookie)
    scope.setErrorHandler(sendLinkisError)
    const actors = new WeakMap<FastifyRequest, LinkisActor>()
    const context: LinkisContext = {
      ...deps,
      actor: (req) => {
        const known = actors.get(req)
        if (known) return known
        const actor = linkisActor(req, deps.auth, deps.store)
        actors.set(req, actor)
        return actor
      },
      port: () => (app.server.address() as AddressInfo | null)?.port ?? 0,
    }
    // As the gateway's SecurityFilter: the caller is known before its body is parsed or read.
    // (synchronous: a throw is the refusal, no promise per request, #14.2)
    scope.addHook('onRequest', (req, _reply, done) => {
      if (!PUBLIC_ROUTES.has(req.routeOptions.url ?? '')) context.actor(req)
      done()
    })
    registerUserRoutes(scope, context)
    registerEntranceRoutes(scope, context)
    registerJobHistoryRoutes(scope, context)
    registerJobHistoryDetailRoutes(scope, context)
    registerConsoleStubRoutes(scope, context)
    registerFilesystemRoutes(scope, context)
  })
}
