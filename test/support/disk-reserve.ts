// The disk reserve (electron/disk-reserve.ts) as tests reach it without filling a disk: set past the
// free space statfs reads on any test machine, for a whole app or for a while.
import { DISK_RESERVE_BYTES, setDiskReserve } from '../../electron/disk-reserve'

/** A reserve past any test disk's free space: an exbibyte (bytes). */
export const PAST_ANY_DISK = 2 ** 60

/**
 * Runs `fn` with data folder `dir`'s reserve at PAST_ANY_DISK (its disk is then "nearly full"), then
 * sets it back to DISK_RESERVE_BYTES, whether `fn` resolves or throws; answers what `fn` resolved with.
 */
export async function atDiskReserve<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  setDiskReserve(dir, PAST_ANY_DISK)
  try {
    return await fn()
  } finally {
    setDiskReserve(dir, DISK_RESERVE_BYTES)
  }
}
