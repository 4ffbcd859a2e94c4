// The rules a new Linkis Token-Code and a token's expiry follow, in one place: the server
// (electron/services/linkis-tokens.ts, the settings.linkis.set schema) refuses by them and the Settings
// form (renderer LinkisTokens) checks a typed code by the same words before it sends it (#9).

/** The start of an admin Token-Code (`admin-…`): such a code may pick executeUser. It is public (Settings shows `admin-••••••`). */
export const ADMIN_TOKEN_PREFIX = 'admin-'

/** The fewest secret characters a new Token-Code has: after ADMIN_TOKEN_PREFIX for an admin code (Linkis takes any code, but a short secret is guessed). */
export const TOKEN_CODE_MIN_LENGTH = 16

/** The latest time a JavaScript Date holds (ms since 1970, ECMA-262 TimeClip): a later expiresAt would show as "Invalid Date". */
export const MAX_DATE_MS = 8_640_000_000_000_000

/**
 * Why a new Token-Code `code` is too short to be saved, as a sentence of the form "Token-Code must …",
 * or null when it is long enough: at least TOKEN_CODE_MIN_LENGTH characters, not counting a leading
 * ADMIN_TOKEN_PREFIX (every admin code starts with it, so it is no secret).
 */
export function tokenCodeProblem(code: string): string | null {
  const admin = code.startsWith(ADMIN_TOKEN_PREFIX)
  const secret = admin ? code.length - ADMIN_TOKEN_PREFIX.length : code.length
  if (secret >= TOKEN_CODE_MIN_LENGTH) return null
  return admin
    ? `Token-Code must have at least ${TOKEN_CODE_MIN_LENGTH} characters after its public ${ADMIN_TOKEN_PREFIX} prefix (it has ${secret})`
    : `Token-Code must be at least ${TOKEN_CODE_MIN_LENGTH} characters (it has ${secret})`
}
