// Who calls the Rill Flow API. Rill Flow's own API clients send no credential (DESIGN.md's trust model:
// from loopback they are the desktop user). Its web console (rill-flow-ui) logs in with
// /flow/bg/user/login.json and sends the token back as a bare `Authorization: <token>` header; its
// flow-graph micro app sends nothing, so the login also sets an HttpOnly cookie that same-origin
// requests carry. A credential that was sent must be good; console routes always need one.

import type {} from '@fastify/cookie' // reply.setCookie
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../../shared/errors'
import { assertPasswordChosen } from '../../../services/access'
import { SESSION_TTL_MS, type AuthService } from '../../../services/auth.service'
import { isLoopbackAddress, requestClient } from '../../../services/client-address'
import type { Store } from '../../../store'
import { requestCookie, setCredentialCookie } from '../../cookies'
import type { CallbackSigner } from '../../../workflows/rillflow/callbacks'
import { DESKTOP_CALLER, tokenRequiredByUsers, type WorkflowCaller } from '../../../workflows/rillflow/ownership'
import { refuseCredential } from '../../credential-refused'

/** The session cookie of a console login: HttpOnly, SameSite=Strict, for the Rill Flow paths only. */
export const RILL_SESSION_COOKIE = 'rillflow_session'

/**
 * Route config of the console's routes: `console` ones (BgController, TaskTemplateController) need a
 * signed-in user; `login` takes a password instead of a credential.
 */
export interface RillRouteConfig {
  access?: 'console' | 'login'
  /** Open to a user who must still change a password an admin set (who-am-I: access.ts assertPasswordChosen). */
  beforePasswordChange?: boolean
}

/** Route options of a console route. */
export const CONSOLE_ROUTE = { config: { access: 'console' } satisfies RillRouteConfig }
/** Route options of the console's who-am-I: answered before a held password is changed too. */
export const CONSOLE_WHO_AM_I_ROUTE = { config: { access: 'console', beforePasswordChange: true } satisfies RillRouteConfig }

export interface RillAuthDeps {
  auth: AuthService
  signer: CallbackSigner
  /** Require a credential even from loopback (a setting; always so with more than one user). */
  requireToken: boolean
  store: Pick<Store, 'users'>
}

/**
 * The token a call came with: `Authorization: Bearer <t>` (JobDesk's form), `Authorization: <t>` (what
 * rill-flow-ui sends: its axios has no authentication scheme), else the console's session cookie.
 */
export function rillCredential(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization
  if (typeof header === 'string' && header.trim()) {
    const m = /^(?:Bearer\s+)?(\S+)$/i.exec(header.trim())
    return m ? m[1] : header // a malformed header is still a credential that was sent, and is refused
  }
  return requestCookie(req, RILL_SESSION_COOKIE) || undefined
}

/** Sets (or, with null, clears) the console's session cookie. */
export function setRillSessionCookie(reply: FastifyReply, token: string | null): void {
  if (token === null) reply.clearCookie(RILL_SESSION_COOKIE, { path: '/flow' })
  else setCredentialCookie(reply, RILL_SESSION_COOKIE, token, SESSION_TTL_MS / 1000, '/flow')
}

const NEEDS_LOGIN = 'sign in first: POST /flow/bg/user/login.json (or /api/v1/login) and send the token as the Authorization header'

/**
 * Sets `req.user` from the call's credential, or decides the call may go without one. Runs as an
 * onRequest hook, so an unknown caller learns nothing about what a body should hold. Without a
 * credential a call is let in only (a) from loopback with no foreign Origin and not for another
 * site's page (a browser page of another origin must sign in, even one Settings allows), while JobDesk has a single user, and not
 * on console routes, or (b) as a
 * finish/trigger callback carrying the signature of the URL JobDesk handed out.
 * Throws AppError unauthenticated (`no_session` for a credential that is signed out or expired; `account_disabled` for one ended by disabling its account).
 * `access` is the route's (RillRouteConfig), read once when the route is registered (#14.2); so is
 * `beforePasswordChange` (else a user with a password an admin set gets 403, assertPasswordChosen).
 */
export function authorizeRill(req: FastifyRequest, deps: RillAuthDeps, access: RillRouteConfig['access'], beforePasswordChange = false): void {
  if (access === 'login') return
  const credential = rillCredential(req)
  if (credential !== undefined) {
    // a token that was sent must be good: a signed-out or revoked one is not silently the desktop user
    const user = deps.auth.sessionActor(credential)
    if (!user) throw refuseCredential(req, deps.auth.sessionGone(`this token is signed out, expired or revoked; ${NEEDS_LOGIN}`, credential))
    if (!beforePasswordChange) assertPasswordChosen(user)
    req.user = user
    return
  }
  if (access === 'console') throw refuseCredential(req, new AppError('unauthenticated', 'unauthenticated', NEEDS_LOGIN))
  if (!tokenRequired(deps) && isLoopbackAddress(requestClient(req)) && !foreignOrigin(req) && !otherSitesPage(req)) return
  // the signature is in the callback URL we handed out (its query), checked before the body is read
  const q = req.query as Record<string, unknown>
  if (/\/(trigger|finish)\.json$/.test(req.url.split('?')[0]) && typeof q.execution_id === 'string' && typeof q.task_name === 'string') {
    if (deps.signer.verify(q.execution_id, q.task_name, q.ts, q.sign)) return
  }
  throw refuseCredential(req, new AppError('unauthenticated', 'unauthenticated', `this Rill Flow endpoint needs a credential: ${NEEDS_LOGIN}`))
}

/**
 * Whether a credential-less call from loopback is refused: when the setting says so, and always once
 * the data folder has a second user — else any local user could leave out their token and act as
 * the desktop user (the admin), reaching everyone's executions (found verifying #9.3).
 */
function tokenRequired(deps: RillAuthDeps): boolean {
  return deps.requireToken || tokenRequiredByUsers(deps.store.users)
}

/**
 * A browser sent this call for a page of another site (Sec-Fetch-Site cross-site or same-site: any
 * other port of 127.0.0.1 is the same site). Such a GET carries no Origin: without this, an
 * `<img src=…/flow/trigger.json?execution_id=…>` on any page finished a waiting task of a
 * single-user install, cookie or none (#9 LOW, atk11).
 */
function otherSitesPage(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site']
  return site === 'cross-site' || site === 'same-site'
}

/** A browser page of another origin made this call (security.ts has already checked that origin is allowed). */
function foreignOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin
  return origin !== undefined && origin !== `http://${String(req.headers.host ?? '').toLowerCase()}`
}

/**
 * Who a Rill Flow call acts as toward workflows: its signed-in user, else (a credential-less call
 * authorizeRill let in from loopback while JobDesk has one user) the desktop user.
 */
export const rillCaller = (req: FastifyRequest): WorkflowCaller => req.user ?? DESKTOP_CALLER
