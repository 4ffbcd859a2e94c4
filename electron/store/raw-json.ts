// Stored JSON text answered as it is (#9 §2). A job's input and context may be megabytes of JSON;
// parsing them only to serialize them again held the main thread for seconds on every read. A view
// that only shows such a value carries the stored text in a RawJson, and stringifyWithRaw splices the
// text into the answer: the answer is the same JSON, built without parsing or serializing the value.

import { randomBytes } from 'node:crypto'

/** The texts of the stringifyWithRaw call under way (it is synchronous, so one at a time), with its nonce. */
let splicing: { nonce: string; texts: string[] } | undefined

/**
 * JSON text that goes into an answer as it is (it must be valid JSON: the store's own JSON columns are).
 * Serialized by stringifyWithRaw as its text; by a plain JSON.stringify as the value it holds.
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** A placeholder inside stringifyWithRaw; elsewhere the value parsed, so any serializer writes the same JSON. */
  toJSON(): unknown {
    if (!splicing) return JSON.parse(this.text) as unknown
    splicing.texts.push(this.text)
    return `${splicing.nonce}:${splicing.texts.length - 1}`
  }
}

/** A stored JSON column as RawJson; null (SQL NULL, an unset value) stays null. */
export const rawJson = (text: string | null): RawJson | null => (text === null ? null : new RawJson(text))

/**
 * JSON.stringify of `value` with every RawJson in it written as its text. Each RawJson is first
 * replaced by a placeholder string carrying a random nonce (no client value can name it), then the
 * texts are put in their place: linear in the answer's length, and the big texts are only copied.
 * The placeholders come from RawJson.toJSON, not a replacer function: a replacer is called for every
 * value and made a running execution's 200k-item context take ~200 ms instead of ~15 (#9 §2).
 */
export function stringifyWithRaw(value: unknown): string {
  const outer = splicing
  const mine = (splicing = { nonce: randomBytes(9).toString('hex'), texts: [] })
  let json: string
  try {
    json = JSON.stringify(value)
  } finally {
    splicing = outer
  }
  const { nonce, texts } = mine
  if (texts.length === 0) return json
  return json.replace(new RegExp(`"${nonce}:(\\d+)"`, 'g'), (_m, i: string) => texts[Number(i)])
}

/**
 * `value` with its top-level RawJson fields parsed (a transport that needs values, not text: IPC).
 * Other values are returned as they are.
 */
export function parseRawFields<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const entries = Object.entries(value)
  if (!entries.some(([, v]) => v instanceof RawJson)) return value
  return Object.fromEntries(entries.map(([k, v]) => [k, v instanceof RawJson ? (JSON.parse(v.text) as unknown) : v])) as T
}

/**
 * Whether the JSON object `text` has a top-level key that `test` picks, found by walking the text
 * (strings are skipped with indexOf; nothing is parsed but the keys). Not an object: false.
 */
export function someTopLevelKey(text: string, test: (key: string) => boolean): boolean {
  if (text[0] !== '{') return false
  let i = 1
  while (i < text.length && text[i] === '"') {
    const keyEnd = stringEnd(text, i)
    const rawKey = text.slice(i, keyEnd)
    if (test(rawKey.includes('\\') ? (JSON.parse(rawKey) as string) : rawKey.slice(1, -1))) return true
    i = valueEnd(text, keyEnd + 1) // past the ':'
    if (text[i] === ',') i++
  }
  return false
}

/** The index just past the JSON string that starts at `i` (a `"`). */
function stringEnd(text: string, i: number): number {
  let j = i + 1
  for (;;) {
    const quote = text.indexOf('"', j)
    if (quote < 0) return text.length
    let backslashes = 0
    while (text[quote - 1 - backslashes] === '\\') backslashes++
    if (backslashes % 2 === 0) return quote + 1
    j = quote + 1
  }
}

/** The index just past the JSON value that starts at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i]
  if (c === '"') return stringEnd(text, i)
  if (c !== '{' && c !== '[') {
    let j = i
    while (j < text.length && text[j] !== ',' && text[j] !== '}' && text[j] !== ']') j++
    return j
  }
  let depth = 0
  let j = i
  while (j < text.length) {
    const ch = text[j]
    if (ch === '"') {
      j = stringEnd(text, j)
      continue
    }
    if (ch === '{' || ch === '[') depth++
    else if (ch === '}' || ch === ']') {
      depth--
      if (depth === 0) return j + 1
    }
    j++
  }
  return j
}
