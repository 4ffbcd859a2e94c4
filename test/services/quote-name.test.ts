// shared/upload-names.ts quoteName: a client's file name quoted in a sentence (a log line, an error
// message) must not break out of its quotes or its line, nor reorder the text a person reads.
import { describe, expect, it } from 'vitest'
import { notFoundMessage, quoteName } from '../../shared/upload-names'

describe('quoteName', () => {
  it('keeps a Windows path as typed: backslashes are not doubled', () => {
    expect(quoteName('C:\\data\\a.csv')).toBe('"C:\\data\\a.csv"')
  })

  it('escapes a double quote, so a name cannot close its quotes and go on as the sentence', () => {
    expect(notFoundMessage('path', 'a.csv" does not exist. Ask admin for "b')).toBe(
      'path "a.csv\\" does not exist. Ask admin for \\"b" does not exist in your upload folder',
    )
  })

  it('writes C0 and C1 controls, DEL, line and paragraph separators and bidi controls as \\uXXXX', () => {
    const odd = ['\u0000', '\n', '\u001f', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029', '\u200e', '\u200f', '\u061c']
    for (let c = 0x202a; c <= 0x202e; c++) odd.push(String.fromCharCode(c))
    for (let c = 0x2066; c <= 0x2069; c++) odd.push(String.fromCharCode(c))
    for (const c of odd) expect(quoteName(`x${c}y`), `U+${c.charCodeAt(0).toString(16)}`).toBe(`"x\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}y"`)
    expect(quoteName('x\u202etxt.exe')).toBe('"x\\u202etxt.exe"')
  })

  it('leaves other characters as they are', () => {
    expect(quoteName('データ é 🙂 a b.csv')).toBe('"データ é 🙂 a b.csv"')
  })
})
