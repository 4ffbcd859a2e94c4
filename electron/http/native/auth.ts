import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { LOGIN_PATH, LOGOUT_PATH } from '../../../shared/api'
import { assertPasswordChosen, type Actor } from '../../services/access'
import { toUserView, type AuthService } from '../../services/auth.service'
import type { DeviceCookie } from '../../services/device-cookies'
import { registerLazyCookies, requestCookies } from '../cookies'
import { requestClient } from '../../services/client-address'
import { refuseCredential } from '../credential-refused'

declare module 'fastify' {
  interface FastifyRequest {
    user?: Actor
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

/**
 * The signed-in user, or a 401 (code SESSION_GONE; ACCOUNT_DISABLED for a session ended by disabling its account) in the native envelope; a 403
 * (password_change_required, access.ts assertPasswordChosen) for a user who must still change a
 * password an admin set, unless `beforePasswordChange` (who-am-I, the change, sign-out).
 */
export function requireUser(auth: AuthService, req: FastifyRequest, beforePasswordChange = false): Actor {
  const token = bearerToken(req)
  const user = auth.sessionActor(token)
  if (!user) throw refuseCredential(req, auth.sessionGone('sign in first: send Authorization: Bearer <token> from POST /api/v1/login (a token ends at sign-out, after 7 days, or when its password changes)', token))
  if (!beforePasswordChange) assertPasswordChosen(user)
  req.user = user
  return user
}

/**
 * An onRequest hook that runs requireUser: the caller is known before the body is parsed or validated.
 * Synchronous (callback style; a throw is the refusal): no promise per request (#14.2).
 */
export const authenticate =
  (auth: AuthService, beforePasswordChange = false) =>
  (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    requireUser(auth, req, beforePasswordChange)
    done()
  }

/** The operations a user who must change a password an admin set may still call: who-am-I and the change. */
export const BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set(['session.me', 'session.changePassword'])

/**
 * Sign-in and sign-out. A sign-in also answers with the browser's device cookie for the user
 * (services/device-cookies.ts): HttpOnly, SameSite=Strict, sent back only to this path. A client
 * that keeps cookies (the web UI in a browser) is then held only to its own failures when it signs
 * in as that user again; one that keeps none is held as every client is.
 */
export function registerLoginRoutes(app: FastifyInstance, auth: AuthService): void {
  void app.register(async (scope) => {
    await registerLazyCookies(scope) // the device cookie, read once per sign-in
    registerLogin(scope, auth)
  })
  app.post(LOGOUT_PATH, { schema: { summary: 'Revoke the bearer token', tags: ['session'] }, onRequest: authenticate(auth, true) }, async (req) => {
    auth.logout(bearerToken(req)!)
    return { ok: true }
  })
}

/**
 * Sets a device cookie on the answer: HttpOnly, SameSite=Strict, Secure over https, and sent back
 * only to the sign-in path. Needs registerLazyCookies in the route's scope (the cookie writer).
 */
export function setDeviceCookie(req: FastifyRequest, reply: FastifyReply, device: DeviceCookie): void {
  reply.setCookie(device.name, device.value, { path: LOGIN_PATH, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: device.maxAgeSeconds })
}

function registerLogin(app: FastifyInstance, auth: AuthService): void {
  app.post(
    LOGIN_PATH,
    {
      schema: {
        summary: 'Exchange a username and password for a bearer token',
        description:
          'Repeated failures back off per user and per client address (429 with Retry-After). Sets a device cookie: sent back with later sign-ins as the same user, it holds them only to this client’s own failures.',
        tags: ['session'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string }
      const { token, user, device } = await auth.login(username, password, requestClient(req), (name) => requestCookies(req, name))
      if (device) setDeviceCookie(req, reply, device)
      return { token, user: toUserView(user) }
    },
  )
}
