// Golden tests of Cypher's writes on the fixed small graph (fixture.ts): CREATE, SET, REMOVE,
// DELETE, DETACH DELETE and MERGE with TuGraph's <SUMMARY> texts and numbering, the strong schema's
// checks (unknown fields, types, required fields, edge constraints, duplicate keys → "index value
// already exists"), and a statement that fails part-way changing nothing (one transaction).
import { beforeEach, describe, expect, it } from 'vitest'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { runCypher } from '../../electron/graph/cypher/run'
import { useFixtureGraph, q } from './fixture'

let g: GraphDb
const fixture = useFixtureGraph('each')
beforeEach(() => ({ g } = fixture))

const err = (script: string) => {
  try {
    runCypher(g, { script })
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message }
  }
  throw new Error(`no error for ${script}`)
}

/** Everything in the graph, to compare before and after a failed statement. */
const snapshot = () => ({
  vertices: q(g, 'MATCH (n) RETURN n'),
  edges: q(g, 'MATCH ()-[r]->() RETURN r'),
  counts: g.labels().map((l) => [l.name, l.count]),
  nextVid: g.meta('next_vid'),
})

describe('CREATE', () => {
  it('answers TuGraph’s summary and numbers the new vertex after the last vid', () => {
    expect(q(g, "CREATE (n:person {id:10, name:'Eve'})")).toEqual([{ '<SUMMARY>': 'created 1 vertices, created 0 edges.' }])
    expect(q(g, 'MATCH (n:person {id:10}) RETURN n')).toEqual([{ n: { identity: 6, label: 'person', properties: { age: null, born: null, id: 10, name: 'Eve' } } }])
  })

  it('creates paths and returns them; a second edge between the same vertices gets eid 1', () => {
    expect(q(g, "MATCH (a:person {id:1}) CREATE p=(a)-[r:knows {since:2024}]->(b:person {id:11, name:'Fay'}) RETURN id(b) AS b, r")).toEqual([
      { b: 6, r: { dst: 6, forward: true, identity: 0, label: 'knows', label_id: 0, properties: { since: 2024 }, src: 0, temporal_id: 0 } },
    ])
    expect(q(g, 'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[r:knows]->(b) RETURN id(r) AS eid')).toEqual([{ eid: 1 }])
    expect(q(g, 'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (b)<-[r:knows]-(a)')).toEqual([{ '<SUMMARY>': 'created 0 vertices, created 1 edges.' }])
    expect(q(g, 'MATCH (:person {id:1})-[r:knows]->(:person {id:2}) RETURN id(r) AS eid, r.since AS s')).toEqual([
      { eid: 0, s: 2010 },
      { eid: 1, s: null },
      { eid: 2, s: null },
    ])
  })

  it('creates one vertex per input row', () => {
    expect(q(g, "UNWIND range(20, 22) AS i CREATE (:person {id: i, name: 'p' + toString(i)})")).toEqual([{ '<SUMMARY>': 'created 3 vertices, created 0 edges.' }])
    expect(q(g, 'MATCH (n:person) WHERE n.id >= 20 RETURN collect(n.name) AS names')).toEqual([{ names: ['p20', 'p21', 'p22'] }])
  })

  it('checks the schema: duplicate key, unknown field, type, required field, edge constraint, unknown label', () => {
    expect(err("CREATE (:person {id:1, name:'X'})")).toEqual({ code: 'index_conflict', message: 'Failed to index vertex [0] with field value [id:1]: index value already exists.' })
    expect(err("CREATE (:person {id:9, name:'X', nick:'x'})")).toEqual({ code: 'invalid_value', message: 'Field [nick] does not exist in label [person].' })
    expect(err("CREATE (:person {id:'nine', name:'X'})")).toEqual({ code: 'invalid_value', message: 'Failed to set field [id] of label [person]: the error item is "nine" (the field is INT64).' })
    expect(err("CREATE (:person {id:9, name:'X', age: 2.5})").message).toBe('Failed to set field [age] of label [person]: 2.5 is not an integer (the field is INT32).')
    expect(err("CREATE (:person {id:9, name:'X', born: '2020-13-01'})").code).toBe('invalid_value')
    expect(err('CREATE (:person {id:9})')).toEqual({ code: 'invalid_value', message: 'Field [name] is not optional.' })
    expect(err("MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[:livesIn]->(b)").code).toBe('constraint_violation')
    expect(err('CREATE (:robot {id:1})')).toEqual({ code: 'label_not_found', message: 'Vertex label [robot] does not exist.' })
    expect(err('CREATE (n {id:1})').code).toBe('cypher_unsupported')
  })
})

