// The Linkis REST surface under /api/rest_j/v1 (jobapis.md §A): entrance, jobhistory, filesystem,
// user. Every answer is a Message envelope with the HTTP status following its `status`.

import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Engine } from '../../../engine/engine'
import type { AuthService } from '../../../services/auth.service'
import type { JobsService } from '../../../services/jobs.service'
import type { Store } from '../../../store'
import { linkisActor, type LinkisActor } from './auth'
import { registerEntranceRoutes } from './entrance'
import { send, toLinkis } from './envelope'
import { registerFilesystemRoutes } from './filesystem'
import { registerJobHistoryRoutes } from './jobhistory'
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

export function registerLinkisRoutes(app: FastifyInstance, deps: LinkisDeps): void {
  app.register(async (scope) => {
    await scope.register(fastifyCookie)
    scope.setErrorHandler((err, req, reply) => {
      const e = toLinkis(err)
      if (e.message.startsWith('operation failed')) req.log.error({ err }, 'unexpected error')
      return send(reply, req.url.split('?')[0].replace('/rest_j/v1', ''), e.status, e.message)
    })
    const context: LinkisContext = {
      ...deps,
      actor: (req) => linkisActor(req, deps.auth, deps.store),
      port: () => (app.server.address() as AddressInfo | null)?.port ?? 0,
    }
    registerUserRoutes(scope, context)
    registerEntranceRoutes(scope, context)
    registerJobHistoryRoutes(scope, context)
    registerFilesystemRoutes(scope, context)
  })
}
