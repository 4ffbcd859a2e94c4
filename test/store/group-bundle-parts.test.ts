// The small read-only values a foreach's groups share are stored once per job, in one part, a bundle
// (group.repository.ts bundleOf). The bundle was found again only through a memory cache of 256
// bundles: past them, or after a restart, a group saved again made its bundle anew and stored it as
// a new part each time (atk40, by reading). A job's part is now found by its text (migration 031).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { tempStore } from '../support/temp-store'

const PARENTS = 300 // more bundles than the cache keeps (256)
/** The constant parent `p`'s groups share (frozen: read-only, as a mapping's constant is): under a part's own size, so bundled. */
const constant = (p: number) => Object.freeze({ p, pad: 'x'.repeat(200) })

let t: ReturnType<typeof tempStore> | undefined
afterEach(() => t?.cleanup())

/** A new job's id on `store`. */
const newJob = (store: Store) => store.jobs.create({ uuid: randomUUID(), kind: 'workflow', name: 'ws:loop', submitter: 'admin' }, [{ name: 'loop', executor: 'rillflow' }])

/** Saves groups 0 and 1 of `parent`, each holding its index and `shared`, in one transaction. */
function saveTwo(store: Store, jobId: number, parent: string, shared: object) {
  store.transaction(() => store.groups.save(jobId, parent, [0, 1].map((index) => ({ index, status: 'running', context: { it: index, c: shared } }))))
}

const partCount = (store: Store, jobId: number) => (store.db.prepare('SELECT count(*) AS n FROM task_spec_parts WHERE job_id = ?').get(jobId) as { n: number }).n

describe("a foreach's bundle of shared constants", () => {
  it('is stored once for the job when its groups are saved again after the cache has let it go', () => {
    t = tempStore()
    const jobId = newJob(t.store)
    const constants = Array.from({ length: PARENTS }, (_, p) => constant(p))
    constants.forEach((c, p) => saveTwo(t!.store, jobId, `loop${p}`, c))
    const before = partCount(t.store, jobId)
    expect(before).toBe(PARENTS) // one bundle per parent
    // the first parents' groups change status: saved again, holding the same constants
    for (let p = 0; p < 10; p++) saveTwo(t.store, jobId, `loop${p}`, constants[p]!)
    expect(partCount(t.store, jobId)).toBe(before) // 10 more before
    expect(t.store.groups.context(jobId, 'loop0', 1)).toEqual({ it: 1, c: constants[0] })
  })

  it('holds the constants of the first group saved too, when the groups are saved together', () => {
    t = tempStore()
    const jobId = newJob(t.store)
    saveTwo(t.store, jobId, 'loop', constant(0))
    const rows = t.store.db.prepare("SELECT length(context) AS chars FROM task_groups WHERE job_id = ? AND parent = 'loop' ORDER BY idx").all(jobId)
    expect(rows).toEqual([{ chars: 17 }, { chars: 17 }]) // {"it":0,"c":null}: the constant in the bundle
    expect(partCount(t.store, jobId)).toBe(1)
  })

  it('is stored once for the job when a restarted process makes the same constants again', () => {
    t = tempStore()
    const jobId = newJob(t.store)
    saveTwo(t.store, jobId, 'loop', constant(0))
    const again = t.reopen()
    // the constant as a restarted foreach maps it again for the groups it starts: a new object, the same text
    saveTwo(again, jobId, 'loop', constant(0))
    expect(partCount(again, jobId)).toBe(1)
    expect(again.groups.context(jobId, 'loop', 0)).toEqual({ it: 0, c: constant(0) })
  })
})
