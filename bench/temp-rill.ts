// The Rill Flow stack of the in-process parts (redo, widejob): on a store in a fresh temp folder, wired
// as the app wires it (test/workflows/support/open-rill.ts), stopped and removed after.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRill } from '../test/workflows/support/open-rill'

/** Runs `work` with the stack on a fresh store; stops its engine, closes the store and removes the folder, whether `work` resolves or throws. */
export async function withTempRill<T>(work: (rill: ReturnType<typeof openRill>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const rill = openRill(join(dir, 'jobdesk.db'))
  try {
    return await work(rill)
  } finally {
    await rill.engine.stop()
    rill.store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
