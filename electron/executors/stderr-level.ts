// What level a script's stderr line is logged at: tools write warnings to stderr as well as errors
// (Python's warnings module, compilers, pip, shell tools), and a warning is not a failure.
import type { LogLevel } from '../../shared/status'

/**
 * Lines that say they are warnings: `WARNING: …`, `[WARN] …`, `prog: warning: …`, `file.c:3:5: warning: …`,
 * Python's `file.py:3: DeprecationWarning: …`. A line that also says error/fatal first stays an error.
 */
const WARNING = /^\s*\[?\s*warn(?:ing)?\s*\]?\s*[:\-\]]|:\s*warn(?:ing)?\s*:|\b[A-Z]\w*Warning\s*:/i
const ERRORISH = /\b(?:error|fatal|exception|traceback)\b/i

/**
 * A per-stream classifier of stderr lines: WARN for warning lines and the indented lines that follow
 * one (Python prints the offending source line under a warning), ERROR otherwise.
 */
export function stderrLevels(): (line: string) => Extract<LogLevel, 'WARN' | 'ERROR'> {
  let inWarning = false
  return (line) => {
    const match = WARNING.exec(line)
    if (match && !ERRORISH.test(line.slice(0, match.index))) {
      inWarning = true
      return 'WARN'
    }
    if (inWarning && /^\s+\S/.test(line)) return 'WARN'
    inWarning = false
    return 'ERROR'
  }
}