describe('SET and REMOVE', () => {
  it('sets properties, counting them, and reads the new values in the same statement', () => {
    expect(q(g, "MATCH (n:person {id:2}) SET n.age = 26, n.name = 'Robert'")).toEqual([{ '<SUMMARY>': 'set 2 properties.' }])
    expect(q(g, 'MATCH (n:person {id:2}) SET n.age = n.age + 1 RETURN n.age AS a, n.name AS nm')).toEqual([{ a: 27, nm: 'Robert' }])
    expect(q(g, 'MATCH (:person {id:1})-[r:knows]->(:person {id:2}) SET r.since = 1999 RETURN r.since AS s')).toEqual([{ s: 1999 }])
    expect(q(g, 'MATCH (n:person {id:3}) SET n += {age: 36, born: "1989-01-02"} RETURN n.age, n.born')).toEqual([{ 'n.age': 36, 'n.born': '1989-01-02' }])
  })

  it('removes optional properties and refuses required ones', () => {
    expect(q(g, 'MATCH (n:person {id:1}) REMOVE n.age RETURN n.age')).toEqual([{ 'n.age': null }])
    expect(err('MATCH (n:person {id:1}) REMOVE n.name')).toEqual({ code: 'invalid_value', message: 'Field [name] is not optional.' })
  })

  it('refuses a wrong type and a primary key that exists, changing nothing', () => {
    const before = snapshot()
    expect(err("MATCH (n:person {id:2}) SET n.age = 'old'").message).toBe('Failed to set field [age] of label [person]: the error item is "old" (the field is INT32).')
    expect(err('MATCH (n:person {id:2}) SET n.id = 1')).toEqual({ code: 'index_conflict', message: 'Failed to index vertex [1] with field value [id:1]: index value already exists.' })
    expect(snapshot()).toEqual(before)
  })
})

describe('DELETE and DETACH DELETE', () => {
  it('deletes edges and lone vertices, keeping label counts', () => {
    expect(q(g, 'MATCH (:person {id:3})-[r:knows]->(:person {id:1}) DELETE r')).toEqual([{ '<SUMMARY>': 'deleted 0 vertices, deleted 1 edges.' }])
    expect(q(g, 'MATCH (n:person {id:4}) DELETE n')).toEqual([{ '<SUMMARY>': 'deleted 1 vertices, deleted 0 edges.' }])
    expect(g.labels().map((l) => [l.name, l.count])).toEqual([
      ['person', 3],
      ['city', 2],
      ['knows', 3],
      ['livesIn', 3],
    ])
  })

  it('refuses to delete a vertex with edges unless DETACH', () => {
    expect(err('MATCH (n:person {id:1}) DELETE n').message).toMatch(/^Cannot delete vertex \[0\], because it still has edges/)
    expect(q(g, 'MATCH (n:person {id:1}) DETACH DELETE n')).toEqual([{ '<SUMMARY>': 'deleted 1 vertices, deleted 4 edges.' }])
    expect(q(g, 'MATCH ()-[r:knows]->() RETURN count(r) AS n')).toEqual([{ n: 1 }])
    expect(q(g, "CREATE (n:person {id:1, name:'Alice again'}) RETURN id(n) AS vid")).toEqual([{ vid: 6 }]) // vids are never reused
  })

  it('takes deleted edges out of the in-adjacency too: in-edges read and counted agree with out-edges', () => {
    const inEdges = () => q(g, 'MATCH (a)<-[:livesIn]-(b) RETURN a.name AS a, b.name AS b ORDER BY a, b')
    const inCounts = () => q(g, 'MATCH (a)<-[:knows]-() RETURN a.name AS a, count(*) AS n ORDER BY a')
    q(g, "MATCH (:person {id:2})-[r:livesIn]->(:city {name:'London'}) DELETE r")
    expect(inEdges()).toEqual([
      { a: 'London', b: 'Alice' },
      { a: 'Paris', b: 'Carol' },
    ])
    q(g, 'MATCH (n:person {id:3}) DETACH DELETE n')
    expect(inEdges()).toEqual([{ a: 'London', b: 'Alice' }])
    expect(inCounts()).toEqual([{ a: 'Bob', n: 1 }])
    expect(inCounts()).toEqual(q(g, 'MATCH ()-[:knows]->(a) RETURN a.name AS a, count(*) AS n ORDER BY a'))
    const stale = (t: string) => g.db.prepare(`SELECT count(*) FROM ${t}_in i WHERE NOT EXISTS (SELECT 1 FROM ${t} e WHERE e.src = i.src AND e.dst = i.dst AND e.tid = i.tid AND e.eid = i.eid)`).pluck().get()
    for (const l of g.labels().filter((x) => x.kind === 'edge')) expect(stale(`e_${l.tbl}`)).toBe(0)
  })

  it('a graph file from before drops the in-adjacency rows of edges deleted then (version 3)', () => {
    const t = `e_${g.labels().find((l) => l.name === 'livesIn')!.tbl}`
    g.db.prepare(`INSERT INTO ${t}_in (dst, tid, src, eid) VALUES (5, 0, 1, 7)`).run()
    g.db.pragma('user_version = 2')
    const file = g.db.name
    g.close()
    g = GraphDb.open('g', file)
    expect(g.db.pragma('user_version', { simple: true })).toBe(4) // 3 ran, and 4 after it
    expect(q(g, 'MATCH (c:city {name: $c})<-[:livesIn]-(p) RETURN p.name AS p', { c: 'Paris' })).toEqual([{ p: 'Carol' }])
    expect(q(g, 'MATCH (c:city)<-[:livesIn]-() RETURN c.name AS c, count(*) AS n ORDER BY c')).toEqual([
      { c: 'London', n: 2 },
      { c: 'Paris', n: 1 },
    ])
  })
})

