// One error type for the whole app. Dialect adapters map `kind` (and `code`) to their own envelopes.

export const ERROR_KINDS = {
  invalid: 400, // the caller sent something wrong: not a bug
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429, // backed off after repeated failures; retry after retryAfterSeconds
  unsupported_media_type: 415, // a body of a content type the route does not read
  unavailable: 503, // operational: IO, a missing tool; may work later
  internal: 500, // a bug
} as const
export type ErrorKind = keyof typeof ERROR_KINDS

export interface ErrorBody {
  kind: ErrorKind
  code: string
  message: string
  field?: string
  /** Where in the request's text (a query, a descriptor, a script) the error is: its line, from 1. */
  line?: number
  /** With `line`, when known: the column on that line, from 1 (a Cypher error names both). */
  column?: number
  /** rate_limited: seconds until a retry can succeed. */
  retryAfterSeconds?: number
}

/**
 * The error code of a 401 that means "this session is gone" (no, an expired or a revoked token): the
 * only one a client answers by signing out. Other failures of a signed-in user (a wrong current
 * password on a form, say) are form errors, never sign-outs.
 */
export const SESSION_GONE = 'no_session'

/**
 * The code of a 401 for a session an admin ended by disabling its account (and of the 403 of a
 * disabled account's sign-in): clients sign out on it as on SESSION_GONE, and can say why.
 */
export const ACCOUNT_DISABLED = 'account_disabled'

/** Whether a 401's code means the session is over: the client signs out (SESSION_GONE, ACCOUNT_DISABLED). */
export const endsSession = (status: number, code: string): boolean => status === 401 && (code === SESSION_GONE || code === ACCOUNT_DISABLED)

/** Why the session of `username`, whose account an admin disabled, ended: one wording for the 401 and the event stream. */
export const accountDisabledReason = (username: string): string =>
  `Your account ${username} was disabled by an administrator; ask an admin to enable it.`

export class AppError extends Error {
  readonly kind: ErrorKind
  readonly code: string
  readonly field?: string
  readonly line?: number
  readonly column?: number
  readonly retryAfterSeconds?: number

  constructor(kind: ErrorKind, code: string, message: string, where: { field?: string; line?: number; column?: number; retryAfterSeconds?: number } = {}) {
    super(message)
    this.name = 'AppError'
    this.kind = kind
    this.code = code
    this.field = where.field
    this.line = where.line
    this.column = where.column
    this.retryAfterSeconds = where.retryAfterSeconds
  }

  get httpStatus(): number {
    return ERROR_KINDS[this.kind]
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { kind: this.kind, code: this.code, message: this.message }
    if (this.field !== undefined) body.field = this.field
    if (this.line !== undefined) body.line = this.line
    if (this.column !== undefined) body.column = this.column
    if (this.retryAfterSeconds !== undefined) body.retryAfterSeconds = this.retryAfterSeconds
    return body
  }
}

export const invalid = (code: string, message: string, field?: string): AppError =>
  new AppError('invalid', code, message, { field })
/**
 * `what` (in words: 'job', 'access key') with `id` does not exist. The code is `what` in snake_case
 * plus `_not_found` (job_not_found, access_key_not_found); the message names both.
 */
export const notFound = (what: string, id: string | number): AppError =>
  new AppError('not_found', `${what.trim().replace(/\s+/g, '_')}_not_found`, `${what} ${id} does not exist`)
export const forbidden = (code: string, message: string): AppError => new AppError('forbidden', code, message)
/** A 409: the request clashes with what exists (user_exists); `field` names the part of the request that clashes. */
export const conflict = (code: string, message: string, field?: string): AppError => new AppError('conflict', code, message, { field })

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
