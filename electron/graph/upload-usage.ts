// How many bytes a user's uploaded files take, for the upload quota (shared/quotas.ts
// MAX_UPLOAD_BYTES_PER_USER). Files count at their size, holes included: a chunk written far out
// (TuGraph's uploads may come in any order) makes a file that big, and it may fill in later. Walking a
// folder of thousands of files for every chunk would be slow, so a measurement is kept MEASURE_MS,
// with the growth of the chunks accepted since added to it; a delete forgets it.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { userUploadDir } from './upload-paths'

/** How long a measured folder's size is trusted (plus the growth noted since), in ms. */
const MEASURE_MS = 5000

interface Usage {
  /** Bytes of the files when measured, plus what accepted chunks added since. */
  bytes: number
  at: number
}

/** upload folder → its usage. */
const usages = new Map<string, Usage>()

/**
 * Measures the user's upload folder unless a measurement younger than MEASURE_MS is kept; then
 * `usedBytes` and `noteGrowth` answer at once (call them with no await in between, so that chunks
 * arriving together each see the others' growth).
 */
export async function measureUploads(dataDir: string, user: string): Promise<void> {
  const dir = userUploadDir(dataDir, user)
  const kept = usages.get(dir)
  if (kept && Date.now() - kept.at < MEASURE_MS) return
  const bytes = await folderBytes(dir)
  // a chunk accepted but not yet written while this walked is missed: at most a few chunks' growth, until the next measurement
  usages.set(dir, { bytes, at: Date.now() })
}

/** Bytes the user's uploads take, as last measured plus the growth noted since (0 before any measurement). */
export function usedBytes(dataDir: string, user: string): number {
  return usages.get(userUploadDir(dataDir, user))?.bytes ?? 0
}

/** Counts `bytes` more for the user's uploads (a chunk accepted that makes a file longer). */
export function noteGrowth(dataDir: string, user: string, bytes: number): void {
  const usage = usages.get(userUploadDir(dataDir, user))
  if (usage) usage.bytes += bytes
}

/** Forgets the measurement of the user's uploads (a file or the folder deleted), or of everyone's without `user`. */
export function forgetUploads(dataDir: string, user?: string): void {
  if (user === undefined) usages.clear()
  else usages.delete(userUploadDir(dataDir, user))
}

/** Sum of the sizes of the files under `dir` (symbolic links and other non-files not counted); 0 when it does not exist. */
async function folderBytes(dir: string): Promise<number> {
  let bytes = 0
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.isDirectory()) bytes += await folderBytes(path)
    else if (e.isFile()) bytes += (await stat(path).catch(() => undefined))?.size ?? 0
  }
  return bytes
}
