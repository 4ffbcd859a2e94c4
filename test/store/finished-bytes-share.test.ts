// Each user's share of the bound on held finished values (store/finished-values.ts, #9 robustness): a
// reader that asks for a slice every second never lapses by HOLD_IDLE_MS, so one user with 8 such
// readers of 16 MB values held all 128 MB for as long as they read, and another user's answer waited
// HOLD_WAIT_MS (30 s) for room. Time is faked here: a wait for room shows as seconds of fake time that
// had to pass (the readers read a slice each second), not as wall time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFinishedBytes, HOLD_WAIT_MS, type FinishedBytes } from '../../electron/store/finished-values'
import { createJobChanges } from '../../electron/store/job-changes'
import type { StoredSlices } from '../../electron/store/raw-json'
import type { Store } from '../../electron/store'
import { finishedJobOfBytes } from '../support/finished-jobs'
import { tempStore } from '../support/temp-store'

const MB = 1024 * 1024
const VALUE = 16 * MB - 1024 // 8 of them fit the 128 MB held in all
const SLICE = 256 * 1024 // what a reader reads each second: 64 s of a value, past the 30 s wait

let cleanups: (() => void)[] = []
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
  for (const c of cleanups) c()
  cleanups = []
})

/** A finished job of `submitter` whose stored input is `bytes` of JSON (a string of the name's first letter); its id and size. */
function finishedJob(store: Store, submitter: string, name: string, bytes: number): { id: number; size: number } {
  const { id, json } = finishedJobOfBytes(store, submitter, name, bytes, name[0])
  return { id, size: Buffer.byteLength(json) }
}

/** A store with a 64 MB kept bound (128 MB held in all) and no worker reader (loads run here, counted the same). */
function setUp(): { store: Store; kept: FinishedBytes } {
  const t = tempStore()
  cleanups.push(t.cleanup)
  return { store: t.store, kept: createFinishedBytes(t.store.jobs, createJobChanges(), 64 * MB) }
}

/** `user`'s answers of `count` 16 MB values, each holding its value from a first slice. */
function readers(store: Store, kept: FinishedBytes, user: string, count: number): { answer: StoredSlices; at: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const job = finishedJob(store, user, `${user}-${i}`, VALUE)
    const answer = kept.slices(job.id, 'input', job.size, user)
    answer.slice(0, SLICE)
    return { answer, at: SLICE }
  })
}

/**
 * Lets fake seconds pass, each reader reading its next SLICE every second, until `ready` settles or
 * HOLD_WAIT_MS passed: the seconds that passed (0: it settled with no wait for room).
 */
async function secondsUntil(ready: Promise<void>, each: { answer: StoredSlices; at: number }[]): Promise<number> {
  let settled = false
  void ready.then(() => (settled = true))
  await vi.advanceTimersByTimeAsync(0)
  let seconds = 0
  while (!settled && seconds * 1000 < HOLD_WAIT_MS + 1000) {
    for (const r of each) {
      expect(r.answer.slice(r.at, SLICE)!.length).toBe(SLICE) // it reads on, held or not
      r.at += SLICE
    }
    await vi.advanceTimersByTimeAsync(1000)
    seconds++
  }
  return seconds
}

describe("a user's share of the held finished values", () => {
  it("a user whose readers read every second gives back holds beyond its share when another user's answer waits", async () => {
    const { store, kept } = setUp()
    const alice = readers(store, kept, 'alice', 8)
    expect(kept.stats.heldBy).toEqual({ alice: 8 * VALUE }) // all 128 MB
    const small = finishedJob(store, 'bob', 'b-small', MB)
    const large = finishedJob(store, 'bob', 'b-large', VALUE)

    // bob's 1 MB answer: room at once (before, 30 s of fake time passed: alice's readers were never idle 2 s)
    const one = kept.slices(small.id, 'input', small.size, 'bob')
    expect(await secondsUntil(one.ready!(), alice)).toBe(0)
    expect(one.slice(0, 8)!.toString()).toBe('{"s":"bb') // its first slice loads it (no worker reader here) and holds it
    expect(kept.stats.heldBy.bob).toBe(small.size)
    expect(kept.stats.lapses).toEqual({ idle: 0, share: 1 }) // one of alice's holds, the least recently read, made the room
    expect(kept.stats.heldBy.alice).toBe(7 * VALUE)
    // and his 16 MB one beside it, still within his share (64 MB of 128 with two users)
    const two = kept.slices(large.id, 'input', large.size, 'bob')
    expect(await secondsUntil(two.ready!(), alice)).toBe(0)
    expect(two.slice(0, 8)!.toString()).toBe('{"s":"bb')
    expect(kept.stats.heldBy).toEqual({ alice: 6 * VALUE, bob: small.size + VALUE })
    expect(kept.stats.heldBytes).toBeLessThanOrEqual(128 * MB)

    // alice's lapsed readers read on (from what is kept, or SQLite) and take no hold back while there is no room
    for (let second = 0; second < 3; second++) {
      for (const r of alice) expect(r.answer.slice((r.at += SLICE), 16)!.toString()).toBe('a'.repeat(16))
      await vi.advanceTimersByTimeAsync(1000)
    }
    expect(kept.stats.heldBy.alice).toBe(6 * VALUE)
    expect(two.slice(8, 8)!.toString()).toBe('bbbbbbbb')
  }, 60_000)

  it('a user at or past its share waits for room as before: it makes no other user within its share give back a hold', async () => {
    const { store, kept } = setUp()
    const alice = readers(store, kept, 'alice', 4)
    const carol = readers(store, kept, 'carol', 4) // 64 MB each: each at its share, all 128 MB held
    const more = finishedJob(store, 'carol', 'c-more', VALUE)
    const fifth = kept.slices(more.id, 'input', more.size, 'carol')
    // carol's fifth would take her past her share: alice, reading every second, keeps her four
    expect(await secondsUntil(fifth.ready!(), [...alice, ...carol])).toBeGreaterThanOrEqual(HOLD_WAIT_MS / 1000)
    expect(kept.stats.lapses).toEqual({ idle: 0, share: 0 })
    expect(kept.stats.heldBy).toEqual({ alice: 4 * VALUE, carol: 4 * VALUE })
    expect(fifth.slice(0, 8)!.toString()).toBe('{"s":"cc') // read without holding after the wait, as before
  }, 60_000)
})
