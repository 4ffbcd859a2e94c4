// Character helpers shared by the path and filter parsers (Jayway CharacterIndex).

import { fail } from './errors'

const BLANKS = ' \t\n\r'
export const REL_CHARS = '<>=~!'
export const NUMBER_CHARS = '0123456789-.eE'

export function isBlankChar(c: string): boolean {
  return c !== '' && BLANKS.includes(c)
}

export function nextSignificant(text: string, from: number): { ch: string; index: number } {
  let i = from
  while (isBlankChar(text.charAt(i))) i++
  return { ch: text.charAt(i), index: i }
}

/** Index of the next unescaped `ch` after `from`, or -1. */
export function nextUnescaped(text: string, from: number, ch: string): number {
  let escaped = false
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if (escaped) escaped = false
    else if (c === '\\') escaped = true
    else if (c === ch) return i
  }
  return -1
}

/** Index of the `close` matching the `open` at `start`, skipping quoted strings (and /regex/). */
export function matchingClose(text: string, start: number, open: string, close: string, skipRegex: boolean): number {
  let depth = 1
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === "'" || c === '"' || (skipRegex && c === '/')) {
      i = nextUnescaped(text, i, c)
      if (i === -1) fail(`Could not find matching close ${c} in ${text}`)
    } else if (c === open) {
      depth++
    } else if (c === close && --depth === 0) {
      return i
    }
  }
  return -1
}

/** Jayway Utils.unescape: backslash escapes inside quoted names and string literals. */
export function unescape(text: string): string {
  const simple: Record<string, string> = { r: '\r', f: '\f', t: '\t', n: '\n', b: '\b' }
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_m, esc: string) =>
    esc.length === 5 ? String.fromCharCode(parseInt(esc.slice(1), 16)) : (simple[esc] ?? esc),
  )
}
