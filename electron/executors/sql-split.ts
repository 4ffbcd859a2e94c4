/**
 * Splits SQL text into statements at top-level semicolons, leaving those inside quotes,
 * identifiers and comments alone. Each statement keeps the line it starts on, for errors.
 * (A CREATE TRIGGER body with inner semicolons is not supported.)
 */
export function splitStatements(sql: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = []
  let start = 0
  let line = 1
  let startLine = 1
  let i = 0
  const push = (end: number) => {
    const text = sql.slice(start, end).trim()
    if (text && !/^(--[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(text)) out.push({ text, line: startLine + leadingLines(sql.slice(start, end)) })
  }
  while (i < sql.length) {
    const c = sql[i]
    if (c === '\n') line++
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c
      i++
      while (i < sql.length && sql[i] !== close) {
        if (sql[i] === '\n') line++
        i++
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
      continue
    } else if (c === '/' && sql[i + 1] === '*') {
      i += 2
      while (i < sql.length && !(sql[i] === '*' && sql[i + 1] === '/')) {
        if (sql[i] === '\n') line++
        i++
      }
      i++
    } else if (c === ';') {
      push(i)
      start = i + 1
      startLine = line
    }
    i++
  }
  push(sql.length)
  return out
}

/** Blank lines before a statement's first token, so its reported line is where it really starts. */
function leadingLines(text: string): number {
  const m = /^\s*/.exec(text)![0]
  return (m.match(/\n/g) ?? []).length
}
