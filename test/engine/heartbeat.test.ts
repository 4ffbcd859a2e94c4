// The engine's heartbeat: "alive at" every 10 s while jobs run, nothing while none do (a desktop app
// must not write to disk when idle), nothing while another program holds the database's lock.
import { afterEach, describe, expect, it } from 'vitest'
import { Heartbeat, HEARTBEAT_MS } from '../../electron/engine/heartbeat'
import type { Store } from '../../electron/store'
import { ManualClock } from '../support/manual-clock'
import { tempStore } from '../support/temp-store'

let opened: ReturnType<typeof tempStore> | undefined
afterEach(() => {
  opened?.cleanup()
  opened = undefined
})
const freshStore = (): Store => (opened = tempStore()).store

describe('the heartbeat', () => {
  it('beats when a job becomes live and every 10 s while any is, then stops until the next', () => {
    const store = freshStore()
    const clock = new ManualClock()
    let live = true
    const heart = new Heartbeat(store.heartbeat, clock, () => live, () => true)
    expect(store.heartbeat.lastAt()).toBeNull()
    const t0 = clock.now()
    heart.keep()
    heart.keep() // a second live job: no second timer
    expect(store.heartbeat.lastAt()).toBe(t0)
    expect(clock.pending).toBe(1)
    clock.advance(HEARTBEAT_MS * 2 + 1)
    expect(store.heartbeat.lastAt()).toBe(t0 + 2 * HEARTBEAT_MS)
    live = false
    clock.advance(HEARTBEAT_MS * 5)
    expect(store.heartbeat.lastAt()).toBe(t0 + 2 * HEARTBEAT_MS) // idle: no writes
    expect(clock.pending).toBe(0)
    live = true
    heart.keep()
    expect(store.heartbeat.lastAt()).toBe(clock.now())
    heart.stop()
    expect(clock.pending).toBe(0)
  })

  it('writes nothing while the database may not be written (the engine waits out a lock)', () => {
    const store = freshStore()
    const clock = new ManualClock()
    let writable = false
    const heart = new Heartbeat(store.heartbeat, clock, () => true, () => writable)
    heart.keep()
    clock.advance(HEARTBEAT_MS)
    expect(store.heartbeat.lastAt()).toBeNull()
    writable = true
    clock.advance(HEARTBEAT_MS)
    expect(store.heartbeat.lastAt()).toBe(clock.now())
    heart.stop()
  })
})
