// How many bytes a string takes in a JSON answer. Caps on what is stored or answered count this, not
// characters: a NUL is one character and six bytes as sent (`\u0000`), so a log of control characters
// kept to a cap in characters answered six times it (#9 §2).

/** A character JSON.stringify writes as more than its UTF-8 bytes: `"`, `\`, a control character, a surrogate (paired or not). */
const MAY_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/

/**
 * The bytes `s` takes as a JSON string in an answer, without its two quotes: the UTF-8 length of
 * `JSON.stringify(s).slice(1, -1)`, found without building it. `"` and `\` and the control characters
 * \b \f \n \r \t take 2, the other control characters 6 (`\u0000`), a lone surrogate 6 (`\ud800`, as
 * well-formed JSON.stringify writes it), others their UTF-8 bytes. Text with nothing to escape (most
 * lines) is counted natively; other text in one pass (~2 ns a character: every line of a flood).
 */
export function jsonEscapedLength(s: string): number {
  if (!MAY_ESCAPE.test(s)) return Buffer.byteLength(s)
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) {
      if (c >= 0x20) bytes += c === 0x22 || c === 0x5c ? 2 : 1
      else bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6
    } else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else if (c >= 0xd800 && c <= 0xdfff) bytes += 6
    else bytes += 3
  }
  return bytes
}
