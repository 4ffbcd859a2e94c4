// jobdesk.db locked by another program (a sqlite3 shell left in BEGIN IMMEDIATE, a long VACUUM)
// (#9 §2): the status probe (a read: WAL readers are not blocked) answers within 200 ms while HTTP
// writes in every dialect meet the lock, wait for it with the event loop free, and are answered 503
// with Retry-After. The main connection used to wait 5 s for the lock on the main thread, per write.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { linkisClient } from '../linkis/support'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { rillClient } from '../workflows/support/rill-client'

const app = servedProcessSuite()

describe('jobdesk.db locked by another program', () => {
  it('a status probe answers within 200 ms while submits and a user change in every dialect wait, then answer 503 with Retry-After', async () => {
    const rill = rillClient(app.url)
    const flow = await rill.addDescriptor('workspace: locked\ndagName: plain\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const linkis = linkisClient(app.url)
    expect((await linkis.login()).status).toBe(200)
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
      return { path, status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() }
    }
    const admin = { authorization: `Bearer ${app.token}` }
    let n = 0
    const writes = () =>
      Promise.all([
        post('/api/v1/jobs', { type: 'script', language: 'shell', code: 'true' }, admin),
        post(`/flow/submit.json?descriptor_id=${encodeURIComponent(flow)}`, {}),
        post('/api/rest_j/v1/entrance/submit', { executionContent: { code: 'true', runType: 'sh' }, labels: { engineType: 'shell-1', userCreator: 'admin-IDE' } }, { cookie: linkis.cookie }),
        post('/api/v1/users', { username: `locked${n++}`, password: 'locked-password-1', role: 'user' }, admin),
      ])
    const other = new Database(join(app.dir, 'jobdesk.db'))
    try {
      other.exec('BEGIN IMMEDIATE')
      // two waves, the second while the first's retries are under way
      const { result, probe } = await probeWhile(app, async () => (await Promise.all([writes(), new Promise((r) => setTimeout(r, 700)).then(writes)])).flat())
      other.exec('COMMIT')
      console.log(`locked database: ${probe.count} probes, slowest ${Math.round(probe.maxMs)} ms, p99 ${Math.round(probe.p99Ms)} ms`)
      expect(app.child.exitCode).toBe(null)
      expectResponsive(probe)
      for (const r of result) {
        expect(r.status, `${r.path}: ${r.body}`).toBe(503)
        expect(r.retryAfter, r.path).toMatch(/^\d+$/)
        expect(r.body, r.path).toMatch(/locked by another program; try again/)
      }
      // and once the lock is gone, writes are stored again
      expect((await post('/api/v1/jobs', { type: 'script', language: 'shell', code: 'true' }, admin)).status).toBe(201)
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK')
      other.close()
    }
  })
})
