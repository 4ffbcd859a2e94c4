// #9 leftover: the first Cypher read during an import waited for a cold query worker to start (spawn,
// load the engine, warm the parser): 13-22 s at load 14-19 for a count during a 1M-row import (10.7 s at
// load 17 in #9). An import now starts one loading (query-pool.ts warm), kept idle for the reads of its
// graph and the parse of writes refused there; one loaded or loading already is enough.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { tempDir } from '../support/temp-store'
import { until } from '../support/until'
import { personFile, tempGraph, upload } from './support'

// query workers load slowly on a busy machine
vi.setConfig({ testTimeout: 180_000 })

let dir = ''
beforeAll(() => {
  dir = tempDir()
  tempGraph(dir).close() // graph g: PERSON_SCHEMA
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const admin = { username: 'admin', isAdmin: true }

const total = (host: GraphHost) => host.queryWorkers.idle + host.queryWorkers.loading + host.queryWorkers.busy

it('starts a query worker loading when an import starts, kept idle for the first read', async () => {
  const host = new GraphHost(dir)
  try {
    expect(host.queryWorkers).toEqual({ idle: 0, loading: 0, busy: 0, waiting: 0 })
    const file = upload(dir, 'few.csv', '1,Ann,30\n2,Bo,31\n')
    const input = { dataDir: dir, graph: 'g', taskId: 'warm', files: [{ mapping: personFile('few.csv') as never, file }], delimiter: ',', continueOnError: false, skipPackages: 0 }
    const end = host.runImport(input, { onEvent: () => undefined, user: 'admin' })
    expect(host.queryWorkers).toMatchObject({ loading: 1, busy: 0 }) // before: none until the first statement
    expect((await end).outcome).toBe('succeeded')
    await until(() => host.queryWorkers, (w) => w.idle === 1 && w.loading === 0, 'the warmed worker idle')
    const started = performance.now()
    await host.runCypher({ graph: 'g', script: 'MATCH (n:person) RETURN count(n)', actor: admin })
    console.log(`first read after the warm-up: ${Math.round(performance.now() - started)} ms`)
    // another import finds workers loaded (the warmed one, the spare the read started): it starts none
    const before = total(host)
    await host.runImport({ ...input, taskId: 'warm2', continueOnError: true }, { onEvent: () => undefined, user: 'admin' })
    expect(total(host)).toBe(before)
  } finally {
    await host.close()
  }
})
