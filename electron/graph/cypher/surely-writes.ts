// Whether a Cypher statement surely writes a graph's data, told from its text alone: for the main
// thread, which has no parser (it loads in query workers only, cypher/engine.ts), to refuse a write into a
// graph an import holds before the statement waits for a query worker. A cold worker (spawned, parser
// loaded) took 5.1 s at load 13 to refuse a CREATE during an import with graph_busy (6.3 s at load 7-12,
// #9); a queue of other users' statements can be as long. Never says yes of a statement that does not
// write: what it misses the engine refuses as before (execute.ts, procedures.ts), only later.

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
 * Whether `script` (one Cypher statement, TuGraph's dialect) surely has a clause that writes data: CREATE,
 * MERGE, SET, REMOVE, DELETE or FOREACH, outside comments, strings and quoted names, and is not only
 * EXPLAINed. False when unsure (a write procedure such as db.upsertVertex is left to the engine too).
 */
export function surelyWritesData(script: string): boolean {
  const words = script.replace(LITERALS, (m) => (m.startsWith('`') ? '_q' : m.startsWith('/') ? ' ' : "''"))
  return !EXPLAIN_ONLY.test(words) && WRITE_CLAUSE.test(words)
}
