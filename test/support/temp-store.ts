import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../../electron/store'

/** A real SQLite store in a fresh temp folder; `cleanup` closes it and removes the folder. */
export function tempStore(now?: () => number): { store: Store; dir: string; file: string; reopen(): Store; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-test-'))
  const file = join(dir, 'jobdesk.db')
  const opened: Store[] = [openStore(file, now)]
  return {
    store: opened[0],
    dir,
    file,
    reopen() {
      const s = openStore(file, now)
      opened.push(s)
      return s
    },
    cleanup() {
      for (const s of opened) if (s.db.open) s.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'jobdesk-test-'))
