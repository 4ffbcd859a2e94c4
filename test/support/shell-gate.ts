import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A gate a shell job waits at until the test opens it, for a job that must still be at a given
 * point when the test looks or acts, whatever the machine's speed (a `sleep 4` could end before a
 * slow machine showed the page that looks at it; a faster one ends work a size was picked to keep
 * going). `wait` is shell code that loops, every 20 ms, until the file `name` in `dir` (a folder
 * the job's process can read) exists; `open()` creates it; `opened()` tells whether it was.
 */
export function shellGate(dir: string, name: string): { wait: string; open(): void; opened(): boolean } {
  const file = join(dir, name)
  return {
    wait: `while [ ! -e '${file}' ]; do sleep 0.02; done`,
    open: () => writeFileSync(file, ''),
    opened: () => existsSync(file),
  }
}
