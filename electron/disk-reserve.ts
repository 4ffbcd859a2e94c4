// The free space JobDesk keeps on its data folder's disk: once less is free, new jobs, uploads, new
// workflow versions (workflow-room.ts), saved scripts that grow and graph writes (graph/graph-room.ts) are refused (503 unavailable, naming
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
 * The refusal assertDiskRoom throws, or undefined while `dataDir`'s disk has its reserve free: an
 * AppError unavailable (disk_nearly_full, 503) whose message names the free space, the reserve and
 * `what` is refused ("new jobs", "uploads"). Cheap enough per statement: one statfs every READ_MS.
 */
export function diskRoomRefusal(dataDir: string, what: string, now = Date.now()): AppError | undefined {
  const reserve = diskReserveOf(dataDir)
  const free = freeBytes(dataDir, now)
  if (free >= reserve) return undefined
  return diskNearlyFull(`the data folder's disk has ${formatSize(free)} free, less than the ${formatSize(reserve)} JobDesk keeps in reserve: ${what} are refused until an admin frees space`)
}

/** The disk_nearly_full error (unavailable, 503) with diskRoomRefusal's `message`: how a worker thread, told the message, throws it. */
export const diskNearlyFull = (message: string): AppError => new AppError('unavailable', 'disk_nearly_full', message)

/** The reserve `dataDir`'s disk keeps (setDiskReserve), in bytes: what a worker thread is told to keep. */
export const diskReserveOf = (dataDir: string): number => reserves.get(dataDir) ?? DISK_RESERVE_BYTES

/** Throws diskRoomRefusal(dataDir, what) when there is one. */
export function assertDiskRoom(dataDir: string, what: string, now = Date.now()): void {
  const refusal = diskRoomRefusal(dataDir, what, now)
  if (refusal) throw refusal
}
