// TuGraph's check_file md5 is hashed in a worker thread that the main thread terminates when the
// client hangs up (upload-files.ts fileMd5). A terminated worker runs no `finally`, so its closeSync
// of the file never runs: the descriptor must still not stay open in the process (Node closes what
// the worker opened when it ends), or each hang-up would leak one until the process ran out.
import { mkdirSync, openSync, closeSync, ftruncateSync, readdirSync, readlinkSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { fileMd5 } from '../../electron/graph/upload-files'
import { tempDir } from '../support/temp-store'

/** How many of this process's file descriptors are open on `file`. */
function openOn(file: string): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++
    } catch {
      // closed meanwhile (readdir's own descriptor)
    }
  }
  return n
}

it.runIf(process.platform === 'linux')('a check whose client hung up leaves no descriptor of the file open', async () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'upload_files/alice'), { recursive: true })
  const file = join(dir, 'upload_files/alice/big.bin')
  const fd = openSync(file, 'w')
  ftruncateSync(fd, 32 * 2 ** 30) // 32 GiB of holes: minutes of hashing, on no disk
  closeSync(fd)
  const real = realpathSync(file)
  /** Waits (up to 5 s) until no descriptor is open on the file: a terminated worker's is closed as it ends. */
  const allClosed = async () => {
    const t0 = Date.now()
    while (openOn(real) > 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50))
    return openOn(real)
  }
  for (let i = 0; i < 2; i++) {
    // the last check's worker may still be ending: counting its descriptor as this check's was a race
    expect(await allClosed()).toBe(0)
    const hangUp = new AbortController()
    const check = fileMd5(dir, 'alice', 'big.bin', hangUp.signal)
    const t0 = Date.now()
    while (openOn(real) === 0 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20)) // the worker is reading it
    expect(openOn(real)).toBe(1)
    hangUp.abort(new Error('client gone'))
    await expect(check).rejects.toThrow('client gone')
  }
  expect(await allClosed()).toBe(0)
}, 120_000)
