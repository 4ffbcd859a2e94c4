import { afterEach, describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { LINE_COST } from '../../electron/engine/job-logs'
import type { LogLine } from '../../shared/model'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const TEXT = (i: number) => `line ${String(i).padStart(6, '0')} of chatty output....` // 32 bytes
const COST = TEXT(1).length + LINE_COST
const limits = { headBytes: 100 * COST, tailBytes: 100 * COST, flushMs: 20 }

/** Logs `total` lines in chunks, pausing between them so several flushes happen while it runs. */
function chatty(total: number, chunk: number): Executor {
  return {
    name: 'chatty',
    resumable: false,
    async run(ctx) {
      for (let i = 1; i <= total; i++) {
        ctx.log(i === total ? 'ERROR' : 'INFO', TEXT(i))
        if (i % chunk === 0) await new Promise((r) => setTimeout(r, 5))
      }
      return {}
    },
  }
}

function setup(executor: Executor) {
  const t = tempStore()
  const engine = makeEngine(t.store, { executors: [executor], logLimits: limits })
  cleanup = () => {
    void engine.stop()
    t.cleanup()
  }
  return { ...t, engine }
}

describe("a job's log keeps its head and tail (#9.2)", () => {
  it('drops the middle of a flood, says how much where it was, and never stores more than the budget', async () => {
    const { engine, store } = setup(chatty(20_000, 500))
    const pushed: LogLine[] = []
    engine.on('log.appended', (e) => pushed.push(...e.lines))
    const job = submit(engine, [{ name: 'main', executor: 'chatty' }])
    let mostStored = 0
    const watch = setInterval(() => (mostStored = Math.max(mostStored, store.logs.count(job.id))), 2)
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    clearInterval(watch)

    const all = store.logs.page(job.id, { from: 0, size: 5000 }).lines
    expect(all).toHaveLength(201)
    expect(all.slice(0, 100).map((l) => l.text)).toEqual(Array.from({ length: 100 }, (_, i) => TEXT(i + 1)))
    expect(all[100]).toMatchObject({ seq: 100, level: 'WARN', task: null })
    expect(all[100].text).toMatch(/^… 19,800 lines \(.+ KiB\) of output dropped here: a job's log keeps its first .+ and its last .+\./)
    expect(all.slice(101).map((l) => l.text)).toEqual(Array.from({ length: 100 }, (_, i) => TEXT(19_901 + i)))
    expect(all[200]).toMatchObject({ seq: 20_000, level: 'ERROR' }) // the last line, where the error usually is
    expect(store.logs.info(job.id)).toEqual({ lines: 201, droppedLines: 19_800, droppedBytes: 19_800 * 32 })
    expect(mostStored).toBeLessThanOrEqual(201 + 500) // at most one chunk beyond the tail between flushes
    // Viewers got the head, the note and tails at most every flushMs, not 20,000 lines.
    expect(pushed.length).toBeLessThan(5000)
    expect(pushed.at(-1)).toMatchObject({ seq: 20_000 })
    expect(pushed.filter((l) => l.seq === 100).at(-1)!.text).toBe(all[100].text)
  })

  it('keeps each line\'s stream through the cut: stderr lines of the head and of the tail are stored and pushed as stderr (trial of #13.5)', async () => {
    const mixed: Executor = {
      name: 'mixed',
      resumable: false,
      async run(ctx) {
        for (let i = 1; i <= 5000; i++) {
          ctx.log('INFO', TEXT(i), i % 2 ? 'stderr' : 'stdout')
          if (i % 500 === 0) await new Promise((r) => setTimeout(r, 5))
        }
        return {}
      },
    }
    const { engine, store } = setup(mixed)
    const pushed: LogLine[] = []
    engine.on('log.appended', (e) => pushed.push(...e.lines))
    const job = submit(engine, [{ name: 'main', executor: 'mixed' }])
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    const all = store.logs.page(job.id, { from: 0, size: 5000 }).lines
    expect(all).toHaveLength(201)
    const odd = (l: LogLine) => Number(/line 0*(\d+)/.exec(l.text)![1]) % 2 === 1
    for (const l of [...all.slice(0, 100), ...all.slice(101)]) expect(l.stream === 'stderr').toBe(odd(l))
    expect(all[100].stream).toBeUndefined() // the note of the cut is the engine's own
    expect(all.at(-1)).toMatchObject({ text: TEXT(5000) })
    expect(all.at(-2)).toMatchObject({ text: TEXT(4999), stream: 'stderr' })
    for (const l of pushed.filter((p) => p.seq !== 100)) expect(l.stream === 'stderr').toBe(odd(l))
  })

  it('keeps a log under the budget whole', async () => {
    const { engine, store } = setup(chatty(150, 50))
    const job = submit(engine, [{ name: 'main', executor: 'chatty' }])
    await engine.waitFor(job.id)
    expect(store.logs.info(job.id)).toEqual({ lines: 150, droppedLines: 0, droppedBytes: 0 })
    expect(store.logs.page(job.id, { tail: true, size: 500 }).lines.every((l) => l.level === "INFO" || l.text === TEXT(150))).toBe(true)
  })
})

describe("a log of control characters is kept to what it answers (#9 §2)", () => {
  it('counts a line by its bytes JSON-escaped: a NUL is six, so its head holds a sixth as many NULs', async () => {
    const NULS = '\u0000'.repeat(32) // as long as TEXT(i), 192 bytes answered
    const nuls: Executor = {
      name: 'nuls',
      resumable: false,
      async run(ctx) {
        for (let i = 1; i <= 1000; i++) ctx.log('INFO', NULS)
        return {}
      },
    }
    const { engine, store } = setup(nuls)
    const job = submit(engine, [{ name: 'main', executor: 'nuls' }])
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    const all = store.logs.page(job.id, { from: 0, size: 5000 }).lines
    const perLine = 6 * NULS.length + LINE_COST
    const head = Math.floor(limits.headBytes / perLine)
    expect(all.slice(0, head).every((l) => l.text === NULS)).toBe(true)
    expect(all[head].text).toMatch(/^… [\d,]+ lines \(.+ KiB\) of output dropped here/)
    expect(all.length).toBeLessThanOrEqual(head + 1 + Math.floor(limits.tailBytes / perLine))
    // what was dropped is counted as output bytes, one per NUL, not as escapes
    const { droppedLines, droppedBytes } = store.logs.info(job.id)
    expect(droppedBytes).toBe(droppedLines * NULS.length)
    // stored and answered: the escaped text of all kept lines stays within the two budgets
    const answered = all.reduce((n, l) => n + Buffer.byteLength(JSON.stringify(l.text)) - 2 + LINE_COST, 0)
    expect(answered).toBeLessThanOrEqual(limits.headBytes + limits.tailBytes + 1024)
  })
})

describe("a job's end does not wait behind another job's log (newuser4 #8)", () => {
  it('ends with the commit that writes its own last lines, while a flood of another job is still being written', async () => {
    const FLOOD = 20_000 // in the head: 80 commits' worth of another job's lines queued before the quick job's
    let logged!: () => void
    const floodLogged = new Promise<void>((ok) => (logged = ok))
    const flood: Executor = {
      name: 'flood',
      resumable: false,
      async run(ctx) {
        for (let i = 1; i <= FLOOD; i++) ctx.log('INFO', TEXT(i))
        logged()
        await new Promise((r) => ctx.signal.addEventListener('abort', r)) // runs on until the test ends
        return {}
      },
    }
    const quick: Executor = {
      name: 'quick',
      resumable: false,
      async run(ctx) {
        for (const text of ['one', 'two', 'three']) ctx.log('INFO', text)
        return {}
      },
    }
    const t = tempStore()
    const engine = makeEngine(t.store, { executors: [flood, quick], logLimits: { headBytes: 100 * 1024 * 1024, tailBytes: 1024 * 1024, flushMs: 20 } })
    cleanup = () => {
      void engine.stop()
      t.cleanup()
    }
    const floodJob = submit(engine, [{ name: 'main', executor: 'flood' }], 'flood')
    await floodLogged
    const quickJob = submit(engine, [{ name: 'main', executor: 'quick' }], 'quick')
    const seen: string[] = []
    let floodStoredAtEnd = -1
    engine.on('log.appended', (e) => e.jobId === quickJob.id && seen.push(...e.lines.map((l) => l.text)))
    engine.on('job.changed', ({ job }) => {
      if (job.id !== quickJob.id || job.status !== 'succeeded') return
      seen.push('(end)')
      floodStoredAtEnd = t.store.logs.count(floodJob.id)
    })

    expect((await engine.waitFor(quickJob.id)).status).toBe('succeeded')
    // it did not wait for the 20,000 lines queued before its own: a few commits' worth at most were written
    expect(floodStoredAtEnd).toBeGreaterThanOrEqual(0)
    expect(floodStoredAtEnd).toBeLessThan(FLOOD / 4)
    // and a viewer still had its last lines before its end
    expect(seen.filter((s) => ['one', 'two', 'three', '(end)'].includes(s))).toEqual(['one', 'two', 'three', '(end)'])
    expect(t.store.logs.page(quickJob.id, { from: 0, size: 100 }).lines.map((l) => l.text)).toEqual(expect.arrayContaining(['one', 'two', 'three']))
    // the flood's head is written whole meanwhile, in order
    await expect.poll(() => t.store.logs.count(floodJob.id), { timeout: 15_000 }).toBe(FLOOD)
    expect(t.store.logs.page(floodJob.id, { from: FLOOD - 2, size: 2 }).lines.map((l) => l.text)).toEqual([TEXT(FLOOD - 1), TEXT(FLOOD)])
  })
})
