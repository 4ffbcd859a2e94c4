// A signer written for the tests from Huawei Cloud's published SDK algorithm (huaweicloud-sdk-python-v3
// huaweicloudsdkcore/signer/signer.py), independently of the server's code: what the SDKs send.
import { createHash, createHmac } from 'node:crypto'

/** Python's urllib.parse.quote(s, safe='~'). */
const quote = (s: string): string =>
  Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b)
      return /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')

export interface SdkRequest {
  method: string
  host: string
  path: string
  query?: [string, string][]
  headers?: Record<string, string>
  body?: string
  /** yyyyMMddTHHmmssZ; now when absent. */
  date?: string
}

export const sdkDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

/** The headers to send (X-Sdk-Date, Host, Authorization and the given ones) for an AK/SK. */
export function sdkSign(ak: string, sk: string, r: SdkRequest): Record<string, string> {
  const headers: Record<string, string> = { ...r.headers, 'X-Sdk-Date': r.date ?? sdkDate(Date.now()), Host: r.host }
  const signed = Object.keys(headers).map((k) => k.toLowerCase()).sort()
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim()]))
  const uri = decodeURIComponent(r.path).split('/').map(quote).join('/')
  const canonicalUri = uri.endsWith('/') ? uri : `${uri}/`
  const query = [...(r.query ?? [])].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${quote(k)}=${quote(v)}`).join('&')
  const canonicalHeaders = signed.map((k) => `${k}:${lower[k]}`).join('\n') + '\n'
  const payload = createHash('sha256').update(r.body ?? '').digest('hex')
  const canonical = [r.method.toUpperCase(), canonicalUri, query, canonicalHeaders, signed.join(';'), payload].join('\n')
  const toSign = `SDK-HMAC-SHA256\n${headers['X-Sdk-Date']}\n${createHash('sha256').update(canonical).digest('hex')}`
  const signature = createHmac('sha256', sk).update(toSign).digest('hex')
  return { ...headers, Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${signed.join(';')}, Signature=${signature}` }
}

/** The query as the SDK puts it on the URL (canonical order). */
export const queryString = (q: [string, string][]): string => (q.length ? `?${q.map(([k, v]) => `${quote(k)}=${quote(v)}`).join('&')}` : '')
