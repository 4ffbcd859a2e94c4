// What the stored versions of one user's workflows take (store/workflow-bytes.ts, migration 038,
// atk15), which the per-user quota MAX_WORKFLOW_BYTES_PER_USER reads before every save: a running
// total per owner kept by triggers. It must always equal the sum it stands for (read here with a query
// of its own): Rill Flow versions (text and parsed form) and graph workflow versions (document), in
// UTF-8 bytes, only the owner's, a text stored again not twice, a deleted workflow's versions at once;
// and an upgraded store starts from the versions it held.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { GraphWorkflowDocument } from '../../shared/graph-workflows'
import { openStore, type Store } from '../../electron/store'
import type { Db } from '../../electron/store/connection'
import { MIGRATIONS } from '../../electron/store/migrations'
import userWorkflowBytes from '../../electron/store/migrations/038-user-workflow-bytes'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/** The versions of `owner`'s workflows, summed afresh. */
const summed = (db: Db | Database.Database, owner: string): number =>
  (db
    .prepare('SELECT coalesce(sum(octet_length(w.source) + octet_length(w.parsed)), 0) FROM workflow_owners o JOIN workflows w ON w.workspace = o.workspace AND w.name = o.name WHERE o.owner = ?')
    .pluck()
    .get(owner) as number) +
  (db.prepare('SELECT coalesce(sum(octet_length(v.document)), 0) FROM graph_workflows g JOIN graph_workflow_versions v ON v.workflow_id = g.id WHERE g.owner = ?').pluck().get(owner) as number)

const addVersion = (store: Store, ws: string, name: string, source: string, by: string) =>
  store.workflows.add({ workspace: ws, name, version: `v${source.length}${source.slice(0, 8)}`, format: 'yaml', source, parsedJson: JSON.stringify({ s: source.length }), createdBy: by })
const doc = (name: string, pad = 0) => ({ name, components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e'.repeat(pad) + '.csv' } }], wires: [] }) as unknown as GraphWorkflowDocument

describe("the bytes of a user's workflow versions", () => {
  it('counts Rill Flow and graph workflow versions of the owner, in UTF-8 bytes, a text stored again once, and frees a deleted workflow’s at once', () => {
    const { store } = stores.open()
    addVersion(store, 'ws', 'a', 'é'.repeat(1000), 'eve') // 2 bytes a character
    addVersion(store, 'ws', 'a', 'x'.repeat(500), 'bob') // a version of eve's workflow, by someone else: hers
    addVersion(store, 'ws', 'a', 'x'.repeat(500), 'eve') // the same text again: not stored twice
    addVersion(store, 'ws', 'b', 'y'.repeat(300), 'bob')
    const g = store.graphWorkflows.create(doc('g', 100), 'eve')
    store.graphWorkflows.saveVersion(g, doc('g', 200), 'eve')
    expect(store.workflowBytes.ofOwner('eve')).toBe(summed(store.db, 'eve'))
    expect(store.workflowBytes.ofOwner('eve')).toBeGreaterThan(2000 + 500 + 300)
    expect(store.workflowBytes.ofOwner('bob')).toBe(summed(store.db, 'bob'))
    expect(store.workflowBytes.ofOwner('nobody')).toBe(0)

    expect(store.workflows.remove('ws', 'a')).toBe(true)
    expect(store.workflowBytes.ofOwner('eve')).toBe(summed(store.db, 'eve'))
    expect(store.graphWorkflows.delete(g)).toBe(true)
    expect(store.workflowBytes.ofOwner('eve')).toBe(0)
    expect(store.workflowBytes.ofOwner('bob')).toBe(summed(store.db, 'bob'))
    expect(store.workflowBytes.ofOwner('bob')).toBeGreaterThan(300)
  })

  it('starts, in a store upgraded to it, from the versions the store already held', () => {
    const file = join(tempDir(), 'jobdesk.db')
    oldDatabase(file, MIGRATIONS.indexOf(userWorkflowBytes), (db) => {
      db.prepare("INSERT INTO workflow_owners (workspace, name, owner) VALUES ('ws', 'a', 'eve')").run()
      db.prepare("INSERT INTO workflows (workspace, name, version, format, source, parsed, created_by, created_at) VALUES ('ws', 'a', 'v1', 'yaml', ?, '{}', 'eve', 0)").run('ü'.repeat(100))
      db.prepare("INSERT INTO graph_workflows (id, name, owner, created_at, updated_at) VALUES (7, 'g', 'eve', 0, 0)").run()
      db.prepare("INSERT INTO graph_workflow_versions (workflow_id, version, document, saved_by, saved_at) VALUES (7, 1, ?, 'eve', 0)").run('{"name":"g"}')
    })
    const store = openStore(file)
    try {
      expect(store.workflowBytes.ofOwner('eve')).toBe(200 + 2 + 12)
      store.graphWorkflows.delete(7)
      expect(store.workflowBytes.ofOwner('eve')).toBe(202)
    } finally {
      store.close()
    }
  })
})
