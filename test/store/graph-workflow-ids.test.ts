// A graph workflow's id is never given to another workflow (atk21): its jobs keep it in their labels,
// and clients (Explorer, bookmarks of the canvas) keep it in URLs, so a new workflow under an old id
// would show up as that old job's workflow in admin views, or open for a stale link. Ids were random
// 10-digit numbers (Explorer's form) and are numbered 1, 2, 3… now; the first tests hand the repository
// an id source that repeats, as randomness may; deleted ids stay retired, also across a restart.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createGraphWorkflowRepository } from '../../electron/store/graph-workflow.repository'
import { MIGRATIONS, runMigration } from '../../electron/store/migrations'
import retiredIds from '../../electron/store/migrations/021-retired-graph-workflow-ids'
import { tempDir, tempStore } from '../support/temp-store'

const doc = (name: string) => ({ name, components: [{ id: 'WCC_1', kind: 'algorithm' as const, algorithm: 'WCC' as const, input: { kind: 'file' as const, path: 'e.csv' } }], wires: [] })

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  cleanup = undefined
})

/** An id source that answers `ids` in turn, then fails the test if asked again. */
const repeating = (ids: number[]) => () => {
  const id = ids.shift()
  if (id === undefined) throw new Error('asked for more ids than the test expected')
  return id
}

describe('graph workflow ids', () => {
  it('never gives a deleted workflow’s id again, with or without jobs, also after a restart', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const first = createGraphWorkflowRepository(t.store.db, Date.now, repeating([4_216_617_528, 4_216_617_528, 1_000_000_001]))
    expect(first.create(doc('alice’s'), 'alice')).toBe(4_216_617_528)
    expect(first.delete(4_216_617_528)).toBe(true)
    // a job-less workflow: nothing but the retired id remembers it
    expect(first.create(doc('bob’s'), 'bob')).toBe(1_000_000_001)

    const reopened = t.reopen()
    const after = createGraphWorkflowRepository(reopened.db, Date.now, repeating([4_216_617_528, 1_000_000_001, 2_000_000_002]))
    expect(after.create(doc('carol’s'), 'carol')).toBe(2_000_000_002)
    expect(after.get(4_216_617_528)).toBeUndefined()
  })
  // #9 LOW (lows #4): ids were random 10-digit numbers (4216617528), hard to read, say and type. Explorer's
  // clients need only a number (reference/jobapis.md §B.3: workflow_id "is a number"; workflowId a
  // string of it in lists): they are 1, 2, 3… now, never one used before (deleted ones stay retired),
  // and the random ones of older databases stay as they are, the sequence going on below them.
  it('numbers new workflows 1, 2, 3…, never again a deleted one, also after a restart and beside older random ids', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const repo = createGraphWorkflowRepository(t.store.db)
    expect([repo.create(doc('a'), 'alice'), repo.create(doc('b'), 'alice'), repo.create(doc('c'), 'bob')]).toEqual([1, 2, 3])
    expect(repo.delete(3)).toBe(true)
    expect(repo.create(doc('d'), 'bob')).toBe(4)
    // an older database's random id (made before ids were numbered) stays; the numbering goes on from 4
    t.store.db.prepare("INSERT INTO graph_workflows (id, name, owner, created_at, updated_at) VALUES (4216617528, 'old', 'carol', 1, 1)").run()
    const reopened = t.reopen()
    const after = createGraphWorkflowRepository(reopened.db)
    expect(after.create(doc('e'), 'carol')).toBe(5)
    expect(after.get(4_216_617_528)?.name).toBe('old')
  })

  it('retires on upgrade the ids that jobs name but no workflow holds any more; workflows and versions stay', () => {
    const file = join(tempDir(), 'old.db')
    const old = new Database(file)
    const before = MIGRATIONS.indexOf(retiredIds)
    for (const m of MIGRATIONS.slice(0, before)) runMigration(old, m)
    old.pragma(`user_version = ${before}`)
    old.exec(`INSERT INTO graph_workflows (id, name, owner, created_at, updated_at) VALUES (3000000003, 'kept', 'bob', 1, 1);
      INSERT INTO graph_workflow_versions (workflow_id, version, document, saved_by, saved_at) VALUES (3000000003, 1, '{}', 'bob', 1);
      INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES
        ('u1', 'dag', 'old', 'succeeded', 'alice', '{"graphWorkflowId":"4216617528"}', 1, 1),
        ('u2', 'dag', 'live', 'succeeded', 'bob', '{"graphWorkflowId":"3000000003"}', 1, 1)`)
    old.close()
    const db = openDatabase(file)
    cleanup = () => db.close()
    expect(db.prepare('SELECT id FROM retired_graph_workflow_ids').pluck().all()).toEqual([4_216_617_528])
    expect(db.prepare('SELECT count(*) FROM graph_workflow_versions WHERE workflow_id = 3000000003').pluck().get()).toBe(1)
    const repo = createGraphWorkflowRepository(db, Date.now, repeating([4_216_617_528, 3_000_000_003, 5_000_000_005]))
    expect(repo.create(doc('new'), 'carol')).toBe(5_000_000_005)
    expect(repo.get(3_000_000_003)?.name).toBe('kept')
  })
})
