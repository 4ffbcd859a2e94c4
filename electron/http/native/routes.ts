import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HTTP_ROUTES, type OperationName, type Params } from '../../../shared/api'
import type { AuthService } from '../../services/auth.service'
import { dispatch, type Handlers } from '../../services/operations'
import { authenticate } from './auth'
import { NATIVE_OPERATIONS, ROUTE_SCHEMAS } from './schemas'

/** One route per operation of the shared contract; params come from the path, then the query or body. */
export function registerOperationRoutes(app: FastifyInstance, auth: AuthService, handlers: Handlers): void {
  for (const name of NATIVE_OPERATIONS) {
    const route = HTTP_ROUTES[name]
    app.route({
      method: route.method,
      url: route.path,
      schema: ROUTE_SCHEMAS[name],
      onRequest: authenticate(auth), // before body parsing and schema validation
      handler: async (req, reply) => {
        const result = await dispatch(handlers, name, paramsOf(name, req), req.user!, req.ip)
        return reply.code(route.status ?? 200).send(result)
      },
    })
  }
}

function paramsOf<K extends OperationName>(name: K, req: FastifyRequest): Params<K> {
  const fromBody = HTTP_ROUTES[name].method === 'GET' ? req.query : req.body
  return { ...((fromBody as object | undefined) ?? {}), ...(req.params as object) } as Params<K>
}
