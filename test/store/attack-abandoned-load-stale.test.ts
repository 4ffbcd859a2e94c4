// atk9b: a finished value's load in the value worker whose every answer went away leaves `loading`
// at once (exq9, value-loads.ts), but a read that already has a thread runs on, and
// still keeps what it read when it ends unless its job's write count moved. That count is kept only
// while a load of the job is in `loading`: another load of the same job ending meanwhile forgets it,
// a write of the job then goes uncounted, and the next load of the value starts the count at 0 again,
// so the abandoned read, from before the write, matches and is kept: the next answer is given the
// value as it was before the write. A fake reader whose reads are already on their thread (they
// ignore the abort) and a store of two values the test writes.
import { expect, it } from 'vitest'
import { createFinishedBytes } from '../../electron/store/finished-values'
import { LOAD_HERE_BYTES } from '../../electron/store/load-here-budget'
import { createJobChanges } from '../../electron/store/job-changes'
import type { ValueReader } from '../../electron/store/value-reader'
import type { JobValueName } from '../../electron/store/job.repository'
import { MB } from '../support/finished-jobs'
import { ManualClock } from '../support/manual-clock'

const JOB = 7
const SIZE = LOAD_HERE_BYTES + 1024 // over what the main thread loads itself: always loaded in the worker

/** `SIZE` bytes of JSON text starting with `mark`. */
const valueOf = (mark: string): Buffer => Buffer.from(JSON.stringify(mark.padEnd(SIZE - 2, '.')))

it("gives the value as written after a write, not what a read its answer abandoned found before it", async () => {
  const stored: Record<string, Buffer> = { context: valueOf('OLD'), input: valueOf('INPUT') }
  const jobs = {
    stateBytes: (_id: number, name: JobValueName) => stored[name] ?? null,
    stateSlices: () => undefined,
  } as unknown as Parameters<typeof createFinishedBytes>[0]
  /** Reads under way, each with what the store held when it began and how to end it. */
  const reads: { name: string; bytes: Buffer; end: () => void }[] = []
  const read: ValueReader = (_jobId, name) =>
    new Promise((resolve) => {
      const bytes = stored[name]!
      reads.push({ name, bytes, end: () => resolve(bytes) })
    })
  const changes = createJobChanges()
  const kept = createFinishedBytes(jobs, changes, 64 * MB, read, 128 * MB, new ManualClock())

  // bob's answer asks for the context; its read gets a thread, then bob hangs up
  const gone = new AbortController()
  const first = kept.slices(JOB, 'context', SIZE, 'bob')
  const firstReady = first.ready!(gone.signal)
  expect(reads.map((r) => r.name)).toEqual(['context'])
  gone.abort()
  await firstReady
  first.release!()

  // another answer reads the job's input to its end meanwhile
  const input = kept.slices(JOB, 'input', SIZE, 'bob')
  const inputReady = input.ready!()
  reads[1]!.end()
  await inputReady
  input.release!()

  // the job is written: its context is new
  stored.context = valueOf('NEW')
  changes.changed(JOB)

  // a later answer asks for the context; the abandoned read, from before the write, ends first
  const later = kept.slices(JOB, 'context', SIZE, 'bob')
  const laterReady = later.ready!()
  reads[0]!.end()
  await new Promise((r) => setImmediate(r))
  for (const r of reads.slice(2)) r.end() // its own read (now: a second one of the context)
  await laterReady
  expect(later.slice(0, 4)!.toString()).toBe('"NEW') // now: '"OLD'
  later.release!()
})
