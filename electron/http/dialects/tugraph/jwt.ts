// JSON Web Tokens signed with HS256 (RFC 7519, RFC 7515 §A.1): what TuGraph hands out at login
// (tugraph-db: src/db/token_manager.cpp, jwt-cpp). Clients treat the token as opaque; the server
// checks the signature and, separately, that the token is still on record (auth service).
import { createHmac, timingSafeEqual } from 'node:crypto'

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
/** Longer tokens are not ours; refused before any work. */
const MAX_TOKEN_LENGTH = 512

const mac = (input: string, secret: string): Buffer => createHmac('sha256', secret).update(input).digest()

/** `header.payload.signature`, base64url, HS256 over the first two parts. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${body}.${mac(body, secret).toString('base64url')}`
}

/** The payload of a token this secret signed with HS256, or undefined for anything else (malformed, other algorithm, forged). */
export function verifyJwt(token: string, secret: string): Record<string, unknown> | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [header, payload, signature] = parts
  const want = mac(`${header}.${payload}`, secret)
  const got = Buffer.from(signature, 'base64url')
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined
  try {
    if ((JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg !== 'HS256') return undefined
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
