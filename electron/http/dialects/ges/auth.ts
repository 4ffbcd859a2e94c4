// Who calls the GES dialect: Huawei Cloud's SDKs sign every request with an access key
// (SDK-HMAC-SHA256, signature.ts; keys are issued in Settings), curl users send `X-Auth-Token`
// from the IAM-style `POST /v3/auth/tokens` (a local user's password → a token in
// X-Subject-Token, good for 24 hours and in this dialect only). Nothing else is accepted.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { assertPasswordChosen, type Actor } from '../../../services/access'
import type { AccessKeys } from '../../../services/access-keys'
import type { AuthService } from '../../../services/auth.service'
import { isAppError } from '../../../../shared/errors'
import { iamErrorBody, unauthorized, GesError } from './errors'
import { parseAuthorization, verify, type Authorization } from './signature'
import { requestClient } from '../../../services/client-address'
import { refuseCredential } from '../../credential-refused'
import { claimedUntilBody } from '../../body-rate'
import { notJsonMessage } from '../../client-json'

/** Token kind of IAM-style tokens: good only in the GES dialect (and signed out like every session). */
export const GES_TOKEN_KIND = 'ges'
export const GES_TOKEN_TTL_MS = 24 * 3600 * 1000
/** Native session tokens are taken as X-Auth-Token too. */
const TOKEN_KINDS = [GES_TOKEN_KIND, 'session']

declare module 'fastify' {
  interface FastifyRequest {
    /** A signed request's Authorization, checked against the body once it is read. */
    gesSignature?: { auth: Authorization; secret: string }
  }
}

export interface GesAuthDeps {
  auth: AuthService
  accessKeys: AccessKeys
  now?: () => number
}

/**
 * onRequest: a token is checked at once; a signature's key and date now, its HMAC after the body is
 * read (checkSignature). No credential, an unknown key or token: 401 APIGW.0301.
 */
export function identify(deps: GesAuthDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = req.headers['x-auth-token']
    if (typeof token === 'string' && token !== '') {
      const t = deps.auth.token(token, TOKEN_KINDS)
      if (!t?.user) throw refuseCredential(req, unauthorized('the X-Auth-Token is unknown, expired or revoked; get a new one from POST /v3/auth/tokens'))
      assertPasswordChosen(t.user)
      req.user = t.user as Actor
      return
    }
    const header = req.headers.authorization
    const auth = parseAuthorization(typeof header === 'string' ? header : undefined)
    if (!auth) throw refuseCredential(req, unauthorized('send X-Auth-Token, or sign the request with an access key (Authorization: SDK-HMAC-SHA256 …)'))
    const key = deps.accessKeys.resolve(auth.accessKey)
    if (!key) throw refuseCredential(req, unauthorized(`access key ${auth.accessKey.slice(0, 40)} is unknown or revoked`))
    assertPasswordChosen(key.user)
    req.user = key.user as Actor
    req.gesSignature = { auth, secret: key.secret }
    claimedUntilBody(req) // until checkSignature, anyone may name this key
  }
}

/** preValidation: the HMAC of a signed request, over the raw body. */
export function checkSignature(deps: GesAuthDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    const sig = req.gesSignature
    if (!sig) return
    const url = req.raw.url ?? '/'
    const at = url.indexOf('?')
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const why = verify(
      { method: req.method, path: at < 0 ? url : url.slice(0, at), query: at < 0 ? '' : url.slice(at + 1), headers: req.headers, body },
      sig.auth,
      sig.secret,
      (deps.now ?? Date.now)(),
    )
    if (why) throw refuseCredential(req, unauthorized(why)) // the key was taken before the body came: its connection is signed out again
    deps.accessKeys.touch(sig.auth.accessKey)
  }
}

interface IamBody {
  auth?: { identity?: { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } }; scope?: unknown }
}

/** Keystone's error body, as IAM answers a failed token request (errors.ts iamErrorBody). */
const iamError = (reply: FastifyReply, code: number, message: string) => reply.code(code).send(iamErrorBody(code, message))

/**
 * `POST /v3/auth/tokens` with IAM's password identity: the user name and password of a local user
 * (the domain and scope are accepted and echoed). 201 with the token in `X-Subject-Token`.
 */
export async function issueIamToken(deps: GesAuthDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  let body: IamBody
  try {
    body = JSON.parse((Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '') || '{}') as IamBody
  } catch (e) {
    // every dialect's words for a body that is not JSON (client-json.ts), in IAM's (Keystone's) envelope
    return iamError(reply, 400, e instanceof SyntaxError ? notJsonMessage('body', e) : 'body is not valid JSON')
  }
  const user = typeof body === 'object' && body !== null ? body.auth?.identity?.password?.user : undefined
  if (!user || typeof user.name !== 'string' || typeof user.password !== 'string') {
    return iamError(reply, 400, 'auth.identity.password.user needs name and password.')
  }
  let account
  try {
    account = await deps.auth.checkPassword(user.name, user.password, requestClient(req))
  } catch (e) {
    if (isAppError(e) && e.kind === 'rate_limited') {
      reply.header('Retry-After', String(e.retryAfterSeconds ?? 60))
      return iamError(reply, 429, e.message)
    }
    // busy is not a wrong password: a client told so would not try again; a disabled account or the
    // default password from afar says why (a wrong name or password stays one answer, naming neither)
    if (isAppError(e) && e.kind === 'unavailable') return iamError(reply, 503, e.message)
    if (isAppError(e) && e.kind === 'forbidden') return iamError(reply, 401, e.message)
    if (isAppError(e)) return iamError(reply, 401, 'The username or password is wrong.')
    throw e
  }
  const issuedAt = (deps.now ?? Date.now)()
  const token = deps.auth.issueToken(account, GES_TOKEN_KIND, GES_TOKEN_TTL_MS)
  const domain = typeof user.domain?.name === 'string' ? user.domain.name : account.username
  return reply
    .code(201)
    .header('X-Subject-Token', token)
    .send({
      token: {
        methods: ['password'],
        issued_at: new Date(issuedAt).toISOString(),
        expires_at: new Date(issuedAt + GES_TOKEN_TTL_MS).toISOString(),
        user: { name: account.username, id: String(account.id), domain: { name: domain, id: domain } },
        catalog: [],
      },
    })
}

export { GesError }
