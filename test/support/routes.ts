import type { FastifyInstance } from 'fastify'

export interface RegisteredRoute {
  method: string
  /** The route's path as registered, with `:param` placeholders (`/api/v1/jobs/:id/logs`). */
  url: string
}

/**
 * Every route fastify has registered (HEAD copies left out), read from `printRoutes`: a tree whose
 * node labels, concatenated from the root down, make each path (`…/:id/progress` + `WithResource`).
 */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = []
  const stack: string[] = [] // label of each ancestor, by depth
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1].length / 4
    stack.length = depth
    stack.push(m[2])
    for (const method of m[3]?.split(', ') ?? []) {
      if (method !== 'HEAD') routes.push({ method, url: stack.join('') })
    }
  }
  return routes
}
