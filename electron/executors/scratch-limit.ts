// How big a user's scratch database (what their SQL jobs run on, user-file-names.ts scratchFileOf)
// may grow. SQL jobs need no right, and a CREATE TABLE grew a scratch database to 300 MiB in 2 s
// (#9, attack-sql-disk-fill); SQLite bounds a database in pages (PRAGMA max_page_count), and the
// statement that would pass it fails with SQLITE_FULL, rolled back.

import { statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Database } from 'better-sqlite3'
import { formatSize } from '../../shared/number-format'

/**
 * Bytes a user's scratch database holds at most: 256 MiB; a job's temporary tables (the `temp`
 * schema, a file of its own while the job runs) are held to the same.
 */
export const MAX_SCRATCH_BYTES = 256 * 1024 * 1024

/**
 * The resident memory a SQL job's child process may reach (bytes: 1 GiB); its watchdog kills it past
 * that (child-process.ts dieWithParent), and the job fails naming the limit (sql.ts). SQLite's native
 * memory counts against no V8 heap limit, and better-sqlite3's SQLite ignores PRAGMA hard_heap_limit
 * (built without memory statistics): one `SELECT * FROM` a view that names views expands every copy
 * (#9 §1, atk12: ~55 MB per chain of doubling views, GBs for a few dozen). It also bounds the job's
 * temporary data, which limitScratch keeps in memory (sorts that spill, temporary tables: atk13).
 */
export const SQL_JOB_MEMORY_BYTES = 1024 * 1024 * 1024

/** Below this much free space, a full scratch database is blamed on the disk rather than its limit. */
const DISK_NEARLY_FULL_BYTES = 64 * 1024 * 1024

/**
 * Holds `db` (a scratch database connection) to MAX_SCRATCH_BYTES, in pages of its page size, for
 * its main and temp schemas, and keeps its temporary data in memory (temp_store = MEMORY, first: set
 * later it would drop the temp schema and its limit). Call it before every statement of a script: a
 * statement may have set max_page_count itself (`PRAGMA max_page_count = …` is plain SQL), or changed
 * the page size (`PRAGMA page_size` with VACUUM, outside WAL mode), and it holds only on this
 * connection. (Setting temp_store to the value it has is a no-op in SQLite; sql-guard.ts refuses the
 * pragma in a job anyway.)
 *
 * Why memory: SQLite's temporary files (the sorter's spill of an ORDER BY, GROUP BY, DISTINCT, window
 * or CREATE INDEX; materialised views and CTEs; statement journals; VACUUM's copy; the temp schema)
 * are unlinked as they open, in the system's temp folder, where no max_page_count, no disk reserve
 * and no memory watchdog sees them: a 400 MB ORDER BY wrote 397 MiB of them, a VACUUM 293 MiB (atk13).
 * With temp_store = MEMORY (better-sqlite3 builds with SQLITE_TEMP_STORE=1, so the pragma decides)
 * SQLite opens none of them (measured, 3.53.2: 0 bytes of open unlinked files for each of those, where
 * FILE had 84-293 MiB); they are the job process's memory, which its watchdog holds to
 * SQL_JOB_MEMORY_BYTES (the 400 MB sort: 445 MiB resident), and the temp schema still to
 * MAX_SCRATCH_BYTES. This holds alike on Linux, macOS and Windows: it is SQLite's own choice of
 * storage, and the watchdog reads the process's resident memory (process.memoryUsage.rss) everywhere.
 */
export function limitScratch(db: Database): void {
  db.pragma('temp_store = MEMORY')
  for (const schema of ['main', 'temp']) {
    const pageSize = db.pragma(`${schema}.page_size`, { simple: true }) as number
    db.pragma(`${schema}.max_page_count = ${Math.floor(MAX_SCRATCH_BYTES / pageSize)}`)
  }
}

/**
 * What to tell the user of a statement that failed on their scratch database `file`: SQLite's
 * SQLITE_FULL in words that name the limit (or the disk, when that is what is full); any other
 * error's own message.
 */
export function scratchFailureText(e: unknown, file: string): string {
  const message = (e as Error).message
  if ((e as { code?: unknown }).code !== 'SQLITE_FULL') return message
  if (freeBytes(file) < DISK_NEARLY_FULL_BYTES) return `the data folder's disk is full (${message})`
  return `the scratch database limit of ${formatSize(MAX_SCRATCH_BYTES)} reached: a user's scratch database (and a job's temporary tables) holds at most ${formatSize(MAX_SCRATCH_BYTES)}; drop tables you no longer need (${message})`
}

function freeBytes(file: string): number {
  try {
    const s = statfsSync(dirname(file))
    return s.bavail * s.bsize
  } catch {
    return Infinity // cannot tell: the limit is the likelier cause
  }
}
