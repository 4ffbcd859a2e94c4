// Characters that are not drawn as themselves (#9, Trojan Source CVE-2021-42574, look-alike names): the
// one table of them. The renderer draws each as a marked chip (SafeText, and the code editor's marks);
// the server refuses the invisible ones in names (nameCharProblem). Shared so the two never disagree.

import { invalid } from './errors'

/** What a hidden character does to the text around it. */
export type HiddenCharKind = 'control' | 'invisible' | 'space'

/** The space separators but U+0020: each looks like a plain space. */
const SPACES = '\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000'
/** Variation selectors: Mongolian (U+180B–U+180D, U+180F), U+FE00–U+FE0F, the supplement U+E0100–U+E01EF. */
const VARIATION = '[\\u180B-\\u180D\\u180F\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}]'
/**
 * A lone surrogate, half of a character whose other half is missing (with the `u` flag a range of
 * surrogates matches only unpaired ones): drawn as U+FFFD, written to UTF-8 as U+FFFD too, so a name
 * holding one is not the name that was stored (a given name, or a derived one cut between the halves).
 */
const LONE_SURROGATE = '\\uD800-\\uDFFF'
/**
 * Every hidden character (see HIDDEN_CHARS), as one group matching one code point. Unicode's
 * Default_Ignorable_Code_Point is named rather than listed, so the code points it reserves unassigned
 * (U+2065, U+FFF0–U+FFF8, U+E0000, U+E0002–U+E001F, U+E0080–U+E00FF, U+E01F0–U+E0FFF: drawn as nothing
 * now and once assigned) are hidden too, and a newer Unicode in the engine adds its own. The variation
 * selectors it holds are left to hiddenChars (variesItsBase).
 */
const CLASS = `(?:(?!${VARIATION})[\\p{Cc}\\p{Cf}\\p{Default_Ignorable_Code_Point}${SPACES}\\u2028\\u2029\\u2800${LONE_SURROGATE}])`

/**
 * Hidden characters, as one regular expression (flags `gu`; a CR+LF pair is one match so multi-line
 * text keeps it):
 * - control (Cc, and U+2028/U+2029): C0 and C1 controls, line and paragraph separators;
 * - invisible: format characters (Cf: bidi embeddings, overrides, isolates and marks, U+061C,
 *   zero-width U+200B–U+200D, U+2060…, U+FEFF, tags), every other default-ignorable code point, assigned
 *   or not, as they draw nothing (U+034F, U+17B4/U+17B5, the Hangul fillers U+115F, U+1160, U+3164,
 *   U+FFA0, U+2065, U+FFF0–U+FFF8, U+E0000–U+E0FFF), the braille blank U+2800 and lone surrogates
 *   (LONE_SURROGATE);
 * - space: every space separator but the plain space (U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F,
 *   U+3000): `admin ` and `admin` + U+3000 look the same.
 * Variation selectors (U+FE00–U+FE0F) are left alone: emoji use them.
 */
export const HIDDEN_CHARS = new RegExp(`\\r\\n|${CLASS}`, 'gu')

const ONE_VARIATION = new RegExp(`^${VARIATION}$`, 'u')
/** HIDDEN_CHARS and the variation selectors: what hiddenChars looks at. */
const HIDDEN_OR_VARIATION = new RegExp(`\\r\\n|${CLASS}|${VARIATION}`, 'gu')

/**
 * Whether the variation selector `vs` picks a form of the character before it, `base` (the code point
 * before, or ''), as it is made for: an emoji's text or picture form (U+FE0E/U+FE0F after an emoji, a
 * digit of a keycap), an ideograph's form (Japanese names: U+E0100… and U+FE00… after a CJK ideograph),
 * a Mongolian letter's form, a mathematical symbol's. Elsewhere (after `admin`) it draws nothing and
 * makes two names look the same, so it is hidden.
 */
function variesItsBase(vs: string, base: string): boolean {
  if (!base) return false
  const code = vs.codePointAt(0)!
  if (code <= 0x180f) return /\p{Script=Mongolian}/u.test(base)
  if (/\p{Ideographic}/u.test(base)) return true
  if (code === 0xfe0e || code === 0xfe0f) return /\p{Emoji}/u.test(base)
  return code === 0xfe00 && /\p{Sm}/u.test(base)
}

