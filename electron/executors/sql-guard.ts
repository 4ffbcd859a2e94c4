// What a SQL job may not do to the machine through its scratch database: reach another database
// file (ATTACH, which could open jobdesk.db itself), write a copy of the database anywhere
// (VACUUM INTO), load native code (load_extension), or change where and how SQLite writes (the
// pragmas in REFUSED_PRAGMAS: a job's temporary data stays in its process's memory, scratch-limit.ts).
//
// SQLite's authorizer (sqlite3_set_authorizer) and SQLITE_LIMIT_ATTACHED would be the natural
// tools, but better-sqlite3 exposes neither. So the guard reads what SQLite compiled rather than
// what the user typed: it prepares `EXPLAIN <statement>` and inspects the bytecode, where ATTACH is
// always a call of the internal sqlite_attach() function and VACUUM INTO a Vacuum opcode with an
// INTO operand, however the text is spelt, commented, cased or computed (`attach ('/x' || '.db')`).
// Pragmas are the exception: SQLite applies most of them while compiling (EXPLAIN included), so
// those refused are read from the text (sql-pragma.ts, as SQLite's tokenizer reads it) before any
// prepare; a pragma's name cannot be computed, so the text says all there is.
// Behind it: SQLite's load_extension() SQL function stays disabled (better-sqlite3 enables only the
// C API, which JobDesk never calls), and defensive mode (better-sqlite3's default; JobDesk never
// calls unsafeMode) keeps writable_schema and direct shadow-table writes off.

import type { Database, Statement } from 'better-sqlite3'
import { pragmaOf } from './sql-pragma'

/**
 * Pragmas a SQL job may not run, with why; `setOnly`: reading the value is fine, setting it is not.
 * SQLite applies these while it compiles them (even under EXPLAIN), so they are refused from the
 * statement's text (sql-pragma.ts), before it is prepared.
 */
const REFUSED_PRAGMAS: Record<string, { why: string; setOnly?: boolean }> = {
  // measured (better-sqlite3's SQLite 3.53.2): FILE sent a 400 MB ORDER BY to 397 MiB of unlinked
  // etilqs_* files in /tmp, past every bound (atk13); MEMORY, as limitScratch sets, keeps them in the
  // process, under its memory limit
  temp_store: { why: "a SQL job's temporary data (sorts, temporary tables) stays in its process's memory, under the SQL job memory limit" },
  // where temporary files go: '/dev/shm' put 1.2 GB of sort files in the machine's memory (atk13)
  temp_store_directory: { why: 'a SQL job cannot choose where SQLite writes files' },
  data_store_directory: { why: 'a SQL job cannot choose where SQLite writes files' }, // Windows builds only; refused everywhere alike
  // 0 (no checkpoints): 20 updates of a 20 MiB table grew the scratch database's WAL file to 393 MiB
  wal_autocheckpoint: { setOnly: true, why: "without checkpoints a scratch database's WAL file grows past every limit" },
  // OFF or MEMORY: a job stopped midway (cancel, timeout, memory limit kill the process) would leave the scratch database damaged
  journal_mode: { setOnly: true, why: 'a scratch database keeps its WAL journal, so that a job stopped midway leaves it sound' },
}

/** Why the PRAGMA statement `sql` may not run, or null when it is no PRAGMA or an allowed one. */
function pragmaRefusal(sql: string): string | null {
  const pragma = pragmaOf(sql)
  const rule = pragma && Object.hasOwn(REFUSED_PRAGMAS, pragma.name) ? REFUSED_PRAGMAS[pragma.name] : undefined
  if (!pragma || !rule || (rule.setOnly && !pragma.sets)) return null
  return `${rule.setOnly ? 'setting ' : ''}PRAGMA ${pragma.name} is not allowed: ${rule.why}`
}

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
 * `sql` (one statement) prepared on `db`, once it is known to be allowed. Throws an Error saying why
 * (naming what is refused) when it is a refused pragma (REFUSED_PRAGMAS: checked before SQLite
 * compiles it, which would apply it), or would attach a database, write one elsewhere or load an
 * extension; and SQLite's own error when it does not compile. A statement `EXPLAIN` cannot be put in
 * front of is let through only when it is itself an EXPLAIN (its columns say so): that only compiles
 * and runs nothing.
 */
export function prepareAllowed(db: Database, sql: string): Statement {
  const refused = pragmaRefusal(sql)
  if (refused) throw new Error(refused)
  const stmt = db.prepare(sql)
  assertCompiledAllowed(db, sql, stmt)
  return stmt
}

/** Throws an Error saying why when `stmt` (prepared from `sql`) would attach a database, write one elsewhere or load an extension. */
function assertCompiledAllowed(db: Database, sql: string, stmt: Statement): void {
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
