// Answer caps count the bytes a string takes in the JSON answer (#9 §2: a log of NUL bytes answered
// 22 MB against openLog's ~2 MB cap, each NUL written as `\u0000`). jsonEscapedLength must equal
// what JSON.stringify writes, in UTF-8 bytes, for every kind of character.
import { describe, expect, it } from 'vitest'
import { jsonEscapedLength } from '../../electron/json-bytes'

const written = (s: string) => Buffer.byteLength(JSON.stringify(s)) - 2

describe('jsonEscapedLength', () => {
  const tricky = [
    '',
    'plain ascii',
    '\u0000'.repeat(200),
    'quote " backslash \\ slash /',
    '\b\f\n\r\t\u000b\u001f\u007f',
    'é ß ü ǅ',
    '中文 日本語 \u0800 \uffff \ufeff',
    'emoji 😀 👩‍👩‍👧 𝄞',
    'lone high \ud800 x',
    'lone low \udc00',
    'ends high \udbff',
    'reversed \udc00\ud800',
    'line sep \u2028 para sep \u2029',
    '</script><!--',
    Array.from({ length: 0x800 }, (_, i) => String.fromCharCode(i)).join(''),
    Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join(''),
  ]
  it.each(tricky.map((s, i) => [i, s]))('string %i: the UTF-8 bytes JSON.stringify writes', (_i, s) => {
    expect(jsonEscapedLength(s)).toBe(written(s))
  })

  it('random strings of every code unit agree', () => {
    let seed = 42
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let n = 0; n < 500; n++) {
      const s = Array.from({ length: Math.floor(rand() * 40) }, () => String.fromCharCode(rand() < 0.5 ? Math.floor(rand() * 0x80) : Math.floor(rand() * 0x10000))).join('')
      expect(jsonEscapedLength(s)).toBe(written(s))
    }
  })
})
