// Who calls Explorer's API: `POST connect` trades a local user's name and password (the Bearer
// value: base64 of `user:password` in the 3.1/3.2 docs, of `["user","password"]` from 3.3 on;
// both are taken) for a token in the `explorer_token` cookie (Max-Age 259200 s: three days, as
// Explorer's default). Every other call sends it back as that cookie, or as a header of that name
// (how the docs' tables put it). Sign-ins go through the auth service: its throttle, its checks.
import type {} from '@fastify/cookie' // request.cookies / reply.setCookie
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isAppError } from '../../../../shared/errors'
import { requestCookie, setCredentialCookie } from '../../cookies'
import { assertPasswordChosen, type Actor } from '../../../services/access'
import { TOKEN_KINDS, type AuthService } from '../../../services/auth.service'
import { ExplorerError, badParam, success } from './errors'
import { requestClient } from '../../../services/client-address'
import { refuseCredential } from '../../credential-refused'

export const EXPLORER_COOKIE = 'explorer_token'
/** Token kind of connect's tokens: good in this dialect only (and signed out like every session). */
export const EXPLORER_TOKEN_KIND = 'explorer'
/** Explorer's default token lifetime, in seconds (config/app-config.yaml upstream). */
export const EXPLORER_TOKEN_TTL_SECONDS = 259_200
const TOKEN_KINDS_TAKEN = [EXPLORER_TOKEN_KIND, TOKEN_KINDS.session]

/** The account in a connect's `Authorization: Bearer <base64>`: `user:password` or `["user","password"]`. Throws ErrUnauthorized. */
export function decodeAccount(header: string | undefined): { username: string; password: string } {
  const m = /^Bearer\s+([A-Za-z0-9+/=_-]{1,2800})\s*$/i.exec(header ?? '')
  if (!m) throw new ExplorerError('ErrUnauthorized', 'send Authorization: Bearer <base64 of user:password or of ["user","password"]>')
  const text = Buffer.from(m[1], 'base64').toString('utf8')
  if (text.startsWith('[')) {
    let pair: unknown
    try {
      pair = JSON.parse(text)
    } catch {
      throw new ExplorerError('ErrUnauthorized', 'the Bearer value decodes to text that starts like ["user","password"] but is not JSON')
    }
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new ExplorerError('ErrUnauthorized', 'the Bearer value must decode to ["user","password"] or user:password')
    }
    return { username: pair[0], password: pair[1] }
  }
  const colon = text.indexOf(':')
  if (colon <= 0) throw new ExplorerError('ErrUnauthorized', 'the Bearer value must decode to user:password or ["user","password"]')
  return { username: text.slice(0, colon), password: text.slice(colon + 1) }
}

/** `POST /api-open/v1/connect`: checks the account against local users, sets the explorer_token cookie. */
export async function connect(auth: AuthService, req: FastifyRequest, reply: FastifyReply) {
  const body = (req.body ?? {}) as Record<string, unknown>
  if (typeof body !== 'object' || Array.isArray(body)) throw badParam('the body must be {"address": "<graphd host>", "port": 9669}')
  if (body.address !== undefined && (typeof body.address !== 'string' || body.address.length > 255)) throw badParam('address must be a host name')
  if (body.port !== undefined && !(Number.isInteger(Number(body.port)) && Number(body.port) >= 0 && Number(body.port) <= 65535)) throw badParam('port must be a port number')
  const { username, password } = decodeAccount(req.headers.authorization)
  let user
  try {
    user = await auth.checkPassword(username, password, requestClient(req))
  } catch (e) {
    // a back-off, a disabled account or the default password from afar say so; a wrong password says only that
    if (isAppError(e) && (e.kind === 'unauthenticated' || e.kind === 'invalid')) throw new ExplorerError('ErrUnauthorized', 'wrong username or password')
    throw e
  }
  const token = auth.issueToken(user, EXPLORER_TOKEN_KIND, EXPLORER_TOKEN_TTL_SECONDS * 1000)
  setCredentialCookie(reply, EXPLORER_COOKIE, token, EXPLORER_TOKEN_TTL_SECONDS)
  return success({ success: true })
}

/** onRequest of every call but connect: the explorer_token (cookie or header) of a live session. */
export function identify(auth: AuthService) {
  return async (req: FastifyRequest): Promise<void> => {
    const header = req.headers[EXPLORER_COOKIE]
    const token = requestCookie(req, EXPLORER_COOKIE) ?? (Array.isArray(header) ? header[0] : header)
    if (!token) throw refuseCredential(req, new ExplorerError('ErrUnauthorized', `no ${EXPLORER_COOKIE}: POST /api-open/v1/connect first and send the cookie it sets`))
    const t = auth.token(token, TOKEN_KINDS_TAKEN)
    if (!t?.user || t.user.disabled) throw refuseCredential(req, new ExplorerError('ErrSession', `the ${EXPLORER_COOKIE} is unknown, expired or signed out; connect again`))
    assertPasswordChosen(t.user)
    req.user = t.user as Actor
  }
}
