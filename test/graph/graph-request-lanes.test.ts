// GraphHost's request lanes (worker/request-lane.ts, #9 §2, atk12): a user's import checks (megabytes
// of their files sampled) run in a lane of their own, fair between users, bounded per user, and
// withdrawn when their caller hangs up; the graph list and reads never wait behind them. And one
// check samples a bounded amount (inspect/import-sample.ts SAMPLE_TOTAL_BYTES, SAMPLE_TIME_MS).
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFileMappings } from '../../electron/graph/import/mapping'
import { SAMPLE_BYTES } from '../../electron/graph/inspect/import-sample'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { tempDir } from '../support/temp-store'
import { until } from '../support/until'
import { personFile, tempGraph } from './support'

let dir = ''
let host: GraphHost
let csv = ''

/** A person CSV of `bytes` or a little more: id, a quoted name with escaped quotes and commas, age. */
function personCsv(bytes: number): string {
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const line = `${i},"n${i}""x,y""",${i % 90}`
    lines.push(line)
    size += line.length + 1
  }
  return `${lines.join('\n')}\n`
}

beforeAll(() => {
  dir = tempDir()
  tempGraph(dir).close()
  csv = join(dir, 'p.csv')
  writeFileSync(csv, personCsv(1_100_000))
  host = new GraphHost(dir)
})
afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

/**
 * An import check of 50 entries naming the 1.1 MB CSV, as `user` (atk12's: 6.5 s of a worker before),
 * each file sampled `sampleBytes` deep (SAMPLE_BYTES: a check's whole 8 MiB or 2 s).
 */
function bigCheck(user: string, signal?: AbortSignal, sampleBytes = SAMPLE_BYTES) {
  const mapping = parseFileMappings([personFile('p.csv', { header: 0 })])[0]
  const files = Array.from({ length: 50 }, () => ({ mapping, file: csv }))
  return host.request('import.sample', { graph: 'g', input: { labels: [], files, delimiter: ',', continueOnError: true, sampleBytes } }, { user, signal })
}

/**
 * bigCheck of 16 KiB a file (800 KiB in all): for the tests of who goes first and how many may wait,
 * which a lane decides whatever a check costs; a full check each would only make them wait longer.
 */
const shortCheck = (user: string) => bigCheck(user, undefined, 16 * 1024)

const preview = (user: string) => host.request('files.preview', { file: csv, input: { path: 'p.csv', format: 'CSV', rows: 3 } }, { user })
const fileLane = () => host.requestLoad.files

describe('graph request lanes', () => {
  it('one check samples a bounded amount and names the files it left out', async () => {
    const started = performance.now()
    const sample = await bigCheck('bob')
    const ms = performance.now() - started
    expect(sample.files.length).toBeGreaterThan(0)
    expect(sample.files.length).toBeLessThan(10) // 8 MiB in all, of 1.1 MB files (before: all 50, 50 MB)
    expect(sample.problems).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'not_sampled', message: expect.stringMatching(new RegExp(`first ${sample.files.length} of 50 files were checked \\(a check parses`)) }),
    )
    expect(ms).toBeLessThan(6000) // 8 MiB or 2 s of parsing, with the worker's start on a loaded machine
  }, 60_000)

  it("the graph list and a vertex read do not wait behind a user's checks", async () => {
    const hangUp = new AbortController()
    const checks = Array.from({ length: 4 }, () => bigCheck('bob', hangUp.signal))
    await until(fileLane, (l) => l.running === 1 && l.waiting === 3, 'four checks in the file lane')
    const started = performance.now()
    const list = await host.request('graphs.list', {}, { user: 'admin' })
    await host.request('vertices.get', { graph: 'g', vid: 1 }, { user: 'admin' })
    const ms = performance.now() - started
    const stillChecking = fileLane()
    // measured: bob hangs up, rather than the test waiting for his four full checks (~8 s)
    hangUp.abort(new Error('client gone'))
    await Promise.allSettled(checks)
    await until(fileLane, (l) => l.running === 0, 'the stopped check gone', 10_000)
    expect(list.map((g) => g.name)).toEqual(['g'])
    expect(stillChecking.running + stillChecking.waiting).toBeGreaterThan(0) // answered while bob's checks ran
    expect(ms).toBeLessThan(2000) // before: behind all four checks (17.7 s in atk12's test)
  }, 120_000)

  it("another user's preview waits behind at most the check that runs, not behind every queued one", async () => {
    const done: string[] = []
    const checks = Array.from({ length: 4 }, (_, i) => shortCheck('bob').then(() => done.push(`bob ${i}`)))
    await until(fileLane, (l) => l.running === 1 && l.waiting === 3, 'four checks in the file lane')
    const alice = preview('alice').then(() => done.push('alice'))
    await Promise.all([...checks, alice])
    expect(done.indexOf('alice')).toBe(1) // after the check that was running, before bob's next
  }, 120_000)

  it('a user with as many requests waiting as one may is refused with requests_queued; others are not', async () => {
    const checks = Array.from({ length: 5 }, () => shortCheck('bob')) // one runs, four wait
    await until(fileLane, (l) => l.running === 1 && l.waiting === 4, 'five checks in the file lane')
    await expect(bigCheck('bob')).rejects.toMatchObject({ kind: 'unavailable', code: 'requests_queued', message: expect.stringContaining('user bob already has 4 graph requests (import checks and file previews) waiting') })
    expect((await preview('alice')).rows.length).toBe(3)
    await Promise.all(checks)
  }, 120_000)

  it('a request whose params cannot be sent fails alone: the lane answers the next', async () => {
    await expect(host.request('graphs.get', { graph: 'g', oops: () => 1 } as unknown as { graph: string }, { user: 'bob' })).rejects.toThrow(/could not be cloned/)
    expect((await host.request('graphs.get', { graph: 'g' }, { user: 'bob' })).name).toBe('g')
  })

  it('checks whose caller hung up leave the queue, and the running one stops', async () => {
    const hangUps = Array.from({ length: 4 }, () => new AbortController())
    const checks = hangUps.map((h) => bigCheck('bob', h.signal))
    await until(fileLane, (l) => l.running === 1 && l.waiting === 3, 'four checks in the file lane')
    for (const h of hangUps) h.abort(new Error('client gone'))
    for (const c of checks) await expect(c).rejects.toThrow('client gone')
    expect(fileLane().waiting).toBe(0)
    // the running one stops between files (or its worker is ended after a grace): the lane is free again
    await until(fileLane, (l) => l.running === 0, 'the stopped check gone', 10_000)
    expect((await preview('alice')).rows.length).toBe(3)
  }, 120_000)
})
