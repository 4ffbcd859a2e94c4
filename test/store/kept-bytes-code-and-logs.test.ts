// What one user's jobs keep counts their code and logs as well as their result rows (shared/quotas.ts
// MAX_KEPT_BYTES_PER_USER, atk14: finished jobs of 1 MB of code, or of a 5 MiB log, counted against
// nothing). The running total (store.keptBytes.ofSubmitter, store/kept-bytes.ts) takes a job's stored input at its submit and its
// stored log once the log is all written (migration 036), takes both off the moment the job is deleted
// (before the sweep removes its lines), and an upgraded store starts from the inputs and logs it held.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { LINE_COST } from '../../electron/engine/job-logs'
import { openStore } from '../../electron/store'
import { MIGRATIONS } from '../../electron/store/migrations'
import { storesPerTest } from '../support/finished-jobs'
import { makeEngine } from '../support/engine'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/** A line of `n` characters, the i-th of a job's log. */
const LINE = (i: number, n = 100) => `${i}:`.padEnd(n, 'é') // 2-byte characters: bytes are counted, not characters

/** Logs `lines` lines, pausing now and then so that several commits write them while it runs, then waits for `release`. */
function chatty(lines: number, release: Promise<void>): Executor {
  return {
    name: 'chatty',
    resumable: false,
    async run(ctx) {
      for (let i = 0; i < lines; i++) {
        ctx.log('INFO', LINE(i))
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1))
      }
      await release
      return {}
    },
  }
}

describe("a user's kept bytes count their jobs' code and logs", () => {
  it("counts a job's stored input from its submit, and only its submitter's", () => {
    const { store } = stores.open()
    const code = `select 1 -- ${'ü'.repeat(1000)}`
    const id = store.jobs.create({ uuid: 'e1', kind: 'script', name: 'e1', submitter: 'eve', input: { code } }, [{ name: 'main', executor: 'sql', spec: {} }])
    // its task's state counts too (migration 037: test/store/kept-bytes-state.test.ts)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(Buffer.byteLength(JSON.stringify({ code })) + store.keptBytes.stateOfJob(id))
    expect(store.keptBytes.stateOfJob(id)).toBeLessThan(10)
    expect(store.keptBytes.ofSubmitter('bob')).toBe(0)
    expect(store.jobs.delete(id)).toBe(true)
    expect(store.keptBytes.ofSubmitter('eve')).toBe(0)
  })

  it("counts a job's log once it is all written, as the log budget counts it, and not again per line", async () => {
    const { store } = stores.open()
    let release!: () => void
    const done = new Promise<void>((r) => (release = r))
    const engine = makeEngine(store, { executors: [chatty(2000, done)] })
    try {
      const job = engine.submit({ uuid: 'e2', kind: 'dag', name: 'e2', submitter: 'eve' }, [{ name: 'main', executor: 'chatty' }])
      // what it keeps but its state (its task's input and output, migration 037), counted as written
      const butState = () => store.keptBytes.ofSubmitter('eve') - store.keptBytes.stateOfJob(job.id)
      const inputOnly = butState()
      while (store.logs.count(job.id) < 2000) await new Promise((r) => setTimeout(r, 5))
      // written while it runs: not counted yet (no write per line)
      expect(butState()).toBe(inputOnly)
      release()
      expect((await engine.waitFor(job.id)).status).toBe('succeeded')
      const log = store.logs.storedCost(job.id, LINE_COST)
      expect(log).toBeGreaterThan(2000 * (2 * 97 + LINE_COST)) // its lines' bytes (é is 2), not characters
      expect(butState()).toBe(inputOnly + log)

      // deleted: all of it stops counting at once, though its lines are still in the file until swept
      await engine.stop()
      expect(store.jobs.delete(job.id)).toBe(true)
      expect(store.db.prepare('SELECT count(*) FROM log_lines WHERE job_id = ?').pluck().get(job.id)).toBeGreaterThan(0)
      expect(store.keptBytes.ofSubmitter('eve')).toBe(0)
    } finally {
      release()
      await engine.stop()
    }
  })

  it('starts, in a store upgraded to it, from the inputs and logs the store already held', () => {
    const file = join(tempDir(), 'jobdesk.db')
    const version = MIGRATIONS.findIndex((m) => typeof m === 'string' && m.includes('user_result_bytes')) + 1
    oldDatabase(file, version, (db) => {
      const job = (uuid: string, submitter: string) =>
        Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES (?, 'script', 'n', 'succeeded', ?, 0, 0)").run(uuid, submitter).lastInsertRowid)
      const e = job('e', 'eve')
      db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'input', ?)").run(e, '{"code":"ü"}') // 13 bytes
      db.prepare("INSERT INTO log_lines (job_id, seq, time, level, text) VALUES (?, 0, 0, 'INFO', 'hello'), (?, 1, 0, 'INFO', 'ü')").run(e, e) // 5 + 2 bytes, 2 lines
      db.prepare("INSERT INTO result_sets (job_id, task_id, idx, kind, columns, row_count, state, byte_size) VALUES (?, NULL, 0, 'table', '[]', 1, 'complete', 1000)").run(e)
      job('b', 'bob')
    })
    const store = openStore(file)
    try {
      expect(store.keptBytes.ofSubmitter('eve')).toBe(1000 + 13 + 7 + 2 * LINE_COST)
      expect(store.keptBytes.ofSubmitter('bob')).toBe(0)
    } finally {
      store.close()
    }
  })
})
