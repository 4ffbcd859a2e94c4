// Whether a Cypher statement surely writes a graph's data or its labels, told from its text alone: for the
// main thread, which has no parser (it loads in query workers only, cypher/engine.ts), to refuse a write
// into a graph an import holds without running it (GraphHost.runCypher parses it in a query worker first:
// a syntax error wins). Run, a CREATE waited for a cold worker, 5.1 s at load 13 (6.3 s at load 7-12, #9),
// and a write procedure for the import's package lock too (1.1-12 s at load 14-19). Never says yes of a
// statement that does not write: what it misses the engine refuses as before (execute.ts, procedures.ts).

/** Comments, string literals and `quoted` names: their words are not clauses. */
const LITERALS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*"|`[^`]*`/g

/**
 * A write clause as it opens, in the shape only that clause has. Its keyword after `.` `:` `$` or a name's
 * character is a property key, a label or a type, and before `:` a map's key. An unquoted variable may
 * have a clause's name (`UNWIND l AS delete RETURN delete` runs as a read), so a keyword after what
 * continues an expression (AS, WITH, RETURN, WHERE, BY, an operator, `(` `[` `,`…) is a name, never a
 * clause: a clause follows the end of another (a name, `)`, `]`, `}`, a number, DETACH, ON, `|`, `{`). Then:
 * CREATE/MERGE a pattern `(` or a named path `p =`; SET `n.p =`, `n =`, `n +=`, `n:Label`; REMOVE `n.p`,
 * `n:Label`; DELETE (DETACH DELETE) a name or an expression in brackets; FOREACH `(`.
 */
const WRITE_CLAUSE =
  /(?<![\w.:$])(?<![([,=<>+\-*/%^:!~]\s*)(?<!\b(?:AS|WITH|RETURN|WHERE|AND|OR|XOR|NOT|IN|BY|UNWIND|DISTINCT|CASE|WHEN|THEN|ELSE|IS|SKIP|LIMIT|YIELD|CONTAINS|STARTS|ENDS)\s+)(?:(?:CREATE|MERGE)\b\s*(?:\(|[A-Za-z_]\w*\s*=)|SET\s+[A-Za-z_]\w*\s*(?:\.|\+?=|:)|REMOVE\s+[A-Za-z_]\w*\s*[.:]|DELETE\b\s*[A-Za-z_(]|FOREACH\b\s*\()/i

/** EXPLAIN plans a statement and runs nothing of it (PROFILE runs it). */
const EXPLAIN_ONLY = /^\s*EXPLAIN\b/i

/**
 * The procedures the engine refuses on a graph an import holds (procedures.ts: those that change
 * existing labels or indexes, drop the data, or upsert it), lower case. Not the ones that add a label
 * (db.createVertexLabel, db.createEdgeLabel, db.createLabel) or checkpoint (db.flushDB): they run
 * beside an import. dbms.graph.deleteGraph names its graph in an argument: GraphHost plans a statement
 * that callsDeleteGraph to learn it, and refuses it then.
 * busy-graph-procedure-list.test.ts holds this list to what the engine does.
 */
export const PROCEDURES_REFUSED_WHILE_IMPORTING: ReadonlySet<string> = new Set([
  'db.deletelabel',
  'db.alterlabeldelfields',
  'db.alterlabeladdfields',
  'db.alterlabelmodfields',
  'db.addindex',
  'db.deleteindex',
  'db.addedgeindex',
  'db.deleteedgeindex',
  'db.dropdb',
  'db.upsertvertex',
  'db.upsertedge',
])

/** CALL of a procedure by its dotted name, as a clause (not a key, label or name's end), not followed by more of the name. */
const CALL = /(?<![\w.:$])CALL\s+([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)\b(?!\s*\.)/gi

/** `script` with comments gone, strings emptied and quoted names a plain name: what is left is clauses and names. */
const bareWords = (script: string): string => script.replace(LITERALS, (m) => (m.startsWith('`') ? '_q' : m.startsWith('/') ? ' ' : "''"))

/**
 * Whether `script` (one Cypher statement, TuGraph's dialect) surely has a clause that writes data: CREATE,
 * MERGE, SET, REMOVE, DELETE or FOREACH, outside comments, strings and quoted names, and is not only
 * EXPLAINed. False when unsure; procedures are surelyRefusedWhileImporting's.
 */
export function surelyWritesData(script: string): boolean {
  const words = bareWords(script)
  return !EXPLAIN_ONLY.test(words) && WRITE_CLAUSE.test(words)
}

/**
 * Whether the engine surely refuses `script` (one statement) on a graph an import holds: it writes data
 * (surelyWritesData) or CALLs one of PROCEDURES_REFUSED_WHILE_IMPORTING (any case; a quoted name is left
 * to the engine), and is not only EXPLAINed. Says nothing of its syntax: GraphHost parses it first.
 */
export function surelyRefusedWhileImporting(script: string): boolean {
  const words = bareWords(script)
  if (EXPLAIN_ONLY.test(words)) return false
  return WRITE_CLAUSE.test(words) || [...words.matchAll(CALL)].some(([, name]) => PROCEDURES_REFUSED_WHILE_IMPORTING.has(name.replace(/\s+/g, '').toLowerCase()))
}

/**
 * Whether `script` may CALL dbms.graph.deleteGraph (any case, as a clause outside comments and strings), and is not only EXPLAINed:
 * GraphHost plans it first to learn which graph it drops (a quoted name is left to the engine, which refuses it at run).
 */
export function callsDeleteGraph(script: string): boolean {
  const words = bareWords(script)
  return !EXPLAIN_ONLY.test(words) && [...words.matchAll(CALL)].some(([, name]) => name.replace(/\s+/g, '').toLowerCase() === 'dbms.graph.deletegraph')
}
