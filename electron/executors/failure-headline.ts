// Why a script failed, in one line: the last error it printed and, where the language says,
// the line of the script (Python's traceback, sh's "line N"), not just "exit code 1".

const KEEP_LINES = 30
const MAX_TEXT = 300

/** The last lines a script wrote to stderr (bounded), to explain its failure. */
export class StderrTail {
  private readonly kept: string[] = []

  push(line: string): void {
    this.kept.push(line.length > 2000 ? line.slice(0, 2000) : line)
    if (this.kept.length > KEEP_LINES) this.kept.shift()
  }

  lines(): readonly string[] {
    return this.kept
  }
}

export interface Headline {
  /** The error as the script's interpreter put it ("ZeroDivisionError: division by zero"). */
  text: string
  /** The line of the script it points at, 1-based. */
  line?: number
}

/**
 * Reads a failed script's last stderr lines. Python: the exception line that ends the last
 * traceback, and the innermost frame in the script file (`scriptFile`'s base name). Shell: the
 * last line, with dash's `sh: 3: …` and bash's `sh: line 3: …` turned into a line number.
 * Null when nothing useful was printed.
 */
export function readHeadline(language: string, stderr: readonly string[], scriptFile = 'script.py'): Headline | null {
  const lines = stderr.map((l) => l.trimEnd()).filter((l) => l.trim())
  if (!lines.length) return null
  if (language === 'python') return pythonHeadline(lines, scriptFile)
  const last = lines[lines.length - 1]
  const sh = /^(?:\S*\/)?(?:sh|bash|dash|zsh)(?:: line|:) (\d+): (.+)$/.exec(last)
  if (sh) return { text: clip(sh[2]), line: Number(sh[1]) }
  return { text: clip(last) }
}

function pythonHeadline(lines: string[], scriptFile: string): Headline {
  // The exception is the last line that is not part of a frame (frames and source are indented).
  const error = [...lines].reverse().find((l) => !/^\s/.test(l) && !l.startsWith('Traceback ')) ?? lines[lines.length - 1]
  let line: number | undefined
  const frame = new RegExp(`^\\s*File "(?:[^"]*[\\\\/])?${escapeRegExp(scriptFile)}", line (\\d+)`)
  for (const l of lines) {
    const m = frame.exec(l)
    if (m) line = Number(m[1])
  }
  return line === undefined ? { text: clip(error) } : { text: clip(error), line }
}

/** The failure message of a script: `ZeroDivisionError: division by zero (line 3); exit code 1`. */
export function failureMessage(headline: Headline | null, why: string): string {
  if (!headline) return `script failed: ${why}`
  return `${headline.text}${headline.line === undefined ? '' : ` (line ${headline.line})`}; ${why}`
}

const clip = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s.trim())
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
