// A log leaving as text (native download, Linkis log answers) holds no control character a terminal
// obeys and no line break inside one stored line (CWE-150, CWE-117): shared/log-text.ts writes each visibly.
import { describe, expect, it } from 'vitest'
import { logFileLine, visibleLogText } from '../../shared/log-text'

describe('visibleLogText', () => {
  it('writes ESC, BEL, NUL, DEL and C1 controls as \\xHH, CR and LF as \\r and \\n, U+2028/2029 as \\u; keeps tab', () => {
    expect(visibleLogText('\u001b[1A\u001b[2Kok\u001b]52;c;eA==\u0007')).toBe('\\x1b[1A\\x1b[2Kok\\x1b]52;c;eA==\\x07')
    expect(visibleLogText('a\r\nb\u0000\u007f\u009b\u0085')).toBe('a\\r\\nb\\x00\\x7f\\x9b\\x85')
    expect(visibleLogText('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z')
    for (const keep of ['tab\there', 'C:\\Users\\x', 'emoji 😀 中文', '']) expect(visibleLogText(keep)).toBe(keep)
  })

  it('writes bidi embeddings, overrides, isolates and marks as \\u, so an editor cannot reorder the line (Trojan Source)', () => {
    expect(visibleLogText('invoice-2026\u202Efdp.exe')).toBe('invoice-2026\\u202efdp.exe')
    expect(visibleLogText('\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C')).toBe('\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c')
    for (const keep of ['שלום עולם', 'مرحبا']) expect(visibleLogText(keep)).toBe(keep) // right-to-left letters are text
  })
})

describe('logFileLine', () => {
  it('is one line of the file for one stored line, its task name escaped too', () => {
    const line = logFileLine({ time: Date.UTC(2026, 0, 1), level: 'ERROR', task: 'a\nb', text: 'no such table: x\n2026-01-01T00:00:00.000Z INFO  [main] ok' })
    expect(line).toBe('2026-01-01T00:00:00.000Z ERROR [a\\nb] no such table: x\\n2026-01-01T00:00:00.000Z INFO  [main] ok\n')
    expect(line.split('\n')).toHaveLength(2)
  })
})
