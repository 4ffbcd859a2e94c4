// The main connection's wait for another program's write lock is spent on the main thread (#9 §2):
// it is short (BUSY_TIMEOUT_MS), and while a write it refused waits to be tried again, other writes
// on the connection do not wait at all (three requests and a commit each waiting 50 ms in one turn
// held a status probe 200 ms); once the retries are over, writes wait as usual again.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BUSY_TIMEOUT_MS, OPEN_BUSY_TIMEOUT_MS } from '../../electron/store/connection'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function lockedStore() {
  const s = tempStore()
  const other = new Database(s.file)
  cleanup = () => {
    if (other.inTransaction) other.exec('ROLLBACK')
    other.close()
    s.cleanup()
  }
  const wait = () => s.store.db.pragma('busy_timeout', { simple: true }) as number
  /** How long a write on the store took to be refused (ms). */
  const refusal = () => {
    const t0 = performance.now()
    expect(() => s.store.transaction(() => s.store.settings.set('lock-wait', 'x'))).toThrow(/database is locked/)
    return performance.now() - t0
  }
  return { ...s, other, wait, refusal }
}

describe('the main connection and another program’s write lock', () => {
  it('waits BUSY_TIMEOUT_MS once open, far less than while opening', () => {
    const { wait } = lockedStore()
    expect(BUSY_TIMEOUT_MS).toBeLessThanOrEqual(50)
    expect(OPEN_BUSY_TIMEOUT_MS).toBeGreaterThan(BUSY_TIMEOUT_MS)
    expect(wait()).toBe(BUSY_TIMEOUT_MS)
  })

  it('while a refused write waits to be tried again, refuses others at once; then waits as usual again', async () => {
    const { store, other, wait, refusal } = lockedStore()
    other.exec('BEGIN IMMEDIATE')
    expect(refusal()).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 5)
    const retried = store.whileBusy(() => store.settings.set('lock-wait', 'retried'), undefined, 10_000)
    await new Promise((r) => setTimeout(r, 150))
    expect(wait()).toBe(0)
    expect(refusal()).toBeLessThan(BUSY_TIMEOUT_MS - 5)
    other.exec('COMMIT')
    await retried
    expect(store.settings.get('lock-wait', null)).toBe('retried')
    expect(wait()).toBe(BUSY_TIMEOUT_MS)
  })
})
