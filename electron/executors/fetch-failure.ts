// Why an HTTP task's call did not get an answer. Node's fetch throws a bare "fetch failed" and keeps
// the reason in `error.cause` (connect ECONNREFUSED 127.0.0.1:9, getaddrinfo ENOTFOUND, a TLS or
// connect-timeout error); a task's error must say that, and which address it called.

/**
 * A request's URL as a task's error may show it: scheme, host, port and path, without credentials
 * (user:password@), query (tokens are often passed there) or fragment. `url` as given if it does not parse.
 */
export function urlForMessage(url: string | URL): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '(an invalid URL)'
  }
}

/**
 * The reason fetch threw `e` on a call of `url`: the message of its cause (with its code when the
 * message lacks it; each address's when the connection was tried on several), else `e`'s own message,
 * with `url` in it shown as urlForMessage does (fetch quotes it whole when it refuses one with
 * credentials). e.g. "connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND no.such.host".
 */
export function fetchFailureReason(e: unknown, url: string | URL): string {
  const err = e as Error & { cause?: unknown }
  const cause = err?.cause
  const reason = (cause instanceof Error && describe(cause)) || (err?.message ?? String(e))
  const shown = urlForMessage(url)
  let hidden = reason.split(String(url)).join(shown)
  try {
    hidden = hidden.split(new URL(url).href).join(shown)
  } catch {
    // not a URL: nothing of it to hide
  }
  return hidden
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code
  // happy eyeballs: `localhost` tried on ::1 and 127.0.0.1, each refused; the aggregate's own message is empty
  const parts = e instanceof AggregateError ? [...new Set(e.errors.map((x: unknown) => (x instanceof Error ? describe(x) : String(x))))] : []
  const message = parts.length ? parts.join('; ') : e.message
  return code && !message.includes(code) ? `${message} (${code})`.trim() : message
}
