// Golden tests of TuGraph's procedures that change an existing schema (reference/tugraph.md §4.1;
// tugraph-db procedure.h signatures, lgraph_exceptions.h texts): db.deleteLabel,
// db.alterLabelAddFields / DelFields / ModFields, db.addIndex, db.deleteIndex, db.dropDB, on the
// fixed small graph. Each checks the exact jsonFormat=true data, what the graph holds after, that
// a failing change leaves schema and data as they were, and that only admins may change a schema.
import Database from 'better-sqlite3'
import { copyFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { graphFile } from '../../electron/graph/store/catalog'
import { runCypher } from '../../electron/graph/cypher/run'
import { tugraphData } from '../../electron/graph/cypher/tugraph-json'
import { useFixtureGraph, q } from './fixture'

let dir = ''
let g: GraphDb
const fixture = useFixtureGraph('each')
beforeEach(() => ({ dir, g } = fixture))

const admin = { username: 'admin', isAdmin: true }
/** The jsonFormat=true data TuGraph answers, run as `actor` (an admin unless told). */
const data = (script: string, actor = admin) => JSON.parse(tugraphData(runCypher(g, { script }, { env: { actor } }), true))
const schema = (kind: 'vertex' | 'edge', label: string) => data(`CALL db.getLabelSchema('${kind}', '${label}')`).result
const bob = { username: 'bob', isAdmin: false }

describe('db.alterLabelAddFields / DelFields / ModFields', () => {
  it('adds fields with their default values and answers {record_affected}', () => {
    expect(data("CALL db.alterLabelAddFields('vertex', 'person', ['score', 'DOUBLE', 1.5, false], ['nick', 'string', null, true])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(schema('vertex', 'person').slice(4)).toEqual([
      { name: 'score', optional: false, type: 'DOUBLE' },
      { name: 'nick', optional: true, type: 'STRING' },
    ])
    expect(data('MATCH (n:person {id:1}) RETURN n').result).toEqual([
      { n: { identity: 0, label: 'person', properties: { age: 30, born: '1994-03-01', id: 1, name: 'Alice', nick: null, score: 1.5 } } },
    ])
    // the new field takes writes and keeps the label's edges and vids
    expect(q(g, "CREATE (n:person {id:9, name:'Zed', score:2.25}) RETURN id(n) AS v, n.score AS s")).toEqual([{ v: 6, s: 2.25 }])
    expect(q(g, 'MATCH (:person {id:1})-[k:knows]->(b) RETURN b.name AS b, k.since AS s ORDER BY s')).toEqual([
      { b: 'Bob', s: 2010 },
      { b: 'Carol', s: 2020 },
    ])
  })

  it('adds a field to an edge label', () => {
    expect(data("CALL db.alterLabelAddFields('edge', 'knows', ['weight', 'INT32', 7, false])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(q(g, 'MATCH (a)-[k:knows]->(b) WHERE id(a) = 0 RETURN k.weight AS w, k.since AS s ORDER BY s')).toEqual([
      { w: 7, s: 2010 },
      { w: 7, s: 2020 },
    ])
    // in-adjacency still answers
    expect(q(g, 'MATCH (a)-[:knows]->(b:person {id:1}) RETURN a.name AS a')).toEqual([{ a: 'Carol' }])
  })

  it('refuses a field that exists, a required field without a value, a value of the wrong type', () => {
    expect(() => data("CALL db.alterLabelAddFields('vertex', 'person', ['name', 'STRING', 'x', false])")).toThrow('Field [name] defined more than once.')
    expect(() => data("CALL db.alterLabelAddFields('vertex', 'person', ['x', 'STRING', null, false])")).toThrow('Field [x] is not optional.')
    expect(() => data("CALL db.alterLabelAddFields('vertex', 'person', ['x', 'INT32', 'abc', false])")).toThrow('Failed to set field [x]')
    expect(() => data("CALL db.alterLabelAddFields('vertex', 'nosuch', ['x', 'INT32', 1, false])")).toThrow('Label [nosuch] does not exist.')
    expect(() => data("CALL db.alterLabelAddFields('vertex', 'person', ['x', 'INT32', 1])")).toThrow('Each FieldSpec must be a list of (name, type, default_value, optional)')
    expect(schema('vertex', 'person')).toHaveLength(4)
  })

  it('says the field specs are separate arguments when they are given as one list of lists, with an example', () => {
    const call = () => data("CALL db.alterLabelAddFields('vertex', 'person', [['score', 'DOUBLE', 0.0, true], ['nick', 'STRING', null, true]])")
    expect(call).toThrow(/each field spec is its own argument, not one list of them/)
    expect(call).toThrow("CALL db.alterLabelAddFields('vertex', 'person', ['score', 'DOUBLE', 0.0, true], ['nick', 'STRING', null, true])")
    expect(schema('vertex', 'person')).toHaveLength(4)
  })

  it('deletes fields, but not the primary', () => {
    expect(data("CALL db.alterLabelDelFields('vertex', 'person', ['age', 'born'])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(schema('vertex', 'person')).toEqual([
      { name: 'id', optional: false, type: 'INT64' },
      { name: 'name', optional: false, type: 'STRING' },
    ])
    expect(data('MATCH (n:person {id:2}) RETURN n').result).toEqual([{ n: { identity: 1, label: 'person', properties: { id: 2, name: 'Bob' } } }])
    expect(() => q(g, 'MATCH (n:person {id:2}) SET n.age = 3')).toThrow('Field [age] does not exist')
    expect(() => data("CALL db.alterLabelDelFields('vertex', 'person', ['id'])")).toThrow('Field [id] cannot be deleted.')
    expect(() => data("CALL db.alterLabelDelFields('vertex', 'person', ['nope'])")).toThrow('Field [nope] does not exist.')
  })

  it('changes field types, converting every value, and fails whole when one does not convert', () => {
    expect(data("CALL db.alterLabelModFields('vertex', 'person', ['age', 'STRING', true])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(data('MATCH (n:person) RETURN n.age AS a ORDER BY n.id').result).toEqual([{ a: '30' }, { a: '25' }, { a: '35' }, { a: null }])
    expect(data("CALL db.alterLabelModFields('vertex', 'person', ['age', 'INT64', true])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(data('MATCH (n:person) WHERE n.age > 26 RETURN n.name AS n ORDER BY n').result).toEqual([{ n: 'Alice' }, { n: 'Carol' }])
    // Dave has no age: the field cannot become required, and nothing changes
    expect(() => data("CALL db.alterLabelModFields('vertex', 'person', ['age', 'INT32', false])")).toThrow('Field [age] is not optional.')
    expect(schema('vertex', 'person')[2]).toEqual({ name: 'age', optional: true, type: 'INT64' })
    q(g, "MATCH (n:person {id:1}) SET n.name = 'x1'")
    expect(() => data("CALL db.alterLabelModFields('vertex', 'person', ['name', 'INT32', false])")).toThrow('Failed to set field [name]: Cannot convert input [x1] into type [INT32]')
    expect(q(g, 'MATCH (n:person {id:1}) RETURN n.name AS n')).toEqual([{ n: 'x1' }])
  })

  it('turns an INT64 beyond 2^53 into its digits as a STRING (JSON.stringify threw on the bigint: 500)', () => {
    expect(data("CALL db.alterLabelModFields('vertex', 'person', ['age', 'INT64', true])")).toEqual({ result: [{ record_affected: 4 }] })
    q(g, 'MATCH (n:person {id:1}) SET n.age = 9007199254740993')
    expect(data("CALL db.alterLabelModFields('vertex', 'person', ['age', 'STRING', true])")).toEqual({ result: [{ record_affected: 4 }] })
    expect(data('MATCH (n:person {id:1}) RETURN n.age AS a').result).toEqual([{ a: '9007199254740993' }])
  })
})

describe('db.addEdgeIndex / db.deleteEdgeIndex / db.flushDB', () => {
  const edgeIndexes = () => data("CALL db.indexes() YIELD label, field, label_type, unique, pair_unique WHERE label_type = 'edge' RETURN label, field, unique, pair_unique").result

  it('adds unique and pair-unique edge indexes that edge writes then obey, and drops them', () => {
    data("CALL db.alterLabelAddFields('edge', 'knows', ['w', 'INT32', 1, false])")
    // every knows edge has w = 1: not unique over the label, unique per (src, dst) pair
    expect(() => data("CALL db.addEdgeIndex('knows', 'w', true, false)")).toThrow('Failed to add unique index [knows:w]: a value appears more than once.')
    expect(edgeIndexes()).toEqual([])
    expect(data("CALL db.addEdgeIndex('knows', 'w', false, true)")).toEqual({ result: [] })
    expect(edgeIndexes()).toEqual([{ label: 'knows', field: 'w', unique: false, pair_unique: true }])
    expect(() => q(g, 'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[:knows {w: 1}]->(b)')).toThrow(/index value already exists/)
    expect(q(g, 'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[:knows {w: 2}]->(b)')).toEqual([{ '<SUMMARY>': 'created 0 vertices, created 1 edges.' }])
    expect(data("CALL db.deleteEdgeIndex('knows', 'w')")).toEqual({ result: [] })
    expect(q(g, 'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[:knows {w: 1}]->(b)')).toEqual([{ '<SUMMARY>': 'created 0 vertices, created 1 edges.' }])
    expect(edgeIndexes()).toEqual([])
    // an optional field cannot take a unique index; BLOBs and unknown fields none
    expect(() => data("CALL db.addEdgeIndex('knows', 'since', true, false)")).toThrow('unique/primary index since should not be optional')
    expect(() => data("CALL db.addEdgeIndex('knows', 'nope', false, false)")).toThrow('Field [nope] does not exist.')
    expect(() => data("CALL db.addEdgeIndex('knows', 'w', 'yes', false)")).toThrow('unique type should be boolean')
    expect(() => data("CALL db.addEdgeIndex('knows', 'w', false, 0)")).toThrow('pair_unique type should be boolean')
    expect(() => data("CALL db.deleteEdgeIndex('person', 'id')")).toThrow('Label [person] does not exist.')
  })

  it('changes vertex and edge indexes for the graph’s owner too; a user who may only read the graph is refused and nothing changes', () => {
    const stranger = (script: string) => runCypher(g, { script }, { env: { actor: bob, readOnly: 'Graph [g] belongs to admin' } })
    for (const script of ["CALL db.addEdgeIndex('knows', 'since', false, false)", "CALL db.addIndex('person', 'name', false)"]) {
      expect(() => stranger(script), script).toThrow('Graph [g] belongs to admin')
    }
    expect(edgeIndexes()).toEqual([])
    // bob as the owner (graph-rights.ts found him so: no readOnly)
    expect(data("CALL db.addEdgeIndex('knows', 'since', false, false)", bob)).toEqual({ result: [] })
    expect(data("CALL db.addIndex('person', 'name', false)", bob)).toEqual({ result: [] })
    expect(edgeIndexes()).toEqual([{ label: 'knows', field: 'since', unique: false, pair_unique: false }])
    expect(data('CALL db.indexes()').result).toContainEqual(expect.objectContaining({ label: 'person', field: 'name' }))
    for (const script of ["CALL db.deleteEdgeIndex('knows', 'since')", "CALL db.deleteIndex('person', 'name')"]) {
      expect(() => stranger(script), script).toThrow('Graph [g] belongs to admin')
    }
    expect(edgeIndexes()).toHaveLength(1)
    expect(data("CALL db.deleteEdgeIndex('knows', 'since')", bob)).toEqual({ result: [] })
    expect(data("CALL db.deleteIndex('person', 'name')", bob)).toEqual({ result: [] })
    expect(edgeIndexes()).toEqual([])
    expect(data('CALL db.indexes()').result).not.toContainEqual(expect.objectContaining({ label: 'person', field: 'name' }))
  })

  it('flushes the graph file: the write-ahead log is copied into it after the commit, the data unchanged', () => {
    const person = g.labels().find((l) => l.name === 'person')!
    /** Whether the graph file alone (a copy without its -wal) holds person 50. */
    const inFile = () => {
      const copy = join(dir, 'copy.db')
      copyFileSync(g.db.name, copy)
      const db = new Database(copy, { readonly: true })
      try {
        const table = db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(`v_${person.tbl}`) === 1
        return table && db.prepare(`SELECT count(*) FROM v_${person.tbl} WHERE p0 = 50`).pluck().get() === 1
      } finally {
        db.close()
        rmSync(copy, { force: true })
      }
    }
    q(g, "CREATE (:person {id: 50, name: 'Wal'})")
    expect(inFile()).toBe(false) // committed to the write-ahead log only
    expect(data('CALL db.flushDB()')).toEqual({ result: [] })
    expect(inFile()).toBe(true)
    expect(q(g, 'MATCH (n:person {id: 50}) RETURN n.name AS n')).toEqual([{ n: 'Wal' }])
  })
})

describe('db.addIndex / db.deleteIndex', () => {
  it('adds an index that db.indexes lists, refuses a second one, and deletes it', () => {
    expect(data("CALL db.addIndex('person', 'name', false)")).toEqual({ result: [] })
    expect(data("CALL db.indexes() YIELD label, field, unique WHERE label = 'person' RETURN label, field, unique").result).toEqual([
      { field: 'id', label: 'person', unique: true },
      { field: 'name', label: 'person', unique: false },
    ])
    expect(data("CALL db.getVertexSchema('person')").result[0].schema.properties[1]).toEqual({ index: true, name: 'name', optional: false, type: 'STRING', unique: false })
    expect(() => data("CALL db.addIndex('person', 'name', true)")).toThrow('VertexIndex [person:name] already exist.')
    expect(() => data("CALL db.addIndex('person', 'id', false)")).toThrow('VertexIndex [person:id] already exist.')
    expect(data("CALL db.deleteIndex('person', 'name')")).toEqual({ result: [] })
    expect(data('CALL db.indexes()').result).toHaveLength(2)
    expect(() => data("CALL db.deleteIndex('person', 'name')")).toThrow('VertexIndex [person:name] does not exist.')
    expect(() => data("CALL db.deleteIndex('person', 'id')")).toThrow('Primary index [id] can not be deleted.')
  })

  it('a unique index enforces uniqueness; one over duplicate values is refused and changes nothing', () => {
    expect(data("CALL db.addIndex('person', 'name', true)")).toEqual({ result: [] })
    expect(() => q(g, "CREATE (:person {id:7, name:'Alice'})")).toThrow('index value already exists')
    data("CALL db.deleteIndex('person', 'name')")
    q(g, "MATCH (n:person {id:2}) SET n.name = 'Alice'")
    expect(() => data("CALL db.addIndex('person', 'name', true)")).toThrow('Failed to add unique index [person:name]: a value appears more than once.')
    expect(data('CALL db.indexes()').result).toHaveLength(2)
    expect(() => data("CALL db.addIndex('person', 'age', true)")).toThrow('unique/primary index age should not be optional')
    expect(() => data("CALL db.addIndex('person', 'nope', false)")).toThrow('Field [nope] does not exist.')
    expect(() => data("CALL db.addIndex('knows', 'since', false)")).toThrow('Label [knows] does not exist.')
    expect(() => data("CALL db.addIndex('person', 'name', 1)")).toThrow('unique type should be boolean')
    expect(() => data("CALL db.addIndex('person', 'name')")).toThrow('need 3 parameters, e.g. db.addIndex(label_name, field_name, unique)')
  })
})

describe('db.deleteLabel', () => {
  it('deletes an edge label with its edges', () => {
    expect(data("CALL db.deleteLabel('edge', 'livesIn')")).toEqual({ result: [] })
    expect(data('CALL db.edgeLabels()').result).toEqual([{ label: 'knows' }])
    expect(data('CALL dbms.meta.count()').result).toEqual([
      { number: 6, type: 'vertex' },
      { number: 4, type: 'edge' },
    ])
    // a new edge label gets a new label id, never the deleted one's
    data(`CALL db.createEdgeLabel('visits', '[["person","city"]]')`)
    expect(q(g, "MATCH (a:person {id:1}), (c:city {name:'Paris'}) CREATE (a)-[r:visits]->(c) RETURN r")).toEqual([
      { r: { dst: 5, forward: true, identity: 0, label: 'visits', label_id: 2, src: 0, temporal_id: 0 } },
    ])
  })

  it('deletes a vertex label with its vertices and every edge touching them; vids are not reused', () => {
    expect(() => data("CALL db.deleteLabel('vertex', 'city')")).toThrow('Vertex label [city] is used by the constraints of edge label [livesIn]')
    data("CALL db.deleteLabel('edge', 'livesIn')")
    q(g, "CREATE (:city {name:'Rome'})")
    data(`CALL db.createEdgeLabel('near', '[]')`)
    q(g, "MATCH (a:person {id:1}), (c:city {name:'Rome'}) CREATE (a)-[:near]->(c), (c)-[:near]->(a)")
    expect(data("CALL db.deleteLabel('vertex', 'city')")).toEqual({ result: [] })
    expect(data('CALL db.vertexLabels()').result).toEqual([{ label: 'person' }])
    expect(data('CALL dbms.meta.count()').result).toEqual([
      { number: 4, type: 'vertex' },
      { number: 4, type: 'edge' },
    ])
    expect(q(g, 'MATCH (a)-[:near]-(b) RETURN count(*) AS n')).toEqual([{ n: 0 }])
    expect(q(g, 'MATCH (n) RETURN count(n) AS n')).toEqual([{ n: 4 }])
    expect(() => data("CALL db.deleteLabel('vertex', 'city')")).toThrow('Label [city] does not exist.')
    data("CALL db.createVertexLabel('town', 'name', 'name', 'STRING', false)")
    expect(q(g, "CREATE (t:town {name:'Ely'}) RETURN id(t) AS v")).toEqual([{ v: 7 }])
  })
})

describe('db.dropDB and rights', () => {
  it('drops every label, vertex and edge (admins only); vids start again', () => {
    expect(() => data('CALL db.dropDB()', bob)).toThrow('Admin access right required.')
    expect(data('CALL db.dropDB()')).toEqual({ result: [] })
    expect(data('CALL db.vertexLabels()')).toEqual({ result: [] })
    expect(data('CALL dbms.meta.count()').result).toEqual([
      { number: 0, type: 'vertex' },
      { number: 0, type: 'edge' },
    ])
    data("CALL db.createVertexLabel('t', 'k', 'k', 'INT64', false)")
    expect(data('CREATE (n:t {k: 1}) RETURN n').result).toEqual([{ n: { identity: 0, label: 't', properties: { k: 1 } } }])
    expect(() => data('CALL db.dropDB(1)')).toThrow('Function requires 0 arguments, but 1 are given. Usage: db.dropDB()')
  })

  it('non-admins cannot change or drop existing labels (indexes: the owner may), and nothing changes', () => {
    for (const script of [
      "CALL db.deleteLabel('edge', 'knows')",
      "CALL db.alterLabelAddFields('vertex', 'person', ['x', 'INT32', 1, false])",
      "CALL db.alterLabelDelFields('vertex', 'person', ['age'])",
      "CALL db.alterLabelModFields('vertex', 'person', ['age', 'INT64', true])",
    ]) {
      expect(() => data(script, bob), script).toThrow('Admin access right required.')
    }
    expect(schema('vertex', 'person')).toHaveLength(4)
    expect(data('CALL db.edgeLabels()').result).toHaveLength(2)
  })

  it('another connection to the graph sees the changed schema', () => {
    const other = GraphDb.open('g', graphFile(dir, 'g'))
    try {
      expect(other.vertices('person', -1, 1)[0].properties).toEqual({ id: 1, name: 'Alice', age: 30, born: '1994-03-01' })
      data("CALL db.alterLabelDelFields('vertex', 'person', ['born'])")
      data("CALL db.addIndex('person', 'name', true)")
      expect(other.vertices('person', -1, 1)[0].properties).toEqual({ id: 1, name: 'Alice', age: 30 })
      expect(runCypher(other, { script: 'MATCH (n:person {id:2}) RETURN n.name AS n' }).rows).toEqual([['Bob']])
    } finally {
      other.close()
    }
  })
})
