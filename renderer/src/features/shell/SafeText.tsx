import { Fragment } from 'react'

// Text another user typed (a job's name or code, a file name, a graph property) must be drawn as
// itself: bidi controls reorder what surrounds them (Trojan Source, CVE-2021-42574) and zero-width or
// other format characters make two different strings look the same. So each such character is drawn
// as a marked escape (⟨U+202E⟩), and the text is isolated (<bdi>) so it cannot reorder the UI around
// it. The one place for this: every view of user text goes through SafeText or visibleText.

/**
 * The characters not drawn as themselves: format characters (Cf: bidi embeddings, overrides,
 * isolates and marks, U+061C, zero-width U+200B–U+200D, U+2060…, U+FEFF, tags), controls (Cc), line
 * and paragraph separators, and the blank-looking Hangul fillers. Tab, newline and CR+LF are kept
 * where the text is multi-line (see `isKept`).
 */
const HIDDEN = /\r\n|[\p{Cf}\p{Cc}\u2028\u2029\u115F\u1160\u3164\uFFA0]/gu

/** Names for the title of the commonest escapes; others show only their code point. */
const NAMES: Record<number, string> = {
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0xad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
}

/** One piece of user text: plain text drawn as is, or one hidden character drawn as its escape. */
export type TextPart = { text: string } | { hidden: string; code: string; name: string }

/** Options of the helpers. `multiline`: tab, newline and CR+LF are kept (code, logs); else escaped. */
export interface SafeTextOptions {
  multiline?: boolean
}

const isKept = (ch: string, multiline: boolean) => multiline && (ch === '\n' || ch === '\t' || ch === '\r\n')

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/** Splits `text` into plain runs and hidden characters, in order; '' gives []. */
export function textParts(text: string, { multiline = false }: SafeTextOptions = {}): TextPart[] {
  const parts: TextPart[] = []
  let plain = ''
  let at = 0
  for (const m of text.matchAll(HIDDEN)) {
    const ch = m[0]
    plain += text.slice(at, m.index)
    at = m.index + ch.length
    if (isKept(ch, multiline)) {
      plain += ch
      continue
    }
    if (plain) parts.push({ text: plain })
    plain = ''
    // CR+LF outside multi-line text is two escapes
    for (const c of ch) {
      const n = c.codePointAt(0)!
      parts.push({ hidden: c, code: codePoint(c), name: NAMES[n] ?? 'hidden character' })
    }
  }
  plain += text.slice(at)
  if (plain) parts.push({ text: plain })
  return parts
}

/** Whether `text` holds a character SafeText would draw as an escape. */
export function hasHiddenChars(text: string, options?: SafeTextOptions): boolean {
  return textParts(text, options).some((p) => 'hidden' in p)
}

/**
 * `text` with each hidden character written as `⟨U+XXXX⟩`: for places that take a plain string
 * (a title, an aria-label, a canvas label, a confirmation's text). Plain text comes back unchanged.
 */
export function visibleText(text: string, options?: SafeTextOptions): string {
  return textParts(text, options)
    .map((p) => ('hidden' in p ? `⟨${p.code}⟩` : p.text))
    .join('')
}

/**
 * User text, isolated from the surrounding layout (<bdi>), with each hidden character drawn as a
 * marked chip `⟨U+202E⟩` whose title names it. `text` null or undefined draws nothing; other
 * values are drawn as String(value) (a result cell's number).
 */
export function SafeText({ text, multiline = false, className }: { text: unknown; multiline?: boolean; className?: string }) {
  if (text == null) return null
  const parts = textParts(String(text), { multiline })
  return (
    <bdi className={className ? `safe-text ${className}` : 'safe-text'}>
      {parts.map((p, i) =>
        'hidden' in p ? (
          <span key={i} className="hidden-char" title={`${p.code} ${p.name}: an invisible or direction-changing character in this text`}>
            {`⟨${p.code}⟩`}
          </span>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </bdi>
  )
}
