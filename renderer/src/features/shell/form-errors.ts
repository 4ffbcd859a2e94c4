// Server errors in the words of the form that caused them. The server names the field first and
// says what it allows (`timeoutSeconds must be a number greater than 0`: electron/http/native/errors.ts
// for schema refusals, the services' own checks alike); a form puts its label for the field in the
// API name's place: "The timeout (seconds) must be a number greater than 0." Other messages pass through.
import { ApiError } from '../../api/transport'

/** `newPassword` → "New password" when the form has no label for it. */
const humanise = (field: string) => field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_m, c: string) => ` ${c.toLowerCase()}`)

/**
 * The text a form shows for an error, and the field it belongs to. `labels` names the form's fields
 * as the form does (`{ newPassword: 'The new password' }`); a field without one is spelled out
 * from its API name. Anything not an ApiError shows its message.
 */
export function formError(e: unknown, labels: Record<string, string> = {}): { text: string; field?: string } {
  if (!(e instanceof ApiError)) return { text: e instanceof Error ? e.message : String(e) }
  const { message, field } = e.body
  if (!field || !message.startsWith(`${field} `)) return { text: message, field }
  const rest = message.slice(field.length)
  return { text: `${labels[field] ?? humanise(field)}${rest}${/[.!?]$/.test(rest) ? '' : '.'}`, field }
}

/** The text of formError, as stores and panels that keep one error line take it. */
export const errorText = (e: unknown, labels?: Record<string, string>): string => formError(e, labels).text
