// Attack on "lockwait" (#9 §2): while another program holds jobdesk.db's write lock, reads still
// answer (WAL readers are not blocked). A GES read signed with an access key is not a write, but its
// preValidation hook (ges/auth.ts checkSignature) records the key's last_used_at with an UPDATE on
// every request, outside the retried handler and without the busy tolerance users.touchToken has: so
// every AK/SK-signed GES call (a job list, a status poll) fails while the lock is held.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { queryString, sdkSign } from './sdk-signer'

let t: TestApp
let other: Database.Database
let ak: string
let sk: string
let host: string

beforeAll(async () => {
  t = await startTestApp()
  host = new URL(t.url).host
  const made = await t.call('POST', '/api/v1/access-keys', { description: 'python sdk' })
  expect(made.status).toBe(201)
  ak = made.body.accessKey
  sk = made.body.secretKey
  other = new Database(join(t.dir, 'jobdesk.db'))
}, 60_000)
afterAll(async () => {
  if (other.inTransaction) other.exec('ROLLBACK')
  other.close()
  await t.close()
})

async function signedGet(path: string): Promise<number> {
  const query: [string, string][] = []
  const headers = sdkSign(ak, sk, { method: 'GET', host, path, query, headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' } })
  const res = await fetch(`${t.url}${path}${queryString(query)}`, { method: 'GET', headers })
  await res.text()
  return res.status
}

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
