// The free space JobDesk keeps on its data folder's disk: once less is free, new jobs, uploads, new
// workflow versions (workflow-room.ts) and saved scripts that grow are refused (503 unavailable, naming
// the reserve) rather than accepted to fail later, when SQLite can no
// longer commit anyone's sign-in, submit or job end (#9, attack-sql-disk-fill). Per-user quotas
// (shared/quotas.ts) bound what one user takes; this bounds what all of them and everything else
// on the disk leave. A helper below services and graph, like keyed-counts.ts.
import { statfsSync } from 'node:fs'
import { AppError } from '../shared/errors'
import { formatSize } from '../shared/number-format'

/** Bytes kept free on the data folder's disk by default: 512 MiB. */
export const DISK_RESERVE_BYTES = 512 * 1024 * 1024

/** How long a reading of the free space is trusted, in ms: a submit or a chunk costs no system call. */
const READ_MS = 2000

interface Reading {
  free: number
  at: number
}

/** data folder → the reserve it keeps (setDiskReserve; DISK_RESERVE_BYTES unless set) and its last reading. */
const reserves = new Map<string, number>()
const readings = new Map<string, Reading>()

/** Sets the reserve of `dataDir`'s disk (the app, from its start options). */
export function setDiskReserve(dataDir: string, bytes: number): void {
  reserves.set(dataDir, bytes)
  readings.delete(dataDir)
}

/** Bytes free to an unprivileged writer on `dataDir`'s disk, read at most every READ_MS; Infinity when it cannot be read. */
function freeBytes(dataDir: string, now: number): number {
  const kept = readings.get(dataDir)
  if (kept && now - kept.at < READ_MS) return kept.free
  let free = Infinity // a disk that cannot be read refuses nothing: its writes will say what is wrong
  try {
    const s = statfsSync(dataDir)
    free = s.bavail * s.bsize
  } catch {
    // the folder is gone or the call is unsupported
  }
  readings.set(dataDir, { free, at: now })
  return free
}

/**
 * Throws AppError unavailable (disk_nearly_full, 503) when `dataDir`'s disk has less free than its
 * reserve; `what` names what is refused ("new jobs", "uploads").
 */
export function assertDiskRoom(dataDir: string, what: string, now = Date.now()): void {
  const reserve = reserves.get(dataDir) ?? DISK_RESERVE_BYTES
  const free = freeBytes(dataDir, now)
  if (free >= reserve) return
  throw new AppError(
    'unavailable',
    'disk_nearly_full',
    `the data folder's disk has ${formatSize(free)} free, less than the ${formatSize(reserve)} JobDesk keeps in reserve: ${what} are refused until an admin frees space`,
  )
}
