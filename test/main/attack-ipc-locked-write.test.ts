// Attack on "lockwait" (#9 §2): the main thread's connection now waits only 50 ms for the write lock
// (BUSY_TIMEOUT_MS, was 5 s); HTTP handlers make up for it by retrying for 3 s (http/busy-retry.ts),
// but the desktop window's IPC transport (electron/main/ipc.ts registerIpc) runs the same operations
// with no retry. A lock held a fraction of a second by another connection (the SQL executor's worker
// writing a result batch into jobdesk.db, a backup, a sqlite3 shell) now fails a window's write (a
// preference saved, a script submitted from the editor) with database_locked, where the same call over HTTP succeeds.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IPC_INVOKE } from '../../shared/ipc'
import { makeEngine } from '../support/engine'
import { tempStore } from '../support/temp-store'

// Electron cannot run here: the module is replaced by a factory, so the real one is never loaded.
const handlers = new Map<string, (...args: unknown[]) => unknown>()
vi.mock('electron', () => ({ ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn) } }))

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** The desktop's operations on a temp data dir, registered on the mocked ipcMain as the app does. */
async function desktop() {
    const { ipcMain } = await import('electron')
    const { registerIpc } = await import('../../electron/main/ipc')
    const { createAuthService } = await import('../../electron/services/auth.service')
    const { createJobsService } = await import('../../electron/services/jobs.service')
    const { createHandlers } = await import('../../electron/services/operations')
    const { createExporter } = await import('../../electron/services/export/exporter')
    const t = tempStore()
    const engine = makeEngine(t.store)
    const auth = createAuthService(t.store)
    await auth.ensureDefaultAdmin()
    const { createRillFlow } = await import('../../electron/workflows/rillflow')
    const workflows = createRillFlow(t.store, () => '').service(engine)
    const { createUsersService } = await import('../../electron/services/users.service')
    const { createGraphService } = await import('../../electron/graph/graph.service')
    const { GraphHost } = await import('../../electron/graph/worker/graph-host')
    const host = new GraphHost(t.dir)
    const graph = createGraphService({ dataDir: t.dir, host, engine, store: t.store }) // workers start on first use
    const { createAlgorithmService } = await import('../../electron/graph/algorithms/algorithm.service')
    const algorithms = createAlgorithmService({ dataDir: t.dir, engine, store: t.store, graphs: host })
    const jobs = createJobsService(t.store, engine, createExporter(t.file, t.store.results))
    const { createGraphWorkflowService } = await import('../../electron/services/graph-workflows.service')
    const graphWorkflows = createGraphWorkflowService({ engine, store: t.store, jobs, algorithms, graphs: host })
    const ops = createHandlers({ auth, users: createUsersService(t.store), jobs, workflows, graph, algorithms, accessKeys: (await import('../../electron/services/access-keys')).createAccessKeys(t.store, t.dir), graphWorkflows, store: t.store, scratchRoot: join(t.dir, 'scratch'), version: 'test', startedAt: Date.now() })
    registerIpc(ipcMain, ops, () => t.store.users.findByUsername('admin')!)
    cleanup = () => {
      void host.close()
      t.cleanup()
    }
    return { t, invoke: handlers.get(IPC_INVOKE)! }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a window\'s write while another connection holds the write lock for 300 ms', () => {
  it('waits for it and succeeds, as the same call over HTTP does', async () => {
    const { t, invoke } = await desktop()
    const other = new Database(t.file)
    try {
      other.exec('BEGIN IMMEDIATE')
      const released = sleep(300).then(() => other.exec('COMMIT'))
      const answer = (await invoke({}, 'preferences.set', { notifyJobEnds: false })) as { ok: boolean; error?: unknown }
      await released
      // fails: { ok: false, error: { kind: 'unavailable', code: 'database_locked', ... } } after 50 ms
      expect(answer.error).toBeUndefined()
      expect(answer).toMatchObject({ ok: true })
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK')
      other.close()
    }
  })
})
