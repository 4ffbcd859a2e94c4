import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../../shared/errors'
import { LOGIN_PATH } from '../../../shared/api'
import type { AuthService } from '../../services/auth.service'
import type { UserRecord } from '../../store/user.repository'

declare module 'fastify' {
  interface FastifyRequest {
    user?: UserRecord
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

/** The signed-in user, or a 401 in the native envelope. */
export function requireUser(auth: AuthService, req: FastifyRequest): UserRecord {
  const user = auth.userForToken(bearerToken(req))
  if (!user) throw new AppError('unauthenticated', 'unauthenticated', 'sign in first: send Authorization: Bearer <token> from POST /api/v1/login')
  req.user = user
  return user
}

/** An onRequest hook that runs requireUser: the caller is known before the body is parsed or validated. */
export const authenticate =
  (auth: AuthService) =>
  async (req: FastifyRequest): Promise<void> => {
    requireUser(auth, req)
  }

export function registerLoginRoutes(app: FastifyInstance, auth: AuthService): void {
  app.post(
    LOGIN_PATH,
    {
      schema: {
        summary: 'Exchange a username and password for a bearer token',
        tags: ['session'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (req) => {
      const { username, password } = req.body as { username: string; password: string }
      const { token, user } = await auth.login(username, password)
      return { token, user: { username: user.username, isAdmin: user.isAdmin, mustChangePassword: user.mustChangePassword } }
    },
  )
  app.post('/api/v1/logout', { schema: { summary: 'Revoke the bearer token', tags: ['session'] }, onRequest: authenticate(auth) }, async (req) => {
    auth.logout(bearerToken(req)!)
    return { ok: true }
  })
}
