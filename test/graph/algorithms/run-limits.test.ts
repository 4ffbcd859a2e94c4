// What one algorithm run may hold (electron/graph/algorithms/limits.ts): a file's edges and distinct
// ids, a graph's vertices and edges, counted as they are read and refused at the line that passes the
// bound, naming the input, the line and the bound; the worker of such a run is ended, not kept with
// what it read; and runs take turns to hold memory, fairly by user.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlgorithmHost } from '../../../electron/graph/algorithms/algorithm-host'
import type { AlgorithmEnd, AlgorithmEvent, AlgorithmInput } from '../../../electron/graph/algorithms/algorithm-run'
import { freeRunning } from '../../../electron/graph/algorithms/control'
import { snapshotFromFile } from '../../../electron/graph/algorithms/from-file'
import { RUN_LIMITS, RUN_MEMORY_BUDGET_BYTES } from '../../../electron/graph/algorithms/limits'
import { graphKey, SnapshotCache } from '../../../electron/graph/algorithms/snapshot-cache'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { tempDir } from '../../support/temp-store'
import { seedSocialGraph, upload } from '../support'
import { snapshotOf } from './support'

const edgeFile = (dir: string, name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
/** `count` edges i → i+1 (count + 1 distinct ids). */
const chain = (count: number): string => Array.from({ length: count }, (_, i) => `${i},${i + 1}`).join('\n') + '\n'

describe('the bounds of one run, read from a file', () => {
  const dir = tempDir()

  it('takes a file with as many edges and ids as the bounds allow', () => {
    const s = snapshotFromFile(edgeFile(dir, 'five.csv', chain(5)), { name: 'five.csv', weighted: false, limits: { edges: 5, vertices: 6 } }, freeRunning())
    expect([s.n, s.csr.m]).toEqual([6, 5])
  })

  it('refuses the line past the edge bound, naming the file, the line and the bound', () => {
    const file = edgeFile(dir, 'six.csv', `src,dst\n# a comment\n\n${chain(6)}`)
    const read = () => snapshotFromFile(file, { name: 'six.csv', weighted: false, limits: { edges: 5, vertices: 100 } }, freeRunning())
    // header, comment and blank line are lines 1-3; the sixth edge is line 9
    expect(read).toThrow(/^six\.csv, line 9: past the limit of 5 edges one algorithm run may hold \(it keeps a run's memory within 512 MiB\)/)
    expect(read).toThrow(expect.objectContaining({ code: 'algorithm_input_too_large', field: 'source.path' }))
  })

  it('refuses the line that brings a distinct id past the id bound (before V8 fails at 2^24 ids, gigabytes later)', () => {
    const file = edgeFile(dir, 'ids.csv', 'a,b\nb,a\na,c\nd,a\n')
    expect(() => snapshotFromFile(file, { name: 'ids.csv', weighted: false, limits: { edges: 100, vertices: 3 } }, freeRunning())).toThrow(
      /^ids\.csv, line 4: past the limit of 3 distinct vertex ids one algorithm run may hold/,
    )
  })

  it('refuses a line longer than an edge line may be, rather than hold a file without line breaks as one string', () => {
    const file = edgeFile(dir, 'long.csv', `1,2\n${'9'.repeat(5 * 1024 * 1024)}`)
    expect(() => snapshotFromFile(file, { name: 'long.csv', weighted: false }, freeRunning())).toThrow(/^long\.csv line 2: longer than 1,048,576 characters/)
  })

  it('holds a run by default to 2^23 edges and 1,677,721 ids: 512 MiB at 48 bytes an edge and 80 an id', () => {
    expect(RUN_LIMITS).toEqual({ edges: 8_388_608, vertices: 1_677_721 })
    expect(RUN_LIMITS.edges * 48 + RUN_LIMITS.vertices * 80).toBeLessThanOrEqual(RUN_MEMORY_BUDGET_BYTES)
  })
})

describe('the snapshot cache', () => {
  it('keeps no snapshot larger than its budget, not even the newest', () => {
    const small = snapshotOf(3, [[0, 1], [1, 2]])
    const large = snapshotOf(100, Array.from({ length: 99 }, (_, i): [number, number] => [i, i + 1]))
    const cache = new SnapshotCache(small.bytes() + 1)
    cache.put(graphKey('g'), 'v1', small)
    expect(cache.size).toBe(1)
    cache.put(graphKey('h'), 'v1', large) // pushes the small one out, and is itself over the budget
    expect([cache.size, cache.get(graphKey('h'), 'v1')]).toEqual([0, undefined])
  })
})

describe('AlgorithmHost: runs past a bound, and turns', () => {
  const dir = tempDir()
  const input = (file: string, algorithm: AlgorithmInput['algorithm'] = 'WCC'): AlgorithmInput => ({ algorithm, params: {}, source: { kind: 'file', file, name: file.slice(dir.length + 1) }, weighted: false })

  it('fails a run past the bound with the reason, and ends its worker rather than keep what it read', async () => {
    const host = new AlgorithmHost(dir, { limits: { edges: 1000, vertices: 10_000 } })
    try {
      const end = await host.run(input(edgeFile(dir, 'big.csv', chain(1001))), { onEvent: () => undefined })
      expect(end).toMatchObject({ outcome: 'failed', error: { code: 'algorithm_input_too_large', kind: 'too_large', field: 'source.path' } })
      expect((end as Extract<AlgorithmEnd, { outcome: 'failed' }>).error.message).toMatch(/^big\.csv, line 1001: past the limit of 1,000 edges/)
      expect([host.running, host.kept]).toEqual([0, 0])
      // a run within the bound succeeds, and its worker is kept for its cache
      const ok = await host.run(input(edgeFile(dir, 'small.csv', chain(1000))), { onEvent: () => undefined })
      expect(ok).toMatchObject({ outcome: 'succeeded', summary: { edges: 1000, vertices: 1001 } })
      expect(host.kept).toBe(1)
    } finally {
      await host.close()
    }
  }, 60_000)

  it('runs at most the runs allowed at once: a user’s second run waits, another user’s does not, and a waiting run can be cancelled', async () => {
    const host = new AlgorithmHost(dir, { runsAtOnce: 2, runsAtOncePerUser: 1 })
    const file = edgeFile(dir, 'ring.csv', chain(2000))
    const logs: Record<string, string[]> = { a1: [], a2: [], a3: [], b1: [] }
    const hooks = (name: string, owner: string, signal?: AbortSignal) => ({ owner, signal, onEvent: (e: AlgorithmEvent) => void (e.type === 'log' && logs[name].push(e.text)) })
    try {
      const a1 = host.run(input(file), hooks('a1', 'alice'))
      const a2 = host.run(input(file), hooks('a2', 'alice'))
      const stop = new AbortController()
      const a3 = host.run(input(file), hooks('a3', 'alice', stop.signal))
      const b1 = host.run(input(file), hooks('b1', 'bob'))
      // alice holds her one turn: her others wait; bob takes the second
      expect([host.running, host.waiting]).toEqual([2, 2])
      expect(logs.a2[0]).toBe('waiting for a turn: your other algorithm run holds memory (one user runs at most 1 at once)')
      expect(logs.b1).toEqual([]) // started at once: no line says it waits
      stop.abort()
      expect(await a3).toEqual({ outcome: 'cancelled' })
      const ends = await Promise.all([a1, a2, b1])
      expect(ends.map((e) => e.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded'])
      expect(logs.a2.some((l) => /^built the snapshot|^reused the cached snapshot/.test(l))).toBe(true)
      expect([host.running, host.waiting]).toEqual([0, 0])
    } finally {
      await host.close()
    }
  }, 60_000)
})

describe('algorithm jobs past the bounds (native API)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ algorithmRuns: { limits: { edges: 3, vertices: 4 } } })
    await seedSocialGraph(t.app, t.dir) // 5 people, 4 knows edges
  }, 60_000)
  afterAll(() => t.close())

  async function failure(body: unknown): Promise<string> {
    const started = await t.call('POST', '/api/v1/algorithms/jobs', body)
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    await waitForStatus(t, started.body.id, ['succeeded', 'failed', 'cancelled'])
    const view = (await t.call('GET', `/api/v1/algorithms/jobs/${started.body.id}`)).body
    expect(view.job.status).toBe('failed')
    return view.job.error
  }

  it('fails a file job at the line past the edge bound', async () => {
    upload(t.dir, 'four.csv', '1,2\n2,3\n3,1\n1,3\n')
    expect(await failure({ algorithm: 'PageRank', source: { kind: 'file', path: 'four.csv' } })).toMatch(/four\.csv, line 4: past the limit of 3 edges one algorithm run may hold/)
  })

  it('fails a file job at the line past the distinct id bound', async () => {
    upload(t.dir, 'ids.csv', 'a,b\nc,d\nd,e\n')
    expect(await failure({ algorithm: 'WCC', source: { kind: 'file', path: 'ids.csv' } })).toMatch(/ids\.csv, line 3: past the limit of 4 distinct vertex ids/)
  })

  it('holds a graph source to the same bounds', async () => {
    expect(await failure({ algorithm: 'WCC', source: { kind: 'graph', graph: 'social' } })).toMatch(/graph social, reading its vertices: past the limit of 4 distinct vertex ids/)
  })
})
