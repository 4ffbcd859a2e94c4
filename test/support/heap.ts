// The heap a test measures: used bytes after forced collections, so that garbage does not count.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
/** V8's gc(), reached though the process was not started with --expose-gc. */
export const gc = runInNewContext('gc') as () => void

/** process.memoryUsage().heapUsed (bytes) after two forced collections (the second frees what the first's finalizers let go). */
export function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
