// Golden tests of TuGraph's built-in procedures (reference/tugraph.md §4.1, §8 items 9, 32, 33) on
// the fixed small graph: labels and schemas, creating labels, subgraphs, upserts, graph
// management, counts and shortest paths, with CALL … YIELD.
import { beforeEach, describe, expect, it } from 'vitest'
import { createGraphFile, dropGraphFiles, listGraphNames } from '../../electron/graph/store/catalog'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import type { GraphCatalog } from '../../electron/graph/cypher/procedures'
import { runCypher } from '../../electron/graph/cypher/run'
import { tugraphData } from '../../electron/graph/cypher/tugraph-json'
import { useFixtureGraph, q, rowObjects } from './fixture'

let dir = ''
let g: GraphDb
const fixture = useFixtureGraph('each')
beforeEach(() => ({ dir, g } = fixture))

const catalog = (): GraphCatalog => ({
  list: () => listGraphNames(dir).map((name) => ({ name, description: '', maxSizeGb: 0 })),
  create: (name, description, maxSizeGb) => createGraphFile(dir, name, { description, maxSizeGb }),
  drop: (name) => dropGraphFiles(dir, name),
})
const call = (script: string, isAdmin = true) => rowObjects(runCypher(g, { script }, { env: { catalog: catalog(), actor: { username: isAdmin ? 'admin' : 'bob', isAdmin } } }))
/** The jsonFormat=true data TuGraph answers. */
const data = (script: string) => JSON.parse(tugraphData(runCypher(g, { script }), true))

describe('labels and schemas (§8.9, §8.32)', () => {
  it('lists vertex and edge labels', () => {
    expect(call('CALL db.vertexLabels()')).toEqual([{ label: 'person' }, { label: 'city' }])
    expect(call('CALL db.edgeLabels() YIELD label RETURN label ORDER BY label DESC')).toEqual([{ label: 'livesIn' }, { label: 'knows' }])
  })

  it('creates a vertex label (result []) and answers its schema', () => {
    expect(data("CALL db.createVertexLabel('town','name','name','string',false,'zip','int32',true)")).toEqual({ result: [] })
    expect(call("CALL db.getLabelSchema('vertex','town')")).toEqual([
      { name: 'name', type: 'STRING', optional: false },
      { name: 'zip', type: 'INT32', optional: true },
    ])
    expect(q(g, "CREATE (t:town {name:'Ely', zip: 7}) RETURN t")).toEqual([{ t: { identity: 6, label: 'town', properties: { name: 'Ely', zip: 7 } } }])
  })

  it('creates edge labels with constraints, also through db.createLabel', () => {
    expect(call(`CALL db.createEdgeLabel('visits', '[["person","city"]]', 'times', 'INT64', true)`)).toEqual([])
    expect(call(`CALL db.createLabel('edge', 'likes', '[]', ['w', 'DOUBLE', true])`)).toEqual([])
    expect(call(`CALL db.createLabel('vertex', 'tag', 'name', ['name', 'STRING', false])`)).toEqual([])
    expect(call('CALL db.getEdgeSchema("visits")')).toEqual([
      { schema: { label: 'visits', type: 'EDGE', constraints: [['person', 'city']], properties: [{ name: 'times', type: 'INT64', optional: true }] } },
    ])
    expect(call('CALL db.getVertexSchema("tag") YIELD schema RETURN schema.primary AS p')).toEqual([{ p: 'name' }])
    expect(() => call("CALL db.createVertexLabel('person','id','id','int64',false)")).toThrow('Vertex label [person] already exists.')
  })

  it('lists indexes', () => {
    expect(call('CALL db.indexes()')).toEqual([
      { label: 'person', field: 'id', label_type: 'vertex', unique: true, pair_unique: false },
      { label: 'city', field: 'name', label_type: 'vertex', unique: true, pair_unique: false },
    ])
  })

  it('names unknown procedures and outputs', () => {
    expect(() => call('CALL db.nosuch()')).toThrow('Procedure db.nosuch not found.')
    expect(() => call('CALL db.vertexLabels() YIELD nope RETURN nope')).toThrow('Procedure db.vertexLabels has no output named nope.')
  })
})

describe('db.subgraph (§8.33)', () => {
  it('answers one cell that TuGraph’s JSON turns into {nodes, relationships}', () => {
    const d = data('CALL db.subgraph([0, 1, 4])')
    expect(d.result).toHaveLength(1)
    expect(d.result[0].subgraph).toEqual({
      nodes: [
        { identity: 0, label: 'person', properties: { age: 30, born: '1994-03-01', id: 1, name: 'Alice' } },
        { identity: 1, label: 'person', properties: { age: 25, born: null, id: 2, name: 'Bob' } },
        { identity: 4, label: 'city', properties: { name: 'London', pop: 9000000 } },
      ],
      relationships: [
        { dst: 1, forward: true, identity: 0, label: 'knows', label_id: 0, properties: { since: 2010 }, src: 0, temporal_id: 0 },
        { dst: 4, forward: true, identity: 0, label: 'livesIn', label_id: 1, src: 0, temporal_id: 0 },
        { dst: 4, forward: true, identity: 0, label: 'livesIn', label_id: 1, src: 1, temporal_id: 0 },
      ],
    })
  })
})

