// The Rill Flow stack on a database file, in this process: what a test restarts by closing it and
// opening the same file again.
import { Engine } from '../../../electron/engine/engine'
import { ExecutorRegistry } from '../../../electron/engine/executor'
import { openStore, type Store } from '../../../electron/store'
import { createRillFlow } from '../../../electron/workflows/rillflow'

/** The store, engine and Rill Flow service on database `file`, as the app wires them (callbacks to a closed port). */
export function openRill(file: string) {
  const store = openStore(file)
  storeTestAdmin(store)
  const rill = createRillFlow(store, () => 'http://127.0.0.1:1')
  const engine = new Engine({ store, executors: new ExecutorRegistry(rill.executors), driverFor: rill.driverFor })
  return { store, engine, workflows: rill.service(engine) }
}

/**
 * Stores the admin these tests submit as (`{ username: 'test', isAdmin: true }`), once per database:
 * where a task's HTTP calls may go is decided by its submitter's stored role when it runs
 * (outgoing-http.ts), and a name no user has is no admin's.
 */
export function storeTestAdmin(store: Store): void {
  if (!store.users.findByUsername('test')) store.users.create({ username: 'test', passwordHash: 'unused', isAdmin: true, mustChangePassword: false })
}
