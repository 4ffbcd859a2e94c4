// A request's write refused by the store's lock (http/busy-retry.ts retryUnlessCommitted) when the
// holder may be JobDesk's own: commits of the engine on the same connection between two tries, and
// SQL jobs' processes writing result rows (store/own-writers.ts), which pause while it waits.
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HTTP_BUSY_RETRY_MS, retryUnlessCommitted } from '../../electron/http/busy-retry'
import { isBusy, openDatabase, type Db } from '../../electron/store/connection'
import { ownWritersOf } from '../../electron/store/own-writers'
import { tempDir } from '../support/temp-store'

let dir: string
let db: Db
let other: Database.Database
beforeEach(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'jobdesk.db'))
  db.exec('CREATE TABLE IF NOT EXISTS t (x)')
  other = new Database(join(dir, 'jobdesk.db'))
})
afterEach(() => {
  if (other.inTransaction) other.exec('ROLLBACK')
  other.close()
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const insert = () => db.prepare('INSERT INTO t VALUES (1)').run()
const count = () => db.prepare('SELECT count(*) FROM t').pluck().get() as number

describe('retryUnlessCommitted', () => {
  it("tries a refused write again though the engine committed on the same connection between tries", async () => {
    other.exec('BEGIN IMMEDIATE')
    let tries = 0
    const done = retryUnlessCommitted(db, async () => {
      tries++
      insert()
    })
    // the engine saves its jobs in a gap of the lock before the request's first retry (100 ms on),
    // which is refused too; the lock goes before the second (300 ms on)
    setTimeout(() => {
      other.exec('COMMIT')
      insert()
      other.exec('BEGIN IMMEDIATE')
    }, 30)
    setTimeout(() => other.exec('COMMIT'), 200)
    // before: rejected with SQLITE_BUSY after its first retry (total_changes had moved since the request began)
    await expect(done).resolves.toBeUndefined()
    expect(tries).toBe(3)
    expect(count()).toBe(2)
  })

  it('does not try again a run that committed a write before it was refused', async () => {
    let tries = 0
    const done = retryUnlessCommitted(db, async () => {
      tries++
      insert()
      other.exec('BEGIN IMMEDIATE')
      insert()
    })
    await expect(done).rejects.toSatisfy(isBusy)
    expect(tries).toBe(1)
    expect(count()).toBe(1)
  })

  it("pauses JobDesk's own writers while it waits, and names them, not another program, when one never paused", async () => {
    const calls: string[] = []
    const writer = ownWritersOf(db).add({ pause: () => calls.push('pause'), resume: () => calls.push('resume') })
    other.exec('BEGIN IMMEDIATE')
    const start = performance.now()
    // before: rejected with SQLite's refusal, answered "locked by another program"
    await expect(retryUnlessCommitted(db, async () => void insert())).rejects.toMatchObject({
      code: 'database_locked',
      message: expect.stringMatching(/JobDesk's own SQL jobs are writing their result rows; try again/),
    })
    expect(performance.now() - start).toBeGreaterThanOrEqual(HTTP_BUSY_RETRY_MS - 50)
    expect(calls).toEqual(['pause', 'resume'])
    writer.remove()
  }, 10_000)

  it('blames another program when every own writer said it paused', async () => {
    const writer = ownWritersOf(db).add({ pause: () => setTimeout(() => writer.paused(), 5), resume: () => undefined })
    other.exec('BEGIN IMMEDIATE')
    await expect(retryUnlessCommitted(db, async () => void insert())).rejects.toSatisfy(isBusy)
    expect(ownWritersOf(db).writing()).toBe(1) // going on once the wait ended
    writer.remove()
  }, 10_000)
})
