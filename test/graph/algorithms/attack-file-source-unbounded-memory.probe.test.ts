// Attack (#9 §1 §3, atk16, graph algorithms): a user granted nothing uploads an edge file and runs an
// algorithm on it (source {kind: 'file'}: no graph, no right needed). from-file.ts reads every line
// into an EdgeList (typed arrays doubled as they fill) and buildCsr, with no bound on edges: memory
// follows the file, and typed arrays live outside V8's heap limit (the algorithm's graph worker has
// none either: algorithm-host.ts startGraphWorker without resourceLimits). Measured over real HTTP
// (serve-worker, 2 cores): "1,2\n" × 33,554,432 (128 MiB) took the process's RSS +491 MB at its peak,
// × 67,108,864 (256 MiB, uploaded in 5.5 s) +909 MB (65 s), in this test +991 MB (192 → 1,183 MB):
// ~14 bytes an edge, linear. The upload quota is 20 GiB a user, so one file of 5 GiB (~1.3 billion
// edges) asks ~18 GB of one run, and each further run of hers (the engine runs several at once) as
// much again: the OS kills the whole process long before any 4xx. Root cause: no bound on a file
// source's edges (nor on a graph snapshot's) and no memory limit on the worker that builds it. This
// test FAILS until such a run is held to a bound: refused with a 4xx naming source.path, or failed
// with a message naming the limit, the process's RSS growing less than 512 MB, a status probe
// answering within 200 ms meanwhile.
// Fixed (algmem16, limits.ts): the run fails at line 8,388,609, past the 8,388,608 edges one run may
// hold; measured RSS 201 → 397 MB at its peak, the status probe's slowest answer 134 ms.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../../support/served-process'
import { createUser } from '../../support/users'

const app = servedProcessSuite()
const MiB = 2 ** 20
/** The edge file: "1,2\n" lines, 256 MiB (67,108,864 edges), sent in 16 MiB chunks. */
const FILE_MIB = 256
const CHUNK = Buffer.alloc(16 * MiB, '1,2\n')

/** The served process's resident memory (MB), from /proc (Linux). */
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

describe('attack: an algorithm on an uploaded edge file of 67 million edges', () => {
  it.runIf(process.platform === 'linux')('is held to a bound (a 4xx naming source.path, or a failure naming a limit) and the process grows < 512 MB (it grew 909 MB)', async () => {
    const alice = await createUser(app, 'alice', { role: 'user' })
    const headers = { authorization: `Bearer ${alice.token}` }
    for (let offset = 0; offset < FILE_MIB * MiB; offset += CHUNK.length) {
      const up = await fetch(`${app.url}/api/v1/files/upload?path=edges.csv&offset=${offset}${offset === 0 ? '&replace=true' : ''}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: CHUNK,
      })
      expect(up.status, await up.text()).toBe(200)
    }
    const pid = app.child.pid!
    const base = rssMb(pid)
    let peak = base
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
    try {
      // the status probe answers within 200 ms while the run reads and is refused
      await underProbe(app, async () => {
        const started = await fetch(`${app.url}/api/v1/algorithms/jobs`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ algorithm: 'WCC', source: { kind: 'file', path: 'edges.csv' } }),
        })
        const body = (await started.json()) as { id?: number; error?: { field?: string } }
        if (started.status >= 400 && started.status < 500) {
          expect(body.error?.field).toMatch(/^source/) // refused up front, naming the field: a fix
        } else {
          expect(started.status).toBe(201)
          let view: { job: { status: string; error: string | null }; summary?: { edges?: number } }
          for (;;) {
            await new Promise((r) => setTimeout(r, 500))
            view = (await (await fetch(`${app.url}/api/v1/algorithms/jobs/${body.id}`, { headers })).json()) as typeof view
            if (view.job.status !== 'queued' && view.job.status !== 'running') break
          }
          // measured: succeeded, 67,108,864 edges read, RSS +909 MB
          const seen = `${view.job.status} (${view.job.error ?? `${view.summary?.edges} edges read`}); RSS ${base.toFixed(0)} MB → peak ${peak.toFixed(0)} MB`
          expect(view.job.status, seen).toBe('failed')
          expect(view.job.error, seen).toMatch(/limit|too (large|many)|at most/i)
        }
      })
    } finally {
      clearInterval(sampler)
    }
    expect(app.child.exitCode).toBe(null)
    expect(peak - base, `the process's RSS at its peak over the ${base.toFixed(0)} MB it had`).toBeLessThan(512)
  }, 600_000)
})
