// Completion in the Graph page's Cypher editor: after `:` the graph's labels, after `x.` its
// properties, after CALL the procedures (dbms.procedures), else Cypher's keywords and functions.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete'

/** What the editor completes from: the chosen graph's schema and the server's procedures. */
export interface CompletionSchema {
  vertexLabels: string[]
  edgeLabels: string[]
  properties: string[]
  procedures: string[]
}

export const EMPTY_SCHEMA: CompletionSchema = { vertexLabels: [], edgeLabels: [], properties: [], procedures: [] }

const KEYWORDS = [
  'MATCH', 'OPTIONAL MATCH', 'WHERE', 'RETURN', 'DISTINCT', 'AS', 'WITH', 'UNWIND', 'ORDER BY', 'ASC', 'DESC', 'SKIP', 'LIMIT',
  'CREATE', 'SET', 'REMOVE', 'DELETE', 'DETACH DELETE', 'MERGE', 'ON CREATE SET', 'ON MATCH SET', 'CALL', 'YIELD', 'UNION', 'UNION ALL',
  'AND', 'OR', 'XOR', 'NOT', 'IN', 'IS NULL', 'IS NOT NULL', 'STARTS WITH', 'ENDS WITH', 'CONTAINS', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
  'EXPLAIN', 'true', 'false', 'null',
]
const FUNCTIONS = [
  'id', 'euid', 'label', 'labels', 'type', 'properties', 'keys', 'startNode', 'endNode', 'nodes', 'relationships', 'length', 'size', 'head',
  'last', 'tail', 'reverse', 'range', 'coalesce', 'toInteger', 'toFloat', 'toString', 'toBoolean', 'abs', 'ceil', 'floor', 'round', 'sign',
  'sqrt', 'exp', 'log', 'log10', 'rand', 'substring', 'left', 'right', 'toUpper', 'toLower', 'trim', 'replace', 'split', 'concat', 'exists',
  'timestamp', 'count', 'sum', 'avg', 'min', 'max', 'collect', 'stDev', 'percentileCont', 'percentileDisc', 'shortestPath', 'allShortestPaths',
]

export type CompletionKind = 'label' | 'relationship' | 'property' | 'procedure' | 'word'

/**
 * What to complete at the end of `before` (the text up to the cursor), and the word typed so far.
 * Null inside a string or a comment. Labels: `(n:Pe`, `(:`; relationship types: `[r:KN`, `[:`;
 * properties: `n.na`, `{na` in a map after a label; procedures: `CALL db.ver`.
 */
export function completionAt(before: string): { kind: CompletionKind; word: string } | null {
  const line = before.slice(before.lastIndexOf('\n') + 1)
  if (/\/\//.test(line.replace(/'[^']*'|"[^"]*"/g, ''))) return null
  if (((before.match(/'/g)?.length ?? 0) % 2) + ((before.match(/"/g)?.length ?? 0) % 2) > 0) return null
  const call = /\bCALL\s+([A-Za-z_][\w.]*)?$/i.exec(before)
  if (call) return { kind: 'procedure', word: call[1] ?? '' }
  const open = innermostBracket(before)
  const label = /:\s*([A-Za-z_]\w*)?$/.exec(before) ?? (open === '[' ? /\|\s*([A-Za-z_]\w*)?$/.exec(before) : null)
  if (label && (open === '(' || open === '[')) return { kind: open === '[' ? 'relationship' : 'label', word: label[1] ?? '' }
  const prop = /[A-Za-z_]\w*\.([A-Za-z_]\w*)?$/.exec(before) ?? (open === '{' ? /[{,]\s*([A-Za-z_]\w*)?$/.exec(before) : null)
  if (prop) return { kind: 'property', word: prop[1] ?? '' }
  const word = /([A-Za-z_]\w*)$/.exec(before)
  return word ? { kind: 'word', word: word[1] } : null
}

/** The innermost bracket still open at the end of `text` (strings skipped), or null. */
function innermostBracket(text: string): string | null {
  const stack: string[] = []
  let quote: string | null = null
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch)
    else if (ch === ')' || ch === ']' || ch === '}') stack.pop()
  }
  return stack.at(-1) ?? null
}

/** The options for `kind` from the schema (not yet filtered by the word: CodeMirror does that). */
export function completionOptions(kind: CompletionKind, schema: CompletionSchema): { label: string; type: string; detail?: string }[] {
  switch (kind) {
    case 'label':
      return schema.vertexLabels.map((l) => ({ label: l, type: 'type', detail: 'vertex label' }))
    case 'relationship':
      return schema.edgeLabels.map((l) => ({ label: l, type: 'type', detail: 'edge label' }))
    case 'property':
      return schema.properties.map((p) => ({ label: p, type: 'property' }))
    case 'procedure':
      return schema.procedures.map((p) => ({ label: p, type: 'function', detail: 'procedure' }))
    case 'word':
      return [
        ...KEYWORDS.map((k) => ({ label: k, type: 'keyword' })),
        ...FUNCTIONS.map((f) => ({ label: f, type: 'function' })),
        ...schema.vertexLabels.map((l) => ({ label: l, type: 'type', detail: 'vertex label' })),
        ...schema.edgeLabels.map((l) => ({ label: l, type: 'type', detail: 'edge label' })),
      ]
  }
}

/** A CodeMirror completion source over the schema `read()` returns when asked. */
export function cypherCompletion(read: () => CompletionSchema) {
  return (context: CompletionContext): CompletionResult | null => {
    const at = completionAt(context.state.sliceDoc(0, context.pos))
    // Labels, properties and procedures pop up as you type; keywords only on Ctrl+Space (so Enter stays a new line).
    if (!at || (at.kind === 'word' && !context.explicit)) return null
    const options = completionOptions(at.kind, read())
    if (options.length === 0) return null
    return { from: context.pos - at.word.length, options, validFor: at.kind === 'procedure' ? /^[\w.]*$/ : /^\w*$/ }
  }
}
