// Attack (#9 §2, atk11): the Scripts page's table list (GET /api/v1/scratch/tables) reads the caller's
// scratch database on the main thread (saved-scripts.ts readScratchTables: better-sqlite3, synchronous)
// and answers every column of up to 500 tables and views. A user granted nothing (SQL needs no right)
// makes one table of 2,000 columns (SQLite's most) and 499 views `SELECT * FROM` it with one 63 kB SQL
// job: 1,000,000 columns. Over real HTTP against a served app, the list then answered 68 MB after
// 5.2 s with a health probe held 5.1 s: every request of every user waited. The measure: a
// status probe answers in under 200 ms.
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../support/served-process'
import { createUser } from '../support/users'

const app = servedProcessSuite()

describe('attack: a scratch database of wide tables and views', () => {
  it('its table list holds no request of anyone', async () => {
    const eve = await createUser(app, 'eve') // no rights: SQL needs none
    const auth = { authorization: `Bearer ${eve.token}` }
    const columns = Array.from({ length: 2000 }, (_, i) => `c${i} INTEGER NOT NULL`).join(', ')
    const views = Array.from({ length: 499 }, (_, i) => `CREATE VIEW v${String(i).padStart(3, '0')} AS SELECT * FROM w;`).join('\n')
    const res = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'script', language: 'sql', code: `CREATE TABLE w (${columns});\n${views}` }),
    })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: number }
    for (;;) {
      const job = (await (await fetch(`${app.url}/api/v1/jobs/${id}`, { headers: auth })).json()) as { status: string }
      if (job.status !== 'queued' && job.status !== 'running') {
        expect(job.status).toBe('succeeded')
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    // before: 68 MB answered after 5.2 s, the probe held 5.1 s
    const status = await underProbe(app, async () => {
      const list = await fetch(`${app.url}/api/v1/scratch/tables`, { headers: auth })
      await list.arrayBuffer()
      return list.status
    })
    expect(status).toBe(200)
  }, 300_000)
})