describe('upserts', () => {
  it('db.upsertVertex inserts new keys, updates existing ones and counts bad rows', () => {
    expect(call("CALL db.upsertVertex('person', [{id: 2, age: 26}, {id: 50, name: 'New'}, {id: 'x', name: 'Bad'}, {name: 'no key'}])")).toEqual([
      { total: 4, data_error: 2, index_conflict: 0, insert: 1, update: 1 },
    ])
    expect(q(g, 'MATCH (n:person) WHERE n.id IN [2, 50] RETURN n.id, n.name, n.age ORDER BY n.id')).toEqual([
      { 'n.id': 2, 'n.name': 'Bob', 'n.age': 26 },
      { 'n.id': 50, 'n.name': 'New', 'n.age': null },
    ])
  })

  it('db.upsertEdge finds endpoints by key and updates an edge that exists', () => {
    expect(call("CALL db.upsertEdge('knows', {type: 'person', key: 'a'}, {type: 'person', key: 'b'}, [{a: 1, b: 2, since: 1}, {a: 4, b: 1, since: 2}, {a: 9, b: 1}])")).toEqual([
      { total: 3, data_error: 1, index_conflict: 0, insert: 1, update: 1 },
    ])
    expect(q(g, 'MATCH (a:person)-[r:knows]->(b:person) WHERE a.id IN [1, 4] AND b.id IN [1, 2] RETURN a.id, b.id, r.since ORDER BY a.id')).toEqual([
      { 'a.id': 1, 'b.id': 2, 'r.since': 1 },
      { 'a.id': 4, 'b.id': 1, 'r.since': 2 },
    ])
  })
})

describe('dbms', () => {
  it('lists procedures with their signatures', () => {
    const rows = call('CALL dbms.procedures() YIELD name, read_only WHERE name STARTS WITH "db.vertex" RETURN name, read_only')
    expect(rows).toEqual([{ name: 'db.vertexLabels', read_only: true }])
  })

  it('creates, lists and deletes graphs (admins only)', () => {
    expect(call("CALL dbms.graph.createGraph('g2', 'second', 1)")).toEqual([])
    expect(call('CALL dbms.graph.listGraphs() YIELD graph_name RETURN graph_name')).toEqual([{ graph_name: 'g' }, { graph_name: 'g2' }])
    expect(() => call("CALL dbms.graph.deleteGraph('g2')", false)).toThrow('Non-admin cannot delete graphs.')
    expect(call("CALL dbms.graph.deleteGraph('g2')")).toEqual([])
    expect(listGraphNames(dir)).toEqual(['g'])
  })

  it('refuses admin-only procedures to a query that names no actor (fail closed, #9 review)', () => {
    const anonymous = (script: string) => runCypher(g, { script }, { env: { catalog: catalog() } })
    expect(() => anonymous("CALL dbms.graph.createGraph('g3')")).toThrow('Non-admin cannot create graphs.')
    expect(() => anonymous("CALL dbms.graph.deleteGraph('g')")).toThrow('Non-admin cannot delete graphs.')
    expect(() => anonymous('CALL db.dropDB()')).toThrow('Admin access right required.')
    expect(() => anonymous("CALL db.deleteLabel('edge', 'knows')")).toThrow('Admin access right required.')
    expect(listGraphNames(dir)).toEqual(['g'])
    expect(call('CALL db.edgeLabels()')).toHaveLength(2)
  })

  it('counts vertices and edges', () => {
    expect(call('CALL dbms.meta.count()')).toEqual([
      { type: 'vertex', number: 6 },
      { type: 'edge', number: 7 },
    ])
  })
})

describe('algo', () => {
  it('finds a shortest path and all shortest paths between two vertices', () => {
    expect(call("MATCH (a:person {id:2}), (b:city {name:'Paris'}) CALL algo.shortestPath(a, b) YIELD nodeCount, totalCost RETURN nodeCount, totalCost")).toEqual([{ nodeCount: 3, totalCost: 2 }])
    expect(call("MATCH (a:person {id:1}), (b:person {id:3}) CALL algo.allShortestPaths(a, b, {relationshipQuery: 'knows'}) YIELD nodeIds, cost RETURN nodeIds, cost")).toEqual([
      { nodeIds: [0, 2], cost: 1 },
      { nodeIds: [0, 2], cost: 1 },
    ])
  })
})
