// SDK-HMAC-SHA256, the request signature of Huawei Cloud's SDKs (huaweicloud-sdk-python-v3:
// huaweicloudsdkcore/signer/signer.py; the Go and Java SDKs compute the same), checked on the
// server side:
//
//   canonical request = METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n hex(sha256(body))
//     URI: the path %-decoded, each segment RFC 3986-encoded, ending in "/"
//     QUERY: parameters sorted by name then value, each name=value RFC 3986-encoded, joined by &
//     HEADERS: "name:value\n" per signed header (lower-case name, trimmed value), in SignedHeaders order
//     body hash: the X-Sdk-Content-Sha256 header when sent, else sha256 of the raw body
//   string to sign = "SDK-HMAC-SHA256" \n X-Sdk-Date (yyyyMMdd'T'HHmmss'Z') \n hex(sha256(canonical request))
//   signature = hex(HMAC-SHA256(SK, string to sign))
//   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export const ALGORITHM = 'SDK-HMAC-SHA256'
/** How far X-Sdk-Date may be from the server's clock. */
export const CLOCK_SKEW_MS = 15 * 60 * 1000

/** RFC 3986 encoding as Python's quote(s, safe='~'): everything but A–Z a–z 0–9 - _ . ~ is %-encoded (UTF-8). */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export function canonicalUri(rawPath: string): string {
  const path = safeDecode(rawPath)
    .split('/')
    .map(rfc3986)
    .join('/')
  return path.endsWith('/') ? path : `${path}/`
}

/** Query parameters as decoded pairs (`+` is a space, as form decoding reads it). */
export function queryPairs(rawQuery: string): [string, string][] {
  if (!rawQuery) return []
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      const name = eq < 0 ? p : p.slice(0, eq)
      const value = eq < 0 ? '' : p.slice(eq + 1)
      return [safeDecode(name.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))] as [string, string]
    })
}

export function canonicalQuery(pairs: [string, string][]): string {
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&')
}

export interface SignedRequest {
  method: string
  /** The path as sent (still %-encoded), without the query. */
  path: string
  /** The query as sent, without `?`. */
  query: string
  /** Header values by lower-case name. */
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

export interface Authorization {
  accessKey: string
  signedHeaders: string[]
  signature: string
}

/** Reads `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`; undefined when it is not one. */
export function parseAuthorization(header: string | undefined): Authorization | undefined {
  if (!header?.startsWith(`${ALGORITHM} `)) return undefined
  const fields = new Map<string, string>()
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const accessKey = fields.get('Access')
  const signed = fields.get('SignedHeaders')
  const signature = fields.get('Signature')
  if (!accessKey || !signed || !signature) return undefined
  return { accessKey, signedHeaders: signed.split(';').map((h) => h.trim().toLowerCase()), signature: signature.toLowerCase() }
}

const headerValue = (v: string | string[] | undefined): string | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v.join(',') : v).trim())

/** The canonical request for the given signed headers; undefined when a signed header is missing. */
export function canonicalRequest(r: SignedRequest, signedHeaders: string[]): string | undefined {
  const lines: string[] = []
  for (const name of signedHeaders) {
    const v = headerValue(r.headers[name])
    if (v === undefined) return undefined
    lines.push(`${name}:${v}`)
  }
  const bodyHash = headerValue(r.headers['x-sdk-content-sha256']) ?? createHash('sha256').update(r.body).digest('hex')
  return [r.method.toUpperCase(), canonicalUri(r.path), canonicalQuery(queryPairs(r.query)), `${lines.join('\n')}\n`, signedHeaders.join(';'), bodyHash].join('\n')
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`
}

export const sign = (secret: string, toSign: string): string => createHmac('sha256', secret).update(toSign, 'utf8').digest('hex')

/** `20191115T033655Z` as epoch ms; NaN when malformed. */
export function parseSdkDate(text: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '')
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN
}

/**
 * Why a signed request is refused, or null when its signature is right. Checks the date window,
 * that X-Sdk-Date and Host are signed, that the body hash header (if any) is the body's, and the
 * HMAC (constant time).
 */
export function verify(r: SignedRequest, auth: Authorization, secret: string, now: number): string | null {
  const date = headerValue(r.headers['x-sdk-date'])
  const at = parseSdkDate(date)
  if (Number.isNaN(at)) return 'X-Sdk-Date is missing or not in the form yyyyMMddTHHmmssZ'
  if (Math.abs(now - at) > CLOCK_SKEW_MS) return `X-Sdk-Date ${date} is more than 15 minutes from the server's clock`
  for (const needed of ['x-sdk-date', 'host']) if (!auth.signedHeaders.includes(needed)) return `SignedHeaders must include ${needed}`
  const declared = headerValue(r.headers['x-sdk-content-sha256'])
  if (declared !== undefined && declared !== createHash('sha256').update(r.body).digest('hex')) {
    return 'X-Sdk-Content-Sha256 is not the SHA-256 of the body (unsigned payloads are not accepted)'
  }
  const canonical = canonicalRequest(r, auth.signedHeaders)
  if (canonical === undefined) return 'a header named in SignedHeaders is missing'
  const want = Buffer.from(sign(secret, stringToSign(canonical, date!)), 'hex')
  const got = Buffer.from(auth.signature, 'hex')
  if (got.length !== want.length || !timingSafeEqual(got, want)) return 'the signature does not match the request'
  return null
}