/** Is the match one the multi-line text (code, logs) keeps as it is: tab, newline or CR+LF. */
const KEPT_IN_MULTILINE = new Set(['\t', '\n', '\r\n'])

/**
 * The hidden characters of multi-line text (HIDDEN_CHARS but tab, newline and CR; one character a match): what
 * the code editor adds to its own marks (CodeMirror makes lines of the newlines itself).
 */
export const HIDDEN_IN_MULTILINE = new RegExp(`(?![\\t\\n\\r])${CLASS}`, 'u')

/** Names of the hidden characters people meet; others are named by their kind (hiddenCharName). */
const NAMES: Record<number, string> = {
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0xa0: 'NO-BREAK SPACE',
  0xad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x1680: 'OGHAM SPACE MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
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
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2800: 'BRAILLE PATTERN BLANK',
  0x3000: 'IDEOGRAPHIC SPACE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
}

const ONE_HIDDEN = new RegExp(`^${CLASS}$`, 'u')
const ONE_SPACE = new RegExp(`^[${SPACES}]$`, 'u')

/** The kind of one hidden character (a single code point), or null for a character drawn as itself. */
export function hiddenCharKind(ch: string): HiddenCharKind | null {
  if (/^[\p{Cc}\u2028\u2029]$/u.test(ch)) return 'control'
  if (ONE_SPACE.test(ch)) return 'space'
  return ONE_HIDDEN.test(ch) || ONE_VARIATION.test(ch) ? 'invisible' : null
}

/** `U+XXXX` (at least four hex digits, upper case) of the first code point of `ch`. */
export const codePointOf = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/** The character's Unicode name when it is in the table, else what it is (`control character`, `invisible character`, `space character`). */
export function hiddenCharName(ch: string): string {
  const code = ch.codePointAt(0)!
  const name = NAMES[code]
  if (name) return name
  if (code >= 0xd800 && code <= 0xdfff) return 'LONE SURROGATE (half of a character)'
  const kind = hiddenCharKind(ch)
  return kind === 'control' ? 'control character' : kind === 'space' ? 'space character' : 'invisible character'
}

/** One hidden character of a text: itself, `U+XXXX`, its name, its kind and where it is. */
export interface HiddenChar {
  char: string
  code: string
  name: string
  kind: HiddenCharKind
  /** 1-based, in characters (code points): what a message tells a person. */
  position: number
  /** 0-based UTF-16 index: where `text.slice` finds it. */
  index: number
}

/** An emoji (with its optional VS16 or skin tone) ending just before `at`, and one starting just after the joiner there. */
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?$/u
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u

/** The code point just before UTF-16 index `at` ('' at the start). */
const baseBefore = (text: string, at: number): string => {
  const before = text.slice(Math.max(0, at - 2), at)
  return before.length === 2 && /^[\uD800-\uDBFF][\uDC00-\uDFFF]$/.test(before) ? before : before.slice(-1)
}

/**
 * Whether the zero-width joiner at UTF-16 index `at` joins two emoji into one glyph (a family, a
 * rainbow flag): drawn as one picture, not hidden, so it is not reported.
 */
const joinsEmoji = (text: string, at: number): boolean =>
  EMOJI_BEFORE.test(text.slice(Math.max(0, at - 4), at)) && EMOJI_AFTER.test(text.slice(at + 1, at + 3))

/**
 * The hidden characters `pattern` (HIDDEN_OR_VARIATION, or NAME_REFUSED) finds in `text`, one at a
 * time and in order, as hiddenChars describes them; lazy, so a caller wanting the first stops there.
 */
