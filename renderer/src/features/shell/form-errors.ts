// Server errors in the words of the form that caused them. The server names the field first and
// says what it allows (`timeoutSeconds must be a number greater than 0`: electron/http/native/errors.ts
// for schema refusals, the services' own checks alike); a form puts its label for the field in the
// API name's place: "The timeout (seconds) must be a number greater than 0." Every message shows as a
// sentence (asSentence), so the server's lower-case words read like the UI's own beside them.
import { ApiError } from '../../api/transport'

/** `newPassword` → "New password" when the form has no label for it. */
const humanise = (field: string) => field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_m, c: string) => ` ${c.toLowerCase()}`)

/**
 * An error's message as it came (the server's words, unchanged, for an ApiError), or the thrown
 * value as text: for lines that quote an API field as the server names it (`proxyUsers.etl: …`) and
 * stores that keep the message as it is. formError/errorText word it for a form.
 */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The text a form shows for an error, and the field it belongs to. `labels` names the form's fields
 * as the form does (`{ newPassword: 'The new password' }`); a field without one is spelled out
 * from its API name. Anything not an ApiError shows its message.
 */
export function formError(e: unknown, labels: Record<string, string> = {}): { text: string; field?: string } {
  if (!(e instanceof ApiError)) return { text: asSentence(errorMessage(e)) }
  const { message, field } = e.body
  if (!field || !message.startsWith(`${field} `)) return { text: asSentence(message), field }
  return { text: asSentence(`${labels[field] ?? humanise(field)}${message.slice(field.length)}`), field }
}

/**
 * `text` as the UI shows a message: its first word capitalised when it is a plain lower-case word (not
 * a name such as `shared/daily`), and closed by a full stop (unless it ends in one, a ? or !, or an ellipsis). The one place this is done: the server words its messages
 * for API clients in lower case ("the new password must differ from the current one").
 */
export function asSentence(text: string): string {
  const t = text.trim()
  if (!t) return t
  // only a plain word is capitalised: a message may start with a name (a path, a variable) to keep as it is
  const first = /^[a-z]+(?=[\s,;:]|$)/.test(t) ? `${t[0].toUpperCase()}${t.slice(1)}` : t
  return `${first}${/[.!?…]$/.test(t) ? '' : '.'}`
}

/** The text of formError, as stores and panels that keep one error line take it. */
export const errorText = (e: unknown, labels?: Record<string, string>): string => formError(e, labels).text
