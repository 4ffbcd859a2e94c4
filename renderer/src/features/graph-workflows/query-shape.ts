// What a Query component's Cypher asks for and gives, read from its text as NebulaGraph Explorer's
// "Parse Parameter" button does: the `$name` parameters it uses and the columns its last RETURN
// names, so the settings can offer them as parameters and output anchors. A light scan, not the
// engine's grammar (which lives in the graph worker): strings and comments are skipped and
// brackets counted, which is all it takes to find the parameters and split the RETURN items.

import { ANCHOR_NAME } from '../../../../shared/graph-workflows'

export interface QueryShape {
  /** `$name` parameters in the order they first appear. */
  params: string[]
  /** An anchor name per column of the last RETURN (its alias, or its expression made a name); null when there is no RETURN or it returns `*`. */
  outputs: string[] | null
}

/** The query with string literals and comments blanked out (same length, so offsets hold). */
function blankStringsAndComments(query: string): string {
  let out = ''
  for (let i = 0; i < query.length; ) {
    const c = query[i]
    if (c === "'" || c === '"') {
      let j = i + 1
      while (j < query.length && query[j] !== c) j += query[j] === '\\' ? 2 : 1
      out += c + ' '.repeat(Math.max(0, Math.min(j, query.length) - i - 1)) + (j < query.length ? c : '')
      i = j + 1
    } else if (c === '/' && query[i + 1] === '/') {
      const end = query.indexOf('\n', i)
      const j = end < 0 ? query.length : end
      out += ' '.repeat(j - i)
      i = j
    } else if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2)
      const j = end < 0 ? query.length : end + 2
      out += ' '.repeat(j - i)
      i = j
    } else {
      out += c
      i++
    }
  }
  return out
}

/** Splits at commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') depth--
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** An anchor name for a returned expression: `a.id` → a_id, `count(*)` → count; never empty. */
function anchorName(text: string, at: number): string {
  const name = text
    .replace(/`/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
  if (name === '') return `output${at}`
  return /^[0-9]/.test(name) ? `_${name}`.slice(0, 64) : name
}

/** The parameters and output columns of `query` (see QueryShape). Never throws. */
export function queryShape(query: string): QueryShape {
  const blank = blankStringsAndComments(query)
  const params: string[] = []
  for (const m of blank.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) if (!params.includes(m[1])) params.push(m[1])
  const returns = [...blank.matchAll(/\bRETURN\b/gi)]
  if (returns.length === 0) return { params, outputs: null }
  const last = returns[returns.length - 1]
  let body = blank.slice(last.index! + last[0].length)
  const tail = /\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b/i.exec(body)
  if (tail) body = body.slice(0, tail.index)
  body = body.replace(/^\s*DISTINCT\b/i, '')
  const items = splitTopLevel(body)
  if (items.length === 0 || items.some((i) => i === '*')) return { params, outputs: null }
  const outputs: string[] = []
  items.forEach((item, i) => {
    const alias = /\bAS\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*$/i.exec(item)
    let name = anchorName(alias ? alias[1] : item, i)
    if (!ANCHOR_NAME.test(name)) name = `output${i}`
    let unique = name
    for (let n = 2; outputs.includes(unique); n++) unique = `${name.slice(0, 60)}_${n}`
    outputs.push(unique)
  })
  return { params, outputs }
}
