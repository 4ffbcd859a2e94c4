// A graph's own SQLite file, `<data>/graphs/<name>.db`: opening it and bringing its layout up to
// date. Its layout is versioned on its own (PRAGMA user_version), apart from jobdesk.db's.
//
//   meta (key, value)                 format marker, next_vid, description, max_size_gb, created_at, file_id
//   labels (kind, id, tbl, name, def, count)
//                                     kind 'vertex' | 'edge'; id: 0-based creation index per kind (what
//                                     clients see as label_id); tbl: the table number (never reused);
//                                     def: the label definition (JSON); count: rows, kept per commit
//   vertices (vid, label_id)          every vertex: the vid space shared by all vertex labels
//   v_<tbl> (vid, p0, p1, …)          one table per vertex label, a typed column per property
//   e_<tbl> (src, dst, tid, eid, p0, …) WITHOUT ROWID, key (src, tid, dst, eid): out-edges by src
//   e_<tbl>_in (dst, tid, src, eid)   WITHOUT ROWID: in-edges by dst (a table, so bulk loads fill it in order)
//   import_tasks (task_id, …)         per import task: where it stands, its report (resume by task id)
//   import_task_files (task_id, idx, path, bytes, report)
//                                     per file of an import task: its fingerprint and report entry, so a
//                                     package's commit writes its own file's row, not every file's
//
// Versions: 1 kept in-edges in an index e_<tbl>_in of e_<tbl>; 2 makes it a table (migrated in place);
// 3 drops in-adjacency rows of edges deleted before deletes kept the two tables in step. 4 keeps an
// import task's files in rows of their own (records of older versions keep them inline and are read as they are).
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { GRAPH_LOCK_WAIT_MS } from '../errors'
import { inTableDdl } from './label-tables'

export type GraphConnection = Database.Database

const FORMAT = 'jobdesk-graph'
/** Page size of new graph files, in bytes. */
const PAGE_SIZE = 16_384
/**
 * Bytes of write-ahead log a graph file keeps (journal_size_limit): SQLite's own checkpoint mark at
 * 16 KiB pages (1000 pages), so the log of everyday writes is never cut and grown again; only one
 * grown past it by a large write is cut back.
 */