function* eachHidden(text: string, pattern: RegExp, multiline: boolean): Generator<HiddenChar> {
  let at = 0 // UTF-16 index reached
  let position = 0 // code points before `at`
  for (const m of text.matchAll(pattern)) {
    if (multiline && KEPT_IN_MULTILINE.has(m[0])) continue
    if (m[0] === '\u200D' && joinsEmoji(text, m.index)) continue
    if (ONE_VARIATION.test(m[0]) && variesItsBase(m[0], baseBefore(text, m.index))) continue
    for (const _ of text.slice(at, m.index)) position++
    at = m.index
    for (const ch of m[0]) {
      position++
      yield { char: ch, code: codePointOf(ch), name: hiddenCharName(ch), kind: hiddenCharKind(ch)!, position, index: at }
      at += ch.length
    }
  }
}

/**
 * Each hidden character of `text`, in order (a zero-width joiner between two emoji is not one; a
 * variation selector is one unless it varies its base: variesItsBase). `multiline`: tab, newline and CR+LF are kept (code, logs),
 * not reported; otherwise a CR+LF is two characters.
 */
export function hiddenChars(text: string, { multiline = false }: { multiline?: boolean } = {}): HiddenChar[] {
  return [...eachHidden(text, HIDDEN_OR_VARIATION, multiline)]
}

/**
 * `text` with each hidden character (hiddenChars, with `options`) written as `⟨U+XXXX⟩`: how a plain
 * string shows text that holds them (the renderer's visibleText: a title, an aria-label) and how a
 * message names it (a Linkis label key refused). Plain text comes back unchanged.
 */
export function escapeHiddenChars(text: string, options: { multiline?: boolean } = {}): string {
  let out = ''
  let at = 0 // UTF-16 index copied up to
  for (const h of hiddenChars(text, options)) {
    out += `${text.slice(at, h.index)}⟨${h.code}⟩`
    at = h.index + h.char.length
  }
  return out + text.slice(at)
}

/**
 * `text` cut to at most `max` UTF-16 units, never between the two halves of a character (a cut there
 * leaves a lone surrogate, which nameCharProblem refuses): how a name made or kept from longer text is
 * shortened.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  const end = max > 0 && (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max
  return text.slice(0, end)
}

/** What a name may not hold: HIDDEN_OR_VARIATION but the look-alike spaces, which never match (a name of spaces costs nothing). */
const NAME_REFUSED = new RegExp(`(?![${SPACES}])(?:${CLASS}|${VARIATION})`, 'gu')

/**
 * What is wrong with a name's characters, or null: a name (of a user, job, script or folder, workflow,
 * graph, label) may hold no control or invisible character, since it would be drawn as something it is
 * not. The sentence names the first one: `contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4`
 * (1-based, in characters). Look-alike spaces (U+3000, U+00A0, …) pass: they are real text in many
 * languages, and every view marks them. Non-strings give null (the caller's type check answers them).
 * It stops at the first refused character, and skips spaces without describing them.
 */
export function nameCharProblem(name: unknown): string | null {
  if (typeof name !== 'string') return null
  const bad = eachHidden(name, NAME_REFUSED, false).next().value // the first only: a long name is not listed
  return bad ? `contains ${bad.code} ${bad.name} at position ${bad.position}` : null
}

/**
 * `text` made a name nameCharProblem passes, for a name JobDesk makes from text it was given rather
 * than one a person typed as a name (a job named by its code's first line, its files' paths, or the
 * older job it reruns): each refused control character (a tab) becomes a plain space, every other
 * refused character is dropped, the rest is kept as it is (look-alike spaces too, as in any name).
 */
export function nameFromText(text: string): string {
  let out = ''
  let at = 0 // UTF-16 index copied up to
  for (const bad of eachHidden(text, NAME_REFUSED, false)) {
    out += text.slice(at, bad.index) + (bad.kind === 'control' ? ' ' : '')
    at = bad.index + bad.char.length
  }
  return out + text.slice(at)
}

/**
 * `name` when nameCharProblem finds nothing in it; else throws AppError invalid `name_hidden_char`
 * naming `field`, its message `<field> contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4` (led by
 * the field's name, as a form's formError expects). The one
 * check every native way of creating or renaming a named thing makes (dialects wrap nameCharProblem
 * in their own envelopes).
 */
export function assertNameChars<T>(name: T, field: string): T {
  const problem = nameCharProblem(name)
  if (problem) throw invalid('name_hidden_char', `${field} ${problem}`, field)
  return name
}
