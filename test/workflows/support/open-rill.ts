// The Rill Flow stack on a database file, in this process: what a test restarts by closing it and
// opening the same file again.
import { Engine } from '../../../electron/engine/engine'
import { ExecutorRegistry } from '../../../electron/engine/executor'
import { openStore } from '../../../electron/store'
import { createRillFlow } from '../../../electron/workflows/rillflow'

/** The store, engine and Rill Flow service on database `file`, as the app wires them (callbacks to a closed port). */
export function openRill(file: string) {
  const store = openStore(file)
  const rill = createRillFlow(store, () => 'http://127.0.0.1:1')
  const engine = new Engine({ store, executors: new ExecutorRegistry(rill.executors), driverFor: rill.driverFor })
  return { store, engine, workflows: rill.service(engine) }
}
