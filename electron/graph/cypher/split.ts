// A script's statements: split at semicolons outside strings, backtick names and comments. Runs on
// the main thread (script jobs), so it is a small scanner rather than the parser, which loads in
// the query workers only.

/** The statements of a Cypher script, trimmed, without their semicolons; blank and comment-only ones dropped. */
export function splitCypher(code: string): string[] {
  const out: string[] = []
  let start = 0
  let quote = ''
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]
    if (quote) {
      if (ch === '\\' && quote !== '`') i++
      else if (ch === quote) quote = ''
      continue
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch
    else if (ch === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i)
      i = end < 0 ? code.length : end
    } else if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2)
      i = end < 0 ? code.length : end + 1
    } else if (ch === ';') {
      out.push(code.slice(start, i))
      start = i + 1
    }
  }
  out.push(code.slice(start))
  return out.map((s) => s.trim()).filter((s) => s.replace(/\/\/[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, '').trim() !== '')
}
