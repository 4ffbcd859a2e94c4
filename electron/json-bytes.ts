// How many bytes a string takes in a JSON answer. Caps on what is stored or answered count this, not
// characters: a NUL is one character and six bytes as sent (`\u0000`), so a log of control characters
// kept to a cap in characters answered six times it (#9 §2).

import { RawJson } from './store/raw-json'

/** A character JSON.stringify writes as more than its UTF-8 bytes: `"`, `\`, a control character, a surrogate (paired or not). */
const MAY_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/

/**
 * The bytes `s` takes as a JSON string in an answer, without its two quotes: the UTF-8 length of
 * `JSON.stringify(s).slice(1, -1)`, found without building it. `"` and `\` and the control characters
 * \b \f \n \r \t take 2, the other control characters 6 (`\u0000`), a lone surrogate 6 (`\ud800`, as
 * well-formed JSON.stringify writes it), others their UTF-8 bytes. Text with nothing to escape (most
 * lines) is counted natively; other text in one pass (~2 ns a character: every line of a flood).
 */
export function jsonEscapedLength(s: string): number {
  if (!MAY_ESCAPE.test(s)) return Buffer.byteLength(s)
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) {
      if (c >= 0x20) bytes += c === 0x22 || c === 0x5c ? 2 : 1
      else bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6
    } else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else if (c >= 0xd800 && c <= 0xdfff) bytes += 6
    else bytes += 3
  }
  return bytes
}

/**
 * The UTF-8 bytes of `JSON.stringify(value)` when they are at most `limit`, else undefined; counted
 * without building the JSON, and the count stops as soon as it passes `limit`: a value of megabytes
 * costs about what one of `limit` bytes does (a string longer than what is left is not even scanned:
 * its JSON takes at least a byte a character). Counted as JSON.stringify writes: toJSON is called
 * (a Date), a RawJson counts its stored size (a text's UTF-8 bytes) unparsed, undefined, functions
 * and symbols are left out of objects and null in arrays, a non-finite number is null. A value that cannot be JSON (a cycle)
 * never fits: every level of it adds bytes.
 */
export function jsonBytesWithin(value: unknown, limit: number): number | undefined {
  let left = limit
  const add = (n: number): boolean => (left -= n) >= 0
  const walk = (v: unknown, key: string): boolean => {
    if (v instanceof RawJson) {
      // a text's size is in characters: its bytes are counted (a character is at least one, so a longer one never fits)
      if (typeof v.json !== 'string') return add(v.size)
      return v.json.length <= left && add(Buffer.byteLength(v.json))
    }
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(k: string): unknown }).toJSON(key)
    switch (typeof v) {
      case 'string':
        return v.length + 2 <= left && add(jsonEscapedLength(v) + 2)
      case 'number':
        return add(Number.isFinite(v) ? String(v).length : 4)
      case 'boolean':
        return add(v ? 4 : 5)
      case 'bigint':
        return add(String(v).length) // JSON.stringify throws on it; whoever serializes says so
      case 'object':
        break
      default:
        return add(4) // undefined, a function or a symbol where a value must be: null
    }
    if (v === null) return add(4)
    if (!add(2)) return false
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if ((i > 0 && !add(1)) || !walk(v[i], String(i))) return false
      return true
    }
    let first = true
    for (const k of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[k]
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
      if ((!first && !add(1)) || !add(jsonEscapedLength(k) + 3) || !walk(item, k)) return false
      first = false
    }
    return true
  }
  return walk(value, '') ? limit - left : undefined
}
