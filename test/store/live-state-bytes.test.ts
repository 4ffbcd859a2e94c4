// The state a user's unfinished jobs hold (store/kept-bytes.ts liveStateOf, migration 041): what
// shared/quotas.ts MAX_HELD_WORK_PER_USER.bytes reads at every engine commit and submit. Its running
// total must always equal the sum of jobs.state_bytes over the user's queued, running and cancelling
// jobs (read here with a query of its own): as values are written, as a job ends (its state stops
// counting, though it is still kept), is re-opened by a redo, or is deleted, and the kept total the
// same trigger keeps stays right; an upgraded store starts from the live state it held.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import { MIGRATIONS } from '../../electron/store/migrations'
import userLiveStateBytes from '../../electron/store/migrations/041-user-live-state-bytes'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/** The state of `submitter`'s unfinished jobs, summed afresh. */
const liveSummed = (store: Store, submitter: string): number =>
  store.db.prepare("SELECT coalesce(sum(state_bytes), 0) FROM jobs WHERE submitter = ? AND status IN ('queued', 'running', 'cancelling')").pluck().get(submitter) as number

/** What `submitter`'s jobs keep, summed afresh (no result rows here). */
const keptSummed = (store: Store, submitter: string): number =>
  store.db.prepare('SELECT coalesce(sum(input_bytes + log_bytes + state_bytes), 0) FROM jobs WHERE submitter = ?').pluck().get(submitter) as number

const oneTask = (store: Store, uuid: string, submitter: string): number => store.jobs.create({ uuid, kind: 'dag', name: uuid, submitter }, [{ name: 'a', executor: 'noop', spec: {} }])

describe("the state a user's unfinished jobs hold", () => {
  it('follows values written, a job ending, re-opened and deleted, and counts only the submitter’s unfinished jobs', () => {
    const { store } = stores.open()
    const id = oneTask(store, 'e1', 'eve')
    const other = oneTask(store, 'b1', 'bob')
    const expectLive = () => {
      expect(store.keptBytes.liveStateOf('eve')).toBe(liveSummed(store, 'eve'))
      expect(store.keptBytes.liveStateOf('bob')).toBe(liveSummed(store, 'bob'))
      expect(store.keptBytes.ofSubmitter('eve')).toBe(keptSummed(store, 'eve')) // one trigger keeps both: the kept total is still right
    }
    expectLive()
    const [a] = store.jobs.tasks(id)
    a!.input = { s: 'é'.repeat(1000) }
    store.jobs.saveTask(a!)
    expect(store.keptBytes.liveStateOf('eve')).toBeGreaterThan(2000)
    expectLive()

    const job = store.jobs.get(id)!
    job.status = 'running'
    job.context = { c: 'c'.repeat(3000) } // the status and the state change in one save
    store.jobs.saveJob(job)
    expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.stateOfJob(id))
    expectLive()

    job.status = 'cancelling'
    store.jobs.saveJob(job)
    expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.stateOfJob(id))

    job.status = 'failed' // ended: still kept, no longer held
    job.context = { c: 'd'.repeat(4000) }
    store.jobs.saveJob(job)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    expect(store.keptBytes.stateOfJob(id)).toBeGreaterThan(4000)
    expectLive()
    a!.output = { o: 'o'.repeat(500) } // an ended job's rows change: nothing held
    store.jobs.saveTask(a!)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    expectLive()

    job.status = 'running' // a redo re-opens it: held again, whole
    store.jobs.saveJob(job)
    expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.stateOfJob(id))
    expectLive()
    expect(store.keptBytes.liveStateOf('bob')).toBe(store.keptBytes.stateOfJob(other))

    store.jobs.delete(id)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    expectLive()
  })

  it('starts, in a store upgraded to it, from the state its unfinished jobs held', () => {
    const file = join(tempDir(), 'jobdesk.db')
    const ids = oldDatabase(file, MIGRATIONS.indexOf(userLiveStateBytes), (db) => {
      const job = (uuid: string, status: string) =>
        Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at) VALUES (?, 'dag', 'n', ?, 'eve', 0, 0)").run(uuid, status).lastInsertRowid)
      const running = job('r', 'running')
      const done = job('d', 'succeeded')
      for (const [id, n] of [[running, 3000], [done, 5000]] as const)
        db.prepare("INSERT INTO tasks (job_id, name, executor, status, input) VALUES (?, 'a', 'noop', 'running', ?)").run(id, JSON.stringify({ s: 'x'.repeat(n) }))
      return { running, done }
    })
    const store = openStore(file)
    try {
      expect(store.keptBytes.stateOfJob(ids.done)).toBeGreaterThan(5000)
      expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.stateOfJob(ids.running))
      expect(store.keptBytes.liveStateOf('eve')).toBe(liveSummed(store, 'eve'))
    } finally {
      store.close()
    }
  })
})
