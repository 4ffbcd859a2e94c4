// Per-route hooks chosen when a route is registered (#14.2): a scope hook that asks each request
// which route it is on (req.routeOptions builds an object per call) and then maybe does nothing costs
// every request; a hook put on exactly the routes that need it costs none of the others.

import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify'

/**
 * For each route later registered in `scope` (HEAD routes fastify adds for GETs included),
 * `hookFor` picks an onRequest hook from the route's options (its URL, its config), or none; the
 * picked hook runs before the route's own onRequest hooks and after the scope's.
 */
export function onRequestPerRoute(scope: FastifyInstance, hookFor: (route: RouteOptions) => onRequestHookHandler | undefined): void {
  scope.addHook('onRoute', (route) => {
    const hook = hookFor(route)
    if (!hook) return
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
    route.onRequest = [hook, ...own]
  })
}
