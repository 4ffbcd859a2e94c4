// The pace an export's reader must keep (reader-pace.ts), on a fake clock: only time during which the
// reader holds the worker up counts, with the bytes it takes meanwhile, summed across stretches (atk37).
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { readerPace, type PaceVerdict } from '../../electron/services/export/reader-pace'

const IDLE = 15_000
const MIN = 4 * 1024 * 1024
const YIELD = 60_000
const KB = 1024

let taken = 0
let verdicts: PaceVerdict[] = []
const watch = () => readerPace({ idleMs: IDLE, minBytes: MIN, yieldMs: YIELD }, () => taken, (v) => verdicts.push(v))
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  taken = 0
  verdicts = []
})
afterEach(() => vi.useRealTimers())

it('stops a reader that times a small read just before each window would end (atk37 F2)', () => {
  const pace = watch()
  // 8 kB just before every 15 s: the old check saw the stream drained at that instant and started over
  let windows = 0
  for (; windows < 4 && verdicts.length === 0; windows++) {
    pace.full()
    vi.advanceTimersByTime(IDLE - 5)
    taken += 8 * KB
    pace.drained()
    vi.advanceTimersByTime(1) // the worker refills at once
  }
  // stopped early in the second window: the first one's 8 kB paid for only 29 ms of its 15 s
  expect(windows).toBe(2)
  expect(verdicts).toEqual([{ kind: 'slow', got: 8 * KB, ms: expect.closeTo(IDLE + 30, -1) }])
})

it('does not judge a fast reader on the time its slow producer took (atk37 F4)', () => {
  const pace = watch()
  for (let i = 0; i < 50; i++) {
    pace.full() // the stream filled; the reader takes it within 20 ms
    vi.advanceTimersByTime(20)
    taken += 128 * KB
    pace.drained()
    vi.advanceTimersByTime(IDLE - 1) // the worker works on the next rows: not the reader's time
  }
  expect(verdicts).toEqual([])
})

it('carries a shortfall across stretches, and banks no surplus for a later stall', () => {
  const pace = watch()
  // a fast start: 64 MiB taken in 1 s of waiting for the reader (worth 240 s at the floor, if it banked)
  pace.full()
  vi.advanceTimersByTime(1000)
  taken += 64 * 1024 * KB
  pace.drained()
  // then nothing: stopped after IDLE of reader-bound time, in stretches of 5 s with pauses between
  let bound = 0
  while (verdicts.length === 0 && bound < 10 * IDLE) {
    pace.full()
    vi.advanceTimersByTime(5000)
    bound += 5000
    pace.drained()
    vi.advanceTimersByTime(60_000)
  }
  expect({ bound, verdicts }).toEqual({ bound: IDLE, verdicts: [{ kind: 'slow', got: 0, ms: IDLE }] })
})

it('lets a reader at the floor run as long as its file takes when nobody else waits', () => {
  const pace = watch()
  pace.full()
  for (let i = 0; i < 60; i++) {
    vi.advanceTimersByTime(1000) // 15 minutes of reader-bound time
    taken += MIN / 15 + KB // a little over 4 MiB per 15 s
    pace.drained()
    pace.full()
  }
  expect(verdicts).toEqual([])
  pace.end()
})

it('stops a reader that keeps another user waiting for YIELD in all, counting only while they wait (atk37 F3)', () => {
  const pace = watch()
  const floorRead = () => {
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1000)
      taken += MIN / 14
      pace.drained()
      pace.full()
    }
  }
  pace.full()
  floorRead() // 10 s alone: not counted
  const first = {}
  pace.waits(first)
  for (let i = 0; i < 4; i++) floorRead() // 40 s while another waits
  pace.leaves(first, true) // it got a slot: its 40 s stay counted
  for (let i = 0; i < 6; i++) floorRead() // 60 s alone again: not counted
  expect(verdicts).toEqual([])
  pace.waits({})
  floorRead()
  expect(verdicts).toEqual([])
  floorRead() // 20 s more while another waits: 60 s in all
  expect(verdicts).toEqual([{ kind: 'yield', ms: YIELD }])
})

it('drops the waiting of another user who left unserved, keeping that of those still waiting (atk39)', () => {
  const pace = watch()
  const floorRead = (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      vi.advanceTimersByTime(1000)
      taken += MIN / 14
      pace.drained()
      pace.full()
    }
  }
  pace.full()
  for (let k = 0; k < 5; k++) {
    const gone = {}
    pace.waits(gone)
    floorRead(40) // each stay short of YIELD; five of them far past it
    pace.leaves(gone, false) // hung up before a slot came: costs the reader nothing
  }
  expect(verdicts).toEqual([])
  const early = {}
  const late = {}
  pace.waits(early)
  floorRead(30)
  pace.waits(late)
  floorRead(20)
  pace.leaves(late, false) // the one that came later leaves: the earlier one's 50 s still count
  expect(verdicts).toEqual([])
  floorRead(10)
  expect(verdicts).toEqual([{ kind: 'yield', ms: YIELD }])
})
