// The two shared judges of names (#9): nameCharProblem (which characters a new name may not hold, and
// how the refusal names them) and nameSkeleton (which names look the same to a reader).
import { describe, expect, it } from 'vitest'
import { nameCharProblem } from '../../shared/hidden-chars'
import { nameSkeleton } from '../../shared/lookalike-names'

describe('nameCharProblem', () => {
  it('names the first control or invisible character and its position in characters', () => {
    expect(nameCharProblem('adm\u202Ein')).toBe('contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4')
    expect(nameCharProblem('\u{1F600}\u200Bx')).toBe('contains U+200B ZERO WIDTH SPACE at position 2') // an emoji is one character
    expect(nameCharProblem('a\u0007')).toBe('contains U+0007 control character at position 2')
    expect(nameCharProblem('tag\u{E0041}')).toBe('contains U+E0041 invisible character at position 4')
    expect(nameCharProblem('x\u3164')).toBe('contains U+3164 HANGUL FILLER at position 2')
  })

  it('passes plain names, other scripts, emoji and look-alike spaces (marked where shown)', () => {
    for (const ok of ['weekly report', 'שלום', '東京\u3000大学', 'a\u00A0b', '❤️ team', 'naïve', 42]) expect(nameCharProblem(ok)).toBeNull()
  })
})

describe('nameSkeleton', () => {
  it('gives look-alike names one skeleton', () => {
    for (const alike of ['admin', 'ADMIN', '\u0430dmin', '\u0410DMIN', 'adrnin', '\uFF41\uFF44\uFF4D\uFF49\uFF4E', 'ad\u200Bmin', '\u03B1dmin', 'admln', 'adm1n', 'ADMIN', 'AdmIn']) expect(nameSkeleton(alike), alike).toBe(nameSkeleton('admin'))
    expect(nameSkeleton('a1ice')).toBe(nameSkeleton('alice'))
    expect(nameSkeleton('aIice')).toBe(nameSkeleton('alice')) // a capital I drawn as l (atk26)
    expect(nameSkeleton('Ian')).toBe(nameSkeleton('lan'))
    expect(nameSkeleton('b0b')).toBe(nameSkeleton('bob'))
    expect(nameSkeleton('\u0412\u041E\u0412')).toBe(nameSkeleton('bob')) // Cyrillic capitals В О В
    expect(nameSkeleton('vvill')).toBe(nameSkeleton('will'))
    // confusables.txt's d → cl (atk28), with l's look-alikes: cI, c1
    for (const alike of ['clave', 'cIave', 'c1ave', 'CLAVE']) expect(nameSkeleton(alike), alike).toBe(nameSkeleton('dave'))
    expect(nameSkeleton('rnoclern')).toBe(nameSkeleton('modem'))
  })

  it('keeps names apart that read differently', () => {
    for (const [a, b] of [['alice', 'alicia'], ['bob', 'rob'], ['admin', 'admins'], ['carol', 'karol'], ['ann', 'anne'], ['claude', 'dude'], ['clara', 'cara']]) expect(nameSkeleton(a), `${a}/${b}`).not.toBe(nameSkeleton(b))
  })
})
