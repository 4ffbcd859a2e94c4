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
 * (#9 §1, atk12: ~55 MB per chain of doubling views, GBs for a few dozen).
 */
export const SQL_JOB_MEMORY_BYTES = 1024 * 1024 * 1024

/** Below this much free space, a full scratch database is blamed on the disk rather than its limit. */
const DISK_NEARLY_FULL_BYTES = 64 * 1024 * 1024

/**
 * Holds `db` (a scratch database connection) to MAX_SCRATCH_BYTES, in pages of its page size, for
 * its main and temp schemas. Call it before every statement of a script: a statement may have set
 * max_page_count itself (`PRAGMA max_page_count = …` is plain SQL), or changed the page size
 * (`PRAGMA page_size` with VACUUM, outside WAL mode), and it holds only on this connection.
 */
export function limitScratch(db: Database): void {
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
