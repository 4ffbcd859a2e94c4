// atk13: loads of finished values in a worker thread (finished-values.ts ready -> value-loads.ts ->
// value-reader.ts) count against the bound on held bytes while they are under way, and take their
// thread on the share of the user they are for. Counted only once held, a user's answers for many
// distinct values all found room at once and all queued a load; taken with no owner, another user's
// load started after all of them. A hung-up answer's load leaves the line and gives its room back.
// The reader here is value-reader.ts's line (workerSlots, one thread) around reads the test ends
// itself, on a manual clock: counts and order, no times.
import { expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import { LOAD_HERE_BYTES } from '../../electron/store/load-here-budget'
import type { ValueReader } from '../../electron/store/value-reader'
import { workerSlots } from '../../electron/worker-slots'
import { MB } from '../support/finished-jobs'
import { ManualClock } from '../support/manual-clock'

const SIZE = LOAD_HERE_BYTES + 1024 // over what the main thread loads itself: always loaded in the worker
const HELD_LIMIT = 4 * SIZE // room for four of them held (or loading) at once

/** Job `id`'s value: SIZE bytes of JSON text naming the job. */
const valueOf = (id: number): Buffer => Buffer.from(JSON.stringify(`job ${id} `.padEnd(SIZE - 2, '.')))

/** FinishedBytes over values the test's one-thread reader loads: `asked` (reads made), `started` (reads on the thread; end() finishes one). */
function oneThreadStore() {
  const clock = new ManualClock()
  const slots = workerSlots({ running: 1, waiting: 64, clock })
  const asked: { jobId: number; owner: string; signal?: AbortSignal }[] = []
  const started: { jobId: number; owner: string; end: () => void }[] = []
  const read: ValueReader = async (jobId, _name, { owner, signal }) => {
    asked.push({ jobId, owner, signal })
    const lease = await slots.acquire({ owner, signal })
    try {
      return await new Promise<Buffer>((resolve) => started.push({ jobId, owner, end: () => resolve(valueOf(jobId)) }))
    } finally {
      lease.release()
    }
  }
  const jobs = { stateBytes: (id: number) => valueOf(id), stateSlices: () => undefined } as unknown as Parameters<typeof createFinishedBytes>[0]
  const kept = createFinishedBytes(jobs, createJobChanges(), 64 * MB, read, HELD_LIMIT, clock)
  /** Answer of `reader` for job `jobId`'s input, made ready (until `signal` aborts). */
  const answer = (jobId: number, reader: string, signal?: AbortSignal) => {
    const slices = kept.slices(jobId, 'input', SIZE, reader)
    return { slices, ready: slices.ready!(signal) }
  }
  return { kept, asked, started, answer, slots }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

it("counts loads under way against the bound, and starts another user's load next on the thread", async () => {
  const { asked, started, answer } = oneThreadStore()
  const mallory = [1, 2, 3, 4, 5, 6].map((id) => answer(id, 'mallory'))
  await settle()
  // room for four: her fifth and sixth answers wait for room instead of queueing loads (before: all six queued)
  expect(asked.map((a) => a.jobId)).toEqual([1, 2, 3, 4])
  expect(asked.every((a) => a.owner === 'mallory')).toBe(true)
  expect(started.map((s) => s.jobId)).toEqual([1])

  const bob = answer(100, 'bob')
  await settle()
  expect(asked).toHaveLength(4) // no room for bob either until one of her loads ends
  started[0]!.end()
  await settle()
  // her first load ended: its room goes to bob (her share while he waits is half the bound, which her loads fill)
  expect(asked.map((a) => a.jobId)).toEqual([1, 2, 3, 4, 100])
  expect(asked.at(-1)!.owner).toBe('bob')
  started[1]!.end() // her second, which took the thread when her first ended
  await settle()
  // bob's load goes next, before her two still waiting for the thread (before: behind all of hers)
  expect(started.map((s) => s.owner)).toEqual(['mallory', 'mallory', 'bob'])
  started[2]!.end()
  await bob.ready
  expect(bob.slices.slice(0, 8)!.toString()).toBe('"job 100')
  bob.slices.release!()
  // her readers read their values to the end as they come: her answers waiting for room find it, and the rest of her loads run
  const read: string[] = []
  mallory.forEach((a, i) => void a.ready.then(() => ((read[i] = a.slices.slice(0, 6)!.toString()), a.slices.release!())))
  for (let i = 3; i < 7; i++) {
    await settle()
    started[i]!.end()
  }
  await Promise.all(mallory.map((a) => a.ready))
  expect(started.map((s) => s.jobId)).toEqual([1, 2, 100, 3, 4, 5, 6])
  expect(read).toEqual([1, 2, 3, 4, 5, 6].map((id) => `"job ${id}`))
})

it("takes a hung-up answer's load out of the thread's line and gives its room back", async () => {
  const { asked, started, answer, slots } = oneThreadStore()
  const hangUps = [1, 2, 3, 4].map(() => new AbortController())
  const first = [1, 2, 3, 4].map((id, i) => answer(id, 'mallory', hangUps[i]!.signal))
  const fifth = answer(5, 'mallory')
  await settle()
  expect(asked.map((a) => a.jobId)).toEqual([1, 2, 3, 4]) // the fifth waits for room
  expect(slots.waiting).toBe(3)

  hangUps[3]!.abort() // the client of job 4's answer hangs up while its load waits for the thread
  await first[3]!.ready
  await settle()
  expect(asked[3]!.signal!.aborted).toBe(true)
  expect(slots.waiting).toBe(2 + 1) // job 4's load left the line; the fifth answer's load, given its room, joined it
  expect(asked.map((a) => a.jobId)).toEqual([1, 2, 3, 4, 5])
  for (let i = 0; i < 4; i++) {
    started[i]!.end()
    await settle()
  }
  expect(started.map((s) => s.jobId)).toEqual([1, 2, 3, 5]) // job 4's never ran
  await fifth.ready
  expect(fifth.slices.slice(0, 6)!.toString()).toBe('"job 5')
  for (const a of [...first, fifth]) a.slices.release!()
})
