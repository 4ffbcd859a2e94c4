// The write procedures GraphHost refuses at once on a graph an import holds (surely-writes.ts
// PROCEDURES_REFUSED_WHILE_IMPORTING) are exactly those the Cypher engine refuses there (procedures.ts),
// run on a graph file in a temp dir: a procedure refused early that the engine would run would be a
// read or a label made refused for nothing; one the engine refuses but the list misses waits for a query
// worker, and the import's package lock, to be refused (1.1-1.4 s, #9). Every write procedure the engine
// knows is in the list or among those that run beside an import, so a new one must be placed.
import { rmSync } from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { runCypher } from '../../electron/graph/cypher/run'
import { PROCEDURES_REFUSED_WHILE_IMPORTING, surelyRefusedWhileImporting } from '../../electron/graph/cypher/surely-writes'
import { tempDir } from '../support/temp-store'
import { tempGraph } from './support'

const dir = tempDir()
const g = tempGraph(dir) // person(id, name, age), knows(since): PERSON_SCHEMA
afterAll(() => {
  g.close()
  rmSync(dir, { recursive: true, force: true })
})

const admin = { username: 'admin', isAdmin: true }
const busy = { actor: admin, busyGraphs: new Map([['g', 'job 7']]) }

/** A call of each write procedure that the engine would run on this graph if no import held it. */
const REFUSED: Record<string, string> = {
  'db.deleteLabel': "CALL db.deleteLabel('edge', 'knows')",
  'db.alterLabelDelFields': "CALL db.alterLabelDelFields('vertex', 'person', ['age'])",
  'db.alterLabelAddFields': "CALL db.alterLabelAddFields('vertex', 'person', ['nick', 'STRING', '', true])",
  'db.alterLabelModFields': "CALL db.alterLabelModFields('vertex', 'person', ['age', 'INT64', true])",
  'db.addIndex': "CALL db.addIndex('person', 'name', false)",
  'db.deleteIndex': "CALL db.deleteIndex('person', 'name')",
  'db.addEdgeIndex': "CALL db.addEdgeIndex('knows', 'since', false, false)",
  'db.deleteEdgeIndex': "CALL db.deleteEdgeIndex('knows', 'since')",
  'db.dropDB': 'CALL db.dropDB()',
  'db.upsertVertex': "CALL db.upsertVertex('person', [{id: 9, name: 'N'}])",
  'db.upsertEdge': "CALL db.upsertEdge('knows', {type: 'person', key: 'a'}, {type: 'person', key: 'b'}, [{a: 1, b: 2}])",
}
/** What a call of REFUSED needs made first. */
const MADE_FIRST: Record<string, string> = {
  'db.deleteIndex': "CALL db.addIndex('person', 'name', false)",
  'db.deleteEdgeIndex': "CALL db.addEdgeIndex('knows', 'since', false, false)",
}
/** The write procedures that run beside an import: a new label, a checkpoint. */
const RUN_BESIDE: Record<string, string> = {
  'db.createVertexLabel': "CALL db.createVertexLabel('more', 'id', 'id', 'INT64', false)",
  'db.createEdgeLabel': "CALL db.createEdgeLabel('more_e', '[]')",
  'db.createLabel': "CALL db.createLabel('vertex', 'tag', 'name', ['name', 'STRING', false])",
  'db.flushDB': 'CALL db.flushDB()',
}

it('lists every write procedure the engine knows as refused during an import or run beside one', () => {
  const { rows } = runCypher(g, { script: 'CALL dbms.procedures() YIELD name, read_only WHERE NOT read_only RETURN name' }, { env: { actor: admin } })
  const writes = rows.map(([name]) => name as string).sort()
  expect(writes).toEqual([...Object.keys(REFUSED), ...Object.keys(RUN_BESIDE)].sort())
  expect([...PROCEDURES_REFUSED_WHILE_IMPORTING].sort()).toEqual(Object.keys(REFUSED).map((n) => n.toLowerCase()).sort())
})

it('refuses early what the engine refuses, with the engine’s graph_busy, and nothing it runs', () => {
  for (const [name, script] of Object.entries(REFUSED)) {
    expect(surelyRefusedWhileImporting(script), name).toBe(true)
    expect(() => runCypher(g, { script }, { env: busy }), name).toThrow(expect.objectContaining({ code: 'graph_busy', message: expect.stringContaining('(job 7)') }))
  }
  for (const [name, script] of Object.entries(RUN_BESIDE)) {
    expect(surelyRefusedWhileImporting(script), name).toBe(false)
    expect(() => runCypher(g, { script }, { env: busy }), name).not.toThrow()
  }
})

it('runs each of those calls where no import holds the graph (their refusal is the import’s, not their arguments’)', () => {
  for (const [name, script] of Object.entries(REFUSED)) {
    const other = tempDir()
    const fresh = tempGraph(other)
    try {
      if (MADE_FIRST[name]) runCypher(fresh, { script: MADE_FIRST[name] }, { env: { actor: admin } })
      expect(() => runCypher(fresh, { script }, { env: { actor: admin } }), name).not.toThrow()
    } finally {
      fresh.close()
      rmSync(other, { recursive: true, force: true })
    }
  }
})
