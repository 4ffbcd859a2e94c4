// Server validation messages in words a form's user reads: `body field "newPassword" must NOT have
// fewer than 8 characters` (JSON Schema's wording, electron/http/native/errors.ts) becomes
// "New password must be at least 8 characters." Messages of our own (already sentences) pass through.
import { ApiError } from '../../api/transport'

/** JSON Schema phrases and what a person would say instead. */
const PHRASES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must NOT have fewer than (\d+) characters?$/, (m) => `must be at least ${m[1]} characters`],
  [/^must NOT have more than (\d+) characters?$/, (m) => `must be at most ${m[1]} characters`],
  [/^must NOT have fewer than (\d+) items?$/, (m) => `needs at least ${m[1]}`],
  [/^must NOT have more than (\d+) items?$/, (m) => `may have at most ${m[1]}`],
  [/^must match pattern ".*"$/, () => 'has characters that are not allowed here'],
  [/^must be equal to one of the allowed values$/, () => 'is not one of the choices'],
  [/^must have required property '.*'$/, () => 'is required'],
  [/^must be integer$/, () => 'must be a whole number'],
  [/^must be number$/, () => 'must be a number'],
  [/^must be string$/, () => 'must be text'],
  [/^must be boolean$/, () => 'must be yes or no'],
  [/^must be >= (\S+)$/, (m) => `must be at least ${m[1]}`],
  [/^must be <= (\S+)$/, (m) => `must be at most ${m[1]}`],
  [/^must NOT have additional properties$/, () => 'has a field this form does not send'],
]

const VALIDATOR = /^(?:body|querystring|params|headers) field "([^"]+)" (.*)$/

/** `newPassword` → "New password" when the form has no label for it. */
const humanise = (field: string) => field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_m, c: string) => ` ${c.toLowerCase()}`)

/**
 * The text a form shows for an error, and the field it belongs to. `labels` names the form's fields
 * as their labels say (`{ newPassword: 'New password' }`).
 */
export function formError(e: unknown, labels: Record<string, string> = {}): { text: string; field?: string } {
  if (!(e instanceof ApiError)) return { text: e instanceof Error ? e.message : String(e) }
  const { message, field } = e.body
  const m = VALIDATOR.exec(message)
  if (!m) return { text: message, field }
  const phrase = PHRASES.find(([re]) => re.test(m[2]))
  const said = phrase ? phrase[1](phrase[0].exec(m[2])!) : m[2]
  return { text: `${labels[m[1]] ?? humanise(m[1])} ${said}.`, field: field ?? m[1] }
}
