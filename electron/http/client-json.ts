// A client's JSON text parsed with its limits checked: a module of its own (fastify-free), for the
// JSON worker (services/json-worker.ts) as for the request handlers (json-body.ts re-exports it).
import { invalid } from '../../shared/errors'
import { checkJsonShape, type JsonShape } from '../../shared/json-limits'

/**
 * The refusal of a `__proto__` key (or a `constructor` holding `prototype`) in JSON sent as `field`:
 * merged into an object (Object.assign, spread) such a key would replace that object's prototype.
 * Every dialect says this, in its own envelope, instead of "not valid JSON".
 */
export function prototypeKeyRefused(key: '__proto__' | 'constructor', field: string) {
  const what = key === '__proto__' ? 'the field name "__proto__"' : 'a field "constructor" holding "prototype"'
  return invalid('prototype_key', `${field}: ${what} is not allowed (it would replace an object's prototype)`, field)
}

/**
 * What every API says of client text sent as `field` that is not JSON: `body is not valid JSON:
 * Expected property name or '}' in JSON at position 1 (line 1 column 2)`, `e` being JSON.parse's
 * SyntaxError, which names where. The native API's words for a body fastify's parser refused
 * (native/errors.ts); Rill Flow's for its bodies and JSON parameters, in its envelope.
 */
export const notJsonMessage = (field: string, e: SyntaxError): string => `${field} is not valid JSON: ${e.message.replace(QUOTED_SOURCE, '')}`

/**
 * The client's text V8 quotes in some messages (`Unexpected token '}', "{"a":1,"b":}" is not valid
 * JSON`, cut with `...` when long): left out, so a long body and a short one are refused in the same
 * words and no client text is echoed back.
 */
const QUOTED_SOURCE = /, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/

/**
 * JSON.parse for client text read outside fastify's parser (Rill Flow's raw bodies and `context`
 * parameters, TuGraph's and GES's bodies): nesting and the count of lists and maps checked first
 * (checkJsonShape), and a `__proto__` key or a `constructor.prototype` refused as fastify's own
 * parser refuses them (prototypeKeyRefused). Throws an AppError naming `field` (`invalid`, or
 * `too_large` for too many lists and maps); a SyntaxError for bad JSON.
 */
export function parseClientJson(text: string, field: string): unknown {
  return parseClientJsonShaped(text, field).value
}

/** parseClientJson, with the JsonShape of `text` its checks counted (shared/json-limits.ts: what the held work weighs the value by). */
export function parseClientJsonShaped(text: string, field: string): { value: unknown; shape: JsonShape } {
  const shape = checkJsonShape(text, field)
  return { value: parseChecked(text, field), shape }
}

/** JSON.parse of `text` whose shape was checked, refusing prototype keys (see parseClientJson). */
function parseChecked(text: string, field: string): unknown {
  // Such a key is written out or escaped (`\u005f…`): text with neither cannot hold one, and parses
  // without a reviver, which is called for every value (a 200k-item context: ~150 ms instead of ~15).
  if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u')) return JSON.parse(text)
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw prototypeKeyRefused(key, field)
    if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) throw prototypeKeyRefused(key, field)
    return value
  })
}

/**
 * Where JSON `text` escapes half of a character (a `\uD800`–`\uDFFF` escape not in a high-low pair,
 * which JSON.parse takes as a lone surrogate that no UTF-8 can store or send back), as a sentence
 * led by `field` naming it and its position (characters from 1, as nameCharProblem counts), or null.
 * Backslashes are read as JSON escapes, so `\\ud800` (a backslash, then text) is no escape.
 */
export function loneSurrogateProblem(text: string, field: string): string | null {
  const unit = (at: number): number => (text[at] === '\\' && text[at + 1] === 'u' ? Number.parseInt(text.slice(at + 2, at + 6), 16) : Number.NaN)
  for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at)) {
    const u = unit(at)
    if (!(u >= 0xd800 && u <= 0xdfff)) {
      at += 2 // `\\`, `\"`, `\n`, another `\u` escape: the character after the backslash is not one
      continue
    }
    const low = unit(at + 6)
    if (u <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      at += 12 // a whole pair
      continue
    }
    return `${field} contains U+${u.toString(16).toUpperCase()} LONE SURROGATE (half of a character) at position ${at + 1}: JSON text must escape whole characters`
  }
  return null
}
