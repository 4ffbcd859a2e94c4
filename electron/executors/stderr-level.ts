// What level a script's stderr line is logged at. Tools write far more than errors to stderr
// (Python's warnings and logging, pip, compilers, `set -x` traces, Linkis-style engines that log
// `INFO`/`ERROR` there), so a line is logged at the level it states; one that states none is
// plain stderr output, logged as INFO as Airflow logs a task's stderr (the job's failure, if any,
// has its own ERROR line from the engine, read from these lines by failure-headline.ts).
import type { LogLevel } from '../../shared/status'

/** Level words as loggers write them (log4j, Python logging, syslog, Go, Java's util.logging). */
const LEVEL_WORDS: Record<string, LogLevel> = {
  TRACE: 'INFO',
  DEBUG: 'INFO',
  INFO: 'INFO',
  NOTICE: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  FATAL: 'ERROR',
  CRITICAL: 'ERROR',
  SEVERE: 'ERROR',
}

/**
 * A level word at the head of a line, after an optional timestamp, thread or logger in brackets:
 * `2026-11-30 10:00:00.123 INFO [main] …`, `[2026-11-30T10:00:00Z] [WARN] …`, `WARNING:root:…`,
 * `E: …` is not one (too short to tell). Upper case only: "error" in a sentence is not a level.
 */
const HEAD_LEVEL = /^\s*(?:(?:[\d\-:.,/T+Z]+|\[[^\]]{0,60}\]|\([^)]{0,60}\)|[|-])\s*)*\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?(?=[\s:|\]-]|$)/
/** Warnings as tools print them: `warning: …`, `tar: warning: …`, `x.c:3:5: warning: …`, `s.py:2: DeprecationWarning: …`. */
const WARNING = /^\s*\[?\s*warn(?:ing)?\s*\]?\s*[:\-\]]|:\s*warn(?:ing)?\s*:|\b[A-Z]\w*Warning\s*:/i
/** Errors as tools print them: Python's traceback and exception line, `error: …`, `make: *** … Error 2`. */
const ERROR = /^Traceback \(most recent call last\)|^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Interrupt|Exit)\b\s*(?::|$)|^Exception in thread|\b(?:error|fatal)\s*:|\*\*\*.*\bError\b/i
/** A shell's `set -x` trace of the command it runs (`+ cmd`, `++ sub`): what ran, not a problem. */
const SHELL_TRACE = /^\++ /

/**
 * The level a stderr line states by itself, or null when it states none. Where a warning and an
 * error word both appear, the first one wins ("error: 3 warnings" is an error, "warning: error
 * handling is deprecated" a warning).
 */
export function statedLevel(line: string): LogLevel | null {
  if (SHELL_TRACE.test(line)) return 'INFO'
  const head = HEAD_LEVEL.exec(line)
  if (head) return LEVEL_WORDS[head[1]]
  const warning = WARNING.exec(line)
  const error = ERROR.exec(line)
  if (warning && error) return warning.index <= error.index ? 'WARN' : 'ERROR'
  return warning ? 'WARN' : error ? 'ERROR' : null
}

/** A stderr line's level and whether it is `plain`: it states none, nor is it under a line that does. */
export interface StderrLevel {
  level: LogLevel
  plain: boolean
}

/**
 * A per-stream classifier of stderr lines: the level a line states (statedLevel); an indented line
 * has the level of the line it is under (Python prints the offending source under a warning, the
 * frames under "Traceback"); any other line is plain output, INFO.
 */
export function stderrLevels(): (line: string) => StderrLevel {
  let above: LogLevel | null = null
  return (line) => {
    if (above && /^\s+\S/.test(line)) return { level: above, plain: false }
    above = statedLevel(line)
    return above ? { level: above, plain: false } : { level: 'INFO', plain: true }
  }
}
