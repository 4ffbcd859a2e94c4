import { Fragment } from 'react'
import { escapeHiddenChars, hiddenChars } from '../../../../shared/hidden-chars'

// Text another user typed (a job's name or code, a file name, a graph property) must be drawn as
// itself: bidi controls reorder what surrounds them (Trojan Source, CVE-2021-42574) and zero-width or
// other format characters make two different strings look the same. So each such character is drawn
// as a marked escape (⟨U+202E⟩), and the text is isolated (<bdi>) so it cannot reorder the UI around
// it. The one place for this: every view of user text goes through SafeText or visibleText.

/** One piece of user text: plain text drawn as is, or one hidden character drawn as its escape. */
export type TextPart = { text: string } | { hidden: string; code: string; name: string }

/** Options of the helpers. `multiline`: tab, newline and CR+LF are kept (code, logs); else escaped. */
export interface SafeTextOptions {
  multiline?: boolean
}

/** Splits `text` into plain runs and hidden characters, in order; '' gives []. */
export function textParts(text: string, options: SafeTextOptions = {}): TextPart[] {
  const parts: TextPart[] = []
  let at = 0
  for (const h of hiddenChars(text, options)) {
    if (h.index > at) parts.push({ text: text.slice(at, h.index) })
    parts.push({ hidden: h.char, code: h.code, name: h.name })
    at = h.index + h.char.length
  }
  if (at < text.length) parts.push({ text: text.slice(at) })
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
  return escapeHiddenChars(text, options) // shared: server messages name such text the same way
}

/**
 * User text, isolated from the surrounding layout (<bdi>), with each hidden character drawn as a
 * marked chip `⟨U+202E⟩` whose title names it. `text` null or undefined draws nothing; other
 * values are drawn as String(value) (a result cell's number).
 *
 * Copying gives the text itself: the chip's label is CSS generated content (never selected or copied),
 * and the chip holds the character, visually hidden and isolated inside it (styles.css `.hidden-char`).
 */
export function SafeText({ text, multiline = false, className }: { text: unknown; multiline?: boolean; className?: string }) {
  if (text == null) return null
  const parts = textParts(String(text), { multiline })
  return (
    <bdi className={className ? `safe-text ${className}` : 'safe-text'}>
      {parts.map((p, i) =>
        'hidden' in p ? (
          <span key={i} className="hidden-char" data-label={`⟨${p.code}⟩`} title={`${p.code} ${p.name}: a character that is not drawn as itself in this text`}>
            <span className="hidden-char-original">{p.hidden}</span>
          </span>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </bdi>
  )
}
