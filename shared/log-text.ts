// A log as text for a file or a terminal (the native download `logs/text`, Linkis's entrance log and
// openLog): stored log lines keep what the job wrote, byte for byte (the page's log view draws control
// characters as boxes); text leaving as a file is made inert here, in one place.
//
// Form (as journald and C/JS string literals write them): a line feed is `\n`, a carriage return `\r`,
// every other C0 control but tab, DEL and C1 control `\xHH` (ESC → `\x1b`, BEL → `\x07`, CSI → `\x9b`),
// the Unicode line and paragraph separators `\u2028`, `\u2029`, and the bidi embeddings, overrides,
// isolates and marks (`\u202e`: an editor would reorder the line around them, Trojan Source). A
// backslash stays as it is (paths stay readable), so the form is for reading, not for decoding back.
import type { LogLine } from './model'

/** C0 controls but tab, DEL, C1 controls, U+2028/U+2029 (line breaks to some viewers), bidi controls. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g

const escapeOf = (c: string): string => {
  if (c === '\n') return '\\n'
  if (c === '\r') return '\\r'
  const code = c.charCodeAt(0)
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`
}

/**
 * A stored log line's text (or a task name in it) as one line of a log file: no control character a
 * terminal obeys (ESC sequences, CR, BEL, OSC 52 to set the clipboard: CWE-150) and no line break that
 * would make one stored line look like two (a forged engine line, CWE-117), each written visibly in the
 * form above. Tab is kept. Text without such characters is returned as it is.
 */
export const visibleLogText = (text: string): string => text.replace(CONTROL, escapeOf)

/**
 * One stored line as a line of a downloaded log file (native `logs/text`, the Jobs page's Download):
 * `2026-01-01T00:00:00.000Z INFO  [task] text` and a line feed; the task name and the text by visibleLogText.
 */
export const logFileLine = (l: Pick<LogLine, 'time' | 'level' | 'task' | 'text'>): string =>
  `${new Date(l.time).toISOString()} ${l.level.padEnd(5)} ${l.task ? `[${visibleLogText(l.task)}] ` : ''}${visibleLogText(l.text)}\n`
