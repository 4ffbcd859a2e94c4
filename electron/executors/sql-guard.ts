// What a SQL job may not do to the machine through its scratch database: reach another database
// file (ATTACH, which could open jobdesk.db itself), write a copy of the database anywhere
// (VACUUM INTO), or load native code (load_extension).
//
// SQLite's authorizer (sqlite3_set_authorizer) and SQLITE_LIMIT_ATTACHED would be the natural
// tools, but better-sqlite3 exposes neither. So the guard reads what SQLite compiled rather than
// what the user typed: it prepares `EXPLAIN <statement>` and inspects the bytecode, where ATTACH is
// always a call of the internal sqlite_attach() function and VACUUM INTO a Vacuum opcode with an
// INTO operand, however the text is spelt, commented, cased or computed (`attach ('/x' || '.db')`).
// Behind it: SQLite's load_extension() SQL function stays disabled (better-sqlite3 enables only the
// C API, which JobDesk never calls), and defensive mode (better-sqlite3's default; JobDesk never
// calls unsafeMode) keeps writable_schema and direct shadow-table writes off.

import type { Database, Statement } from 'better-sqlite3'

interface Op {
  opcode: string
  p2: number
  p4: string | null
}

/** Why the statement may not run, or null when it may. */
function refusal(program: Op[]): string | null {
  for (const op of program) {
    const fn = typeof op.p4 === 'string' ? op.p4 : ''
    if (/Func/.test(op.opcode) && fn.startsWith('sqlite_attach(')) return 'ATTACH is not allowed: a SQL job works only in its own scratch database'
    if (/Func/.test(op.opcode) && fn.startsWith('load_extension(')) return 'load_extension() is not allowed: SQL jobs cannot load native code'
    if (op.opcode === 'Vacuum' && op.p2 !== 0) return 'VACUUM INTO is not allowed: a SQL job cannot write database files outside its scratch database'
  }
  return null
}

const EXPLAIN_COLUMNS = ['addr,opcode,p1,p2,p3,p4,p5,comment', 'id,parent,notused,detail']

/**
 * Throws an Error saying why when `stmt` (one statement of `sql`) would attach a database, write one
 * elsewhere or load an extension. A statement `EXPLAIN` cannot be put in front of is let through only
 * when it is itself an EXPLAIN (its columns say so): that only compiles and runs nothing.
 */
export function assertAllowed(db: Database, sql: string, stmt: Statement): void {
  let program: Op[]
  try {
    program = db.prepare(`EXPLAIN ${sql}`).all() as Op[]
  } catch (e) {
    if (stmt.reader && EXPLAIN_COLUMNS.includes(stmt.columns().map((c) => c.name).join(','))) return
    throw new Error(`this statement cannot be checked before it runs, so it does not run: ${(e as Error).message}`)
  }
  const why = refusal(program)
  if (why) throw new Error(why)
}