describe('MERGE', () => {
  it('matches what exists (ON MATCH) and creates what does not (ON CREATE, which may fill required fields)', () => {
    expect(q(g, "MERGE (n:person {id:2}) ON CREATE SET n.name = 'new' ON MATCH SET n.age = 50 RETURN n.name, n.age")).toEqual([{ 'n.name': 'Bob', 'n.age': 50 }])
    expect(q(g, "MERGE (n:person {id:30}) ON CREATE SET n.name = 'Zed' ON MATCH SET n.age = 50 RETURN id(n) AS v, n.name, n.age")).toEqual([{ v: 6, 'n.name': 'Zed', 'n.age': null }])
    expect(q(g, 'UNWIND [40, 40, 41] AS i MERGE (n:person {id: i}) ON CREATE SET n.name = "m" RETURN count(DISTINCT n) AS c')).toEqual([{ c: 2 }])
  })

  it('merges an edge between bound vertices once', () => {
    const script = 'MATCH (a:person {id:4}), (b:person {id:1}) MERGE (a)-[r:knows]->(b) RETURN id(r) AS eid'
    expect(q(g, script)).toEqual([{ eid: 0 }])
    expect(q(g, script)).toEqual([{ eid: 0 }])
    expect(q(g, 'MATCH (:person {id:4})-[r:knows]->() RETURN count(r) AS n')).toEqual([{ n: 1 }])
  })
})

describe('a failing write statement changes nothing', () => {
  it('rolls back rows created before the failing one', () => {
    const before = snapshot()
    expect(err("UNWIND [5, 6, 1] AS i CREATE (:person {id: i, name: 'x'})").code).toBe('index_conflict')
    expect(snapshot()).toEqual(before)
    expect(q(g, "CREATE (n:person {id:5, name:'x'}) RETURN id(n) AS vid")).toEqual([{ vid: 6 }])
  })

  it('rolls back SET, DETACH DELETE and CREATE of earlier clauses', () => {
    const before = snapshot()
    expect(err("MATCH (n:person {id:2}) SET n.age = 99 WITH n MATCH (m:person {id:3}) DETACH DELETE m WITH n CREATE (:person {id: 1, name: 'dup'})").code).toBe('index_conflict')
    expect(snapshot()).toEqual(before)
  })

  it('rolls back when a runtime error comes after the writes', () => {
    const before = snapshot()
    expect(err("CREATE (n:person {id:70, name:'x'}) WITH n RETURN n.id / 0").code).toBe('cypher_runtime')
    expect(snapshot()).toEqual(before)
  })
})
