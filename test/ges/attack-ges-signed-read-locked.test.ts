// Attack on "lockwait" (#9 §2): while another program holds jobdesk.db's write lock, reads still
// answer (WAL readers are not blocked). A GES read signed with an access key is not a write, but its
// preValidation hook (ges/auth.ts checkSignature) records the key's last_used_at with an UPDATE on
// every request, outside the retried handler and without the busy tolerance users.touchToken has: so
// every AK/SK-signed GES call (a job list, a status poll) fails while the lock is held.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { gesSdkSuite } from './support'

const suite = gesSdkSuite()
let t: TestApp
let other: Database.Database

beforeAll(() => {
  t = suite.t
  other = new Database(join(t.dir, 'jobdesk.db'))
})
afterAll(() => {
  if (other.inTransaction) other.exec('ROLLBACK')
  other.close()
})

const signedGet = async (path: string): Promise<number> => (await suite.signed('GET', path)).status

describe('a GES read signed with an access key while another program holds the write lock', () => {
  it('answers as a read does (200), not 503 database_locked', async () => {
    expect(await signedGet('/v2/p1/graphs/jobs')).toBe(200)
    other.exec('BEGIN IMMEDIATE')
    try {
      // the same read with a session token answers: reads are not blocked by the lock
      expect((await t.call('GET', '/api/v1/jobs')).status).toBe(200)
      expect(await signedGet('/v2/p1/graphs/jobs')).toBe(200)
    } finally {
      other.exec('ROLLBACK')
    }
  })
})