export const GRAPH_KEEP_LOG_BYTES = 1000 * PAGE_SIZE

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
const MIGRATIONS: readonly (string | ((db: GraphConnection) => void))[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE labels (
     kind TEXT NOT NULL CHECK (kind IN ('vertex', 'edge')),
     id INTEGER NOT NULL,
     tbl INTEGER NOT NULL UNIQUE,
     name TEXT NOT NULL,
     def TEXT NOT NULL,
     count INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (kind, id),
     UNIQUE (kind, name)
   );
   CREATE TABLE vertices (vid INTEGER PRIMARY KEY, label_id INTEGER NOT NULL);
   CREATE TABLE import_tasks (
     task_id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     position INTEGER NOT NULL,
     files TEXT NOT NULL,
     report TEXT NOT NULL,
     final_report TEXT,
     updated_at INTEGER NOT NULL
   );`,
  // 2: each edge label's in-adjacency index becomes a table of the same name and key.
  (db) => {
    const edges = db.prepare<[], { tbl: number }>("SELECT tbl FROM labels WHERE kind = 'edge'").all()
    for (const { tbl } of edges) {
      const t = `e_${tbl}`
      db.exec(`DROP INDEX IF EXISTS ${t}_in; ${inTableDdl(t)}; INSERT INTO ${t}_in SELECT dst, tid, src, eid FROM ${t} ORDER BY dst, tid, src, eid`)
    }
  },
  // 3: Cypher's DELETE of an edge and DETACH DELETE left the edge's row in e_<tbl>_in (in-edge
  // counts and reads of labels without properties still saw it): those rows go.
  (db) => {
    const edges = db.prepare<[], { tbl: number }>("SELECT tbl FROM labels WHERE kind = 'edge'").all()
    for (const { tbl } of edges) {
      const t = `e_${tbl}`
      db.exec(`DELETE FROM ${t}_in WHERE NOT EXISTS (SELECT 1 FROM ${t} e WHERE e.src = ${t}_in.src AND e.tid = ${t}_in.tid AND e.dst = ${t}_in.dst AND e.eid = ${t}_in.eid)`)
    }
  },
  // 4: an import task's files, one row each (import-record.ts): a commit rewrote every file's entry.
  `CREATE TABLE IF NOT EXISTS import_task_files (
     task_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     path TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     report TEXT NOT NULL,
     PRIMARY KEY (task_id, idx)
   ) WITHOUT ROWID;`,
]

export interface GraphFileOptions {
  /** Create the file if it does not exist (else a missing file is an error). */
  create?: boolean
  description?: string
  maxSizeGb?: number
  /** Who created the graph (graph-rights.ts); a graph without one is the admin's. */
  owner?: string
  /** SQLite page cache for this connection, in MiB (imports use more). */
  cacheMb?: number
}

/**
 * Opens a graph file (WAL, synchronous=NORMAL: a commit survives a process crash) and migrates it.
 * Throws if the file is missing and `create` is not set, or if it is not a JobDesk graph file.
 */
export function openGraphFile(file: string, options: GraphFileOptions = {}): GraphConnection {
  const isNew = !existsSync(file)
  if (isNew && !options.create) throw new Error(`graph file ${file} does not exist`)
  if (isNew) mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  try {
    // 16 KiB pages (SQLite's default is 4): an import package dirties most leaf pages of the edge
    // tables, and bigger pages halve what its commit and checkpoint cost (fewer WAL frames, writes,
    // checksums). Only a new file can take it: the page size is fixed once the file has content.
    if (isNew) db.pragma(`page_size = ${PAGE_SIZE}`)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // without it the log keeps the size of its largest write for as long as a connection is open
    db.pragma(`journal_size_limit = ${GRAPH_KEEP_LOG_BYTES}`)
    db.pragma(`busy_timeout = ${GRAPH_LOCK_WAIT_MS}`) // an import commits a package at a time; others wait their turn
    db.pragma(`cache_size = ${-1024 * (options.cacheMb ?? 16)}`)
    db.pragma('temp_store = MEMORY')
    migrate(db)
    if (isNew) {
      const put = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
      db.transaction(() => {
        put.run('format', FORMAT)
        put.run('next_vid', '0')
        put.run('description', options.description ?? '')
        put.run('max_size_gb', String(options.maxSizeGb ?? 0))
        put.run('created_at', String(Date.now()))
        put.run('file_id', randomUUID()) // tells this file from one made later under the same name (graphFileIdentity)
        if (options.owner) put.run('owner', options.owner)
      })()
    }
    const format = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'format'").get()
    if (format?.value !== FORMAT) throw new Error(`${file} is not a JobDesk graph file`)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}

/**
 * After a write that rolled back: cuts the graph's log file (`<file>-wal`) to nothing when it is past
 * GRAPH_KEEP_LOG_BYTES. A write that rolls back commits nothing, so journal_size_limit would cut the
 * pages it spilled there only at the next commit that starts the log over. Waits for no one: while
 * another connection reads or writes, the log stays until then. Does nothing inside a transaction.
 */
export function cutBackLogAfterRollback(db: GraphConnection, file: string): void {
  if (db.inTransaction || logFileBytes(file) <= GRAPH_KEEP_LOG_BYTES) return
  const wait = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 0')
  try {
    db.pragma('wal_checkpoint(TRUNCATE)') // busy (another connection's reader or writer) is a row, not an error
  } finally {
    db.pragma(`busy_timeout = ${wait}`)
  }
}

function logFileBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size
  } catch {
    return 0 // no log file
  }
}

function migrate(db: GraphConnection): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) throw new Error(`graph file version ${current} is newer than this JobDesk (${MIGRATIONS.length})`)
  if (current === MIGRATIONS.length) return
  // IMMEDIATE (GraphDb.addLabels says why), and the version read again under the lock: another
  // worker opening the same file may have migrated it since the read above
  db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number
    for (let v = from; v < MIGRATIONS.length; v++) {
      const m = MIGRATIONS[v]
      if (typeof m === 'string') db.exec(m)
      else m(db)
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}

/**
 * Which graph file is at `file` now: the id it was made with (its `created_at` for files made before
 * ids were kept), or undefined when there is none. A graph dropped and made anew under the same name
 * has another (an inode number may be reused at once). Opens the file read-only for a moment.
 */
export function graphFileIdentity(file: string): string | undefined {
  let db: GraphConnection | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const rows = db.prepare<[], { key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('file_id', 'created_at')").all()
    const of = (key: string) => rows.find((r) => r.key === key)?.value
    return of('file_id') ?? of('created_at')
  } catch {
    return undefined // gone, or not (yet) a graph file
  } finally {
    db?.close()
  }
}
