// Attack (atk23): SafeText marks Cf, Cc, the line separators and the Hangul fillers, so that "two
// different strings look the same" cannot happen (SafeText.tsx). Unicode's default-ignorable
// characters that are not Cf are still drawn as nothing: U+034F COMBINING GRAPHEME JOINER, U+17B4/
// U+17B5 (Khmer inherent vowels), U+180B–U+180D and U+180F (Mongolian variation selectors), the
// variation selectors supplement U+E0100–U+E01EF after a letter, and unassigned ignorables (U+2065,
// U+FFF0). A Linkis Token-User named 'admin\u034F' submits a job: the admin's Rerun question reads
// "This job was submitted by admin … runs as you (admin)". Expected: each is drawn as its escape.
import { describe, expect, it } from 'vitest'
import { visibleText } from '../../renderer/src/features/shell/SafeText'

describe('visibleText and default-ignorable characters', () => {
  it.each([
    ['U+034F', '\u034F'],
    ['U+17B4', '\u17B4'],
    ['U+180B', '\u180B'],
    ['U+E0100', '\u{E0100}'],
    ['U+2065', '\u2065'],
    ['U+FFF0', '\uFFF0'],
  ])('admin + %s is not drawn as "admin"', (code, ch) => {
    expect(visibleText(`admin${ch}`)).toBe(`admin⟨${code}⟩`)
  })
})
