import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/**
 * Starts the graph worker: the built `graph-worker.js` next to the main bundle (electron-vite builds
 * it as its own entry), or — run from source (tests, the bench) — graph-worker.ts through tsx's
 * loader, registered inside the worker. (electron/executors/sql.ts boots its worker the same way.)
 */
export function startGraphWorker(workerData: unknown): Worker {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const built of [join(here, 'graph-worker.js'), join(here, '..', 'graph-worker.js')]) {
    if (existsSync(built)) return new Worker(built, { workerData })
  }
  const source = pathToFileURL(join(here, 'graph-worker.ts')).href
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(boot, { eval: true, workerData })
}
