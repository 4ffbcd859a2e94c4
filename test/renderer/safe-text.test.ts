// Another user's text drawn as itself (#9, Trojan Source CVE-2021-42574): every bidi control,
// zero-width or other format character and control becomes a visible escape, and plain text,
// including right-to-left letters and emoji, is left as it is.
import { describe, expect, it } from 'vitest'
import { codePointOf, nameCharProblem } from '../../shared/hidden-chars'
import { hasHiddenChars, textParts, visibleText } from '../../renderer/src/features/shell/SafeText'

describe('visibleText', () => {
  it('escapes each bidi embedding, override, isolate and mark', () => {
    const bidi = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C'
    expect(visibleText(`a${bidi}b`)).toBe('a⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩b')
  })

  it('escapes zero-width and other invisible characters', () => {
    expect(visibleText('a\u200Bdmin')).toBe('a⟨U+200B⟩dmin')
    expect(visibleText('\u200C\u200D\u2060\uFEFF\u00AD\u3164')).toBe('⟨U+200C⟩⟨U+200D⟩⟨U+2060⟩⟨U+FEFF⟩⟨U+00AD⟩⟨U+3164⟩')
    expect(visibleText('tag\u{E0041}')).toBe('tag⟨U+E0041⟩') // a Cf character beyond the BMP, one escape
  })

  it('escapes controls, keeping tab and newlines only in multi-line text', () => {
    expect(visibleText('a\tb\nc\r\nd\u0000\u0085\u2028')).toBe('a⟨U+0009⟩b⟨U+000A⟩c⟨U+000D⟩⟨U+000A⟩d⟨U+0000⟩⟨U+0085⟩⟨U+2028⟩')
    expect(visibleText('a\tb\nc\r\nd\re\u0007', { multiline: true })).toBe('a\tb\nc\r\nd⟨U+000D⟩e⟨U+0007⟩')
  })

  it('leaves plain text, right-to-left letters and emoji alone', () => {
    for (const plain of ['weekly totals', 'שלום עולם', 'مرحبا', 'naïve café', '日本語', '✅ done', '']) expect(visibleText(plain)).toBe(plain)
    expect(hasHiddenChars('שלום')).toBe(false)
    expect(hasHiddenChars('invoice-2026\u202Efdp.exe')).toBe(true)
  })

  it('leaves the zero-width joiner inside an emoji sequence alone, and marks it anywhere else', () => {
    // family, rainbow flag, woman technologist with a skin tone: one glyph each, joined by U+200D
    for (const emoji of ['\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}']) {
      expect(visibleText(`done ${emoji}`)).toBe(`done ${emoji}`)
    }
    expect(visibleText('ad\u200Dmin')).toBe('ad⟨U+200D⟩min')
    expect(visibleText('\u{1F468}\u200Dx')).toBe('\u{1F468}⟨U+200D⟩x') // an emoji on one side only
    expect(visibleText('\u200D\u{1F469}')).toBe('⟨U+200D⟩\u{1F469}')
  })

  it('leaves a variation selector that picks its base’s form alone, and marks one after a letter', () => {
    // a red heart, a keycap, a Japanese name's ideograph variant (IVS), a Mongolian letter's form
    for (const varied of ['\u2764\uFE0F', '1\uFE0F\u20E3', '\u845B\u{E0100}', '\u1820\u180B', '\u2229\uFE00']) expect(visibleText(varied)).toBe(varied)
    expect(visibleText('admin\uFE0F')).toBe('admin⟨U+FE0F⟩')
    expect(visibleText('\uFE0Fadmin')).toBe('⟨U+FE0F⟩admin')
    expect(visibleText('a\u{E0100}')).toBe('a⟨U+E0100⟩')
  })
})

describe('textParts', () => {
  it('splits text into plain runs and named hidden characters, in order', () => {
    expect(textParts("'\u202E;DROP'")).toEqual([
      { text: "'" },
      { hidden: '\u202E', code: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { text: ";DROP'" },
    ])
    expect(textParts('')).toEqual([])
  })
})

describe('characters that look like a space', () => {
  // `admin ` and `admin` + U+3000 must not look the same to the admin reading a list of names
  it('escapes every space but the plain one, and the blank-looking letters', () => {
    const spaces = '\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000'
    expect(visibleText(`admin${spaces}`)).toBe(`admin${[...spaces].map((c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`).join('')}`)
    expect(visibleText('a\u115Fb\u1160c\uFFA0d\u2800e\u3164')).toBe('a⟨U+115F⟩b⟨U+1160⟩c⟨U+FFA0⟩d⟨U+2800⟩e⟨U+3164⟩')
    expect(visibleText('admin\u3000', { multiline: true })).toBe('admin⟨U+3000⟩')
    expect(visibleText('plain words stay')).toBe('plain words stay')
    expect(textParts('a\u3000')).toEqual([{ text: 'a' }, { hidden: '\u3000', code: 'U+3000', name: 'IDEOGRAPHIC SPACE' }])
  })
})

describe('the renderer and the name rule agree on default-ignorable code points', () => {
  // Every code point Unicode says is drawn as nothing (Default_Ignorable_Code_Point, assigned or not),
  // after a letter: marked by SafeText and refused in a name, both from shared/hidden-chars.ts.
  const ignorables: string[] = []
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const ch = String.fromCodePoint(cp)
    if (/\p{Default_Ignorable_Code_Point}/u.test(ch)) ignorables.push(ch)
  }

  it('marks each after a letter in text, and refuses each in a name', () => {
    expect(ignorables.length).toBeGreaterThan(4000) // U+E0000–U+E0FFF alone is 4,096
    const unmarked = ignorables.filter((ch) => visibleText(`a${ch}`) === `a${ch}`).map(codePointOf)
    const allowed = ignorables.filter((ch) => nameCharProblem(`a${ch}`) === null).map(codePointOf)
    expect({ unmarked, allowed }).toEqual({ unmarked: [], allowed: [] })
  })

  it('still leaves a joiner between emoji and a selector varying its base unmarked, in text and names alike', () => {
    for (const drawn of ['\u{1F468}\u200D\u{1F469}', '\u2764\uFE0F', '\u845B\u{E0100}', '\u1820\u180B']) {
      expect(visibleText(drawn)).toBe(drawn)
      expect(nameCharProblem(drawn)).toBeNull()
    }
  })
})
