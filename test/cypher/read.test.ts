// Golden tests of the Cypher engine's reads on the fixed small graph (fixture.ts), with the exact
// JSON TuGraph returns for each (reference/tugraph.md §4.2 and §8 items 28–30, 36): one query per
// clause, operator and function.
import { rmSync } from 'node:fs'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { runCypher } from '../../electron/graph/cypher/run'
import { tempDir } from '../support/temp-store'
import { fixtureGraph, useFixtureGraph, q } from './fixture'

let g: GraphDb
const fixture = useFixtureGraph('all')
beforeAll(() => ({ g } = fixture))

const alice = { identity: 0, label: 'person', properties: { age: 30, born: '1994-03-01', id: 1, name: 'Alice' } }
const bob = { identity: 1, label: 'person', properties: { age: 25, born: null, id: 2, name: 'Bob' } }
const london = { identity: 4, label: 'city', properties: { name: 'London', pop: 9000000 } }
const knows = (src: number, dst: number, since: number, forward = true) => ({ dst, forward, identity: 0, label: 'knows', label_id: 0, properties: { since }, src, temporal_id: 0 })

describe('MATCH and the value encoding (§4.2, §8.28)', () => {
  it('returns vertices with identity, label and properties (nulls listed)', () => {
    expect(q(g, 'MATCH (n:person) RETURN n LIMIT 2')).toEqual([{ n: alice }, { n: bob }])
  })

  it('returns edges with identity, src, dst, forward, temporal_id, label, label_id and properties', () => {
    expect(q(g, 'MATCH (a:person {id:1})-[r:knows]->(b) RETURN r, b.name')).toEqual([
      { 'b.name': 'Bob', r: knows(0, 1, 2010) },
      { 'b.name': 'Carol', r: knows(0, 2, 2020) },
    ])
  })

  it('names columns by their text with characters outside the BMP before them (ANTLR counts code points; an alias after an emoji came out as " ")', () => {
    expect(q(g, "RETURN size('aß€😀') AS s, '😀' + 'x' AS t, size('😀😀') + 1")).toEqual([{ s: 4, t: '😀x', "size('😀😀') + 1": 3 }])
  })

  it('leaves out properties of a label that has none', () => {
    expect(q(g, "MATCH (a:person {id:1})-[r:livesIn]->(c) RETURN r")).toEqual([{ r: { dst: 4, forward: true, identity: 0, label: 'livesIn', label_id: 1, src: 0, temporal_id: 0 } }])
  })

  it('returns a path as an array alternating vertex, edge, vertex', () => {
    expect(q(g, 'MATCH p=(a)-[r]->(b) RETURN p LIMIT 1')).toEqual([{ p: [alice, knows(0, 1, 2010), bob] }])
  })

  it('marks an edge reached against its direction as forward: false', () => {
    expect(q(g, 'MATCH (a:person {id:2})-[r:knows]-(b) RETURN b.id, r ORDER BY b.id')).toEqual([
      { 'b.id': 1, r: knows(0, 1, 2010, false) },
      { 'b.id': 3, r: knows(1, 2, 2015) },
    ])
  })

  it('follows in-edges with <-', () => {
    expect(q(g, 'MATCH (c:city {name:"London"})<-[:livesIn]-(p) RETURN p.name ORDER BY p.name')).toEqual([{ 'p.name': 'Alice' }, { 'p.name': 'Bob' }])
  })

  it('seeks by id(n)', () => {
    expect(q(g, 'MATCH (n) WHERE id(n) = 4 RETURN n')).toEqual([{ n: london }])
    expect(q(g, 'MATCH (n) WHERE id(n) IN [2, 0, 99] RETURN n.name')).toEqual([{ 'n.name': 'Carol' }, { 'n.name': 'Alice' }])
  })

  it('seeks by the primary key from WHERE', () => {
    expect(q(g, 'MATCH (n:person) WHERE n.id = 3 RETURN n.name')).toEqual([{ 'n.name': 'Carol' }])
    expect(q(g, 'MATCH (n:person {id: "3"}) RETURN n.name')).toEqual([])
  })

  it('scans every vertex in vid order without a label', () => {
    expect(q(g, 'MATCH (n) RETURN id(n) AS v, label(n) AS l')).toEqual([0, 1, 2, 3, 4, 5].map((v) => ({ v, l: v < 4 ? 'person' : 'city' })))
  })

  it('expands variable-length patterns without reusing an edge', () => {
    expect(q(g, 'MATCH (a:person {id:1})-[:knows*2]->(b) RETURN b.name ORDER BY b.name')).toEqual([{ 'b.name': 'Alice' }, { 'b.name': 'Carol' }])
    expect(q(g, 'MATCH (a:person {id:1})-[:knows*0..1]->(b) RETURN b.name ORDER BY b.name')).toEqual([{ 'b.name': 'Alice' }, { 'b.name': 'Bob' }, { 'b.name': 'Carol' }])
    expect(q(g, 'MATCH (a:person {id:1})-[:knows*]->(b) RETURN count(*) AS c')).toEqual([{ c: 8 }])
    expect(q(g, 'MATCH p=(a:person {id:1})-[:knows*..2]->(b:person {id:3}) RETURN length(p) AS l ORDER BY l')).toEqual([{ l: 1 }, { l: 2 }])
  })

  it('binds a variable-length relationship to its list of edges', () => {
    expect(q(g, 'MATCH (a:person {id:2})-[r:knows*2]->(b) RETURN [e IN r | e.since] AS s')).toEqual([{ s: [2015, 2021] }])
  })

  it('keeps each edge once per pattern (relationship uniqueness)', () => {
    expect(q(g, 'MATCH (a:person {id:1})-[r1:knows]-(b)-[r2:knows]-(c) WHERE c.id = 1 RETURN b.id, id(r1) AS e')).toEqual([
      { 'b.id': 3, e: 0 },
      { 'b.id': 3, e: 0 },
    ])
    // without it, r2 could walk r1 back: (Alice)-(Bob)-(Alice)
    expect(q(g, 'MATCH (a:person {id:1})-[r1:knows]-(b:person {id:2})-[r2:knows]-(c:person {id:1}) RETURN count(*) AS n')).toEqual([{ n: 0 }])
  })

  it('keeps each edge once across three and four steps, fixed and variable length, as a brute-force walk does', () => {
    // a graph of its own: the others here share the fixture unchanged
    const own = tempDir()
    const g = fixtureGraph(own)
    onTestFinished(() => {
      g.close()
      rmSync(own, { recursive: true, force: true })
    })
    q(g, 'MATCH (a:person {id:2}), (b:person {id:1}) CREATE (a)-[:knows]->(b)')
    q(g, 'MATCH (a:person {id:1}) CREATE (a)-[:knows]->(a)')
    const edges = q(g, 'MATCH (a)-[r:knows]->(b) RETURN id(a) AS s, id(b) AS d').map((e) => [e.s, e.d] as [number, number])
    /** End vids of every walk from vid 0 of hops [min, max] each, no edge twice (undirected; a self-loop once). */
    const walks = (hops: [number, number][]): number[] => {
      const ends: number[] = []
      const go = (at: number, h: number, len: number, used: Set<number>) => {
        const [min, max] = hops[h] ?? [0, 0]
        if (h === hops.length) return void ends.push(at)
        if (len >= min) go(at, h + 1, 0, used)
        if (len >= max) return
        edges.forEach(([s, d], i) => {
          if (used.has(i) || (s !== at && d !== at)) return
          used.add(i)
          go(s === at ? d : s, h, len + 1, used)
          used.delete(i)
        })
      }
      go(0, 0, 0, new Set())
      return ends.sort()
    }
    const ends = (script: string) => q(g, script).map((r) => r.d as number).sort()
    expect(ends('MATCH (a:person {id:1})-[:knows]-(b)-[:knows]-(c)-[:knows]-(d) RETURN id(d) AS d')).toEqual(walks([[1, 1], [1, 1], [1, 1]]))
    expect(ends('MATCH (a:person {id:1})-[:knows]-(b)-[:knows]-(c)-[:knows]-(x)-[:knows]-(d) RETURN id(d) AS d')).toEqual(walks([[1, 1], [1, 1], [1, 1], [1, 1]]))
    expect(ends('MATCH (a:person {id:1})-[:knows]-(b)-[:knows*1..2]-(c)-[:knows]-(d) RETURN id(d) AS d')).toEqual(walks([[1, 1], [1, 2], [1, 1]]))
    expect(q(g, 'MATCH (a:person {id:1})-[:knows]-(b)-[:knows]-(c)-[:knows]-() RETURN count(*) AS n')).toEqual([{ n: walks([[1, 1], [1, 1], [1, 1]]).length }])
    expect(walks([[1, 1], [1, 1], [1, 1], [1, 1]]).length).toBeGreaterThan(10)
  })

  it('matches several patterns and type alternatives', () => {
    expect(q(g, 'MATCH (a:person {id:1})-[r:knows|livesIn]->(x) RETURN type(r) AS t, id(x) AS x ORDER BY x')).toEqual([
      { t: 'knows', x: 1 },
      { t: 'knows', x: 2 },
      { t: 'livesIn', x: 4 },
    ])
    expect(q(g, 'MATCH (a:person {id:1}), (c:city) RETURN c.name ORDER BY c.name')).toEqual([{ 'c.name': 'London' }, { 'c.name': 'Paris' }])
  })

  it('finds shortest paths', () => {
    expect(q(g, 'MATCH p = shortestPath((a:person {id:2})-[*..5]-(b:city {name:"Paris"})) RETURN [n IN nodes(p) | id(n)] AS ids')).toEqual([{ ids: [1, 2, 5] }])
    expect(q(g, 'MATCH p = allShortestPaths((a:person {id:2})-[:knows*]->(b:person {id:1})) RETURN length(p) AS l')).toEqual([{ l: 2 }])
  })

  it('answers pattern predicates in WHERE', () => {
    expect(q(g, "MATCH (n:person) WHERE (n)-[:livesIn]->(:city {name:'London'}) RETURN n.name")).toEqual([{ 'n.name': 'Alice' }, { 'n.name': 'Bob' }])
    expect(q(g, 'MATCH (n:person) WHERE NOT (n)-->() RETURN n.name')).toEqual([{ 'n.name': 'Dave' }])
  })
})

describe('OPTIONAL MATCH (§8.29, §8.36)', () => {
  it('answers "__null__" for a vertex it did not find', () => {
    expect(q(g, 'OPTIONAL MATCH (n:person {id:-1}) RETURN n')).toEqual([{ n: '__null__' }])
  })

  it('keeps rows without a match after WITH', () => {
    expect(q(g, 'MATCH (c:city) WITH c OPTIONAL MATCH (c)-->(m) RETURN c.name, m')).toEqual([
      { 'c.name': 'London', m: '__null__' },
      { 'c.name': 'Paris', m: '__null__' },
    ])
    expect(q(g, 'MATCH (p:person) WITH p OPTIONAL MATCH (p)-[r:livesIn]->(c) RETURN p.id, c.name, r.x ORDER BY p.id')).toEqual([
      { 'p.id': 1, 'c.name': 'London', 'r.x': null },
      { 'p.id': 2, 'c.name': 'London', 'r.x': null },
      { 'p.id': 3, 'c.name': 'Paris', 'r.x': null },
      { 'p.id': 4, 'c.name': null, 'r.x': null },
    ])
  })
})

describe('RETURN, WITH, ORDER BY, SKIP, LIMIT, DISTINCT, UNWIND, UNION', () => {
  it('names columns by alias or by the expression as written', () => {
    expect(runCypher(g, { script: 'MATCH (n:person {id:1}) RETURN n.name, n.age AS age, COUNT(n)' }).header).toEqual([
      { name: 'n.name', type: 0 },
      { name: 'age', type: 0 },
      { name: 'COUNT(n)', type: 0 },
    ])
  })

  it('orders, skips and limits', () => {
    expect(q(g, 'MATCH (n:person) RETURN n.name ORDER BY n.age DESC SKIP 1 LIMIT 2')).toEqual([{ 'n.name': 'Carol' }, { 'n.name': 'Alice' }])
    expect(q(g, 'MATCH (n:person) RETURN n.age AS a ORDER BY a')).toEqual([{ a: 25 }, { a: 30 }, { a: 35 }, { a: null }])
    expect(q(g, 'MATCH (n:person) RETURN n.id AS i ORDER BY i LIMIT $k', { k: 1 })).toEqual([{ i: 1 }])
  })

  it('removes duplicates with DISTINCT', () => {
    expect(q(g, 'MATCH (p:person)-[:livesIn]->(c) RETURN DISTINCT c.name ORDER BY c.name')).toEqual([{ 'c.name': 'London' }, { 'c.name': 'Paris' }])
  })

  it('chains parts with WITH and filters with its WHERE', () => {
    expect(q(g, 'MATCH (n:person)-[:knows]->(m) WITH n, count(m) AS c WHERE c > 1 RETURN n.name, c')).toEqual([{ 'n.name': 'Alice', c: 2 }])
  })

  it('unwinds lists (null gives no rows)', () => {
    expect(q(g, 'UNWIND [1, 2, 3] AS x RETURN x * 10 AS y')).toEqual([{ y: 10 }, { y: 20 }, { y: 30 }])
    expect(q(g, 'UNWIND null AS x RETURN x')).toEqual([])
    expect(q(g, 'UNWIND $ids AS i MATCH (n:person {id: i}) RETURN n.name', { ids: [3, 1] })).toEqual([{ 'n.name': 'Carol' }, { 'n.name': 'Alice' }])
  })

  it('joins with UNION (distinct) and UNION ALL', () => {
    expect(q(g, 'RETURN 1 AS x UNION RETURN 1 AS x')).toEqual([{ x: 1 }])
    expect(q(g, 'RETURN 1 AS x UNION ALL RETURN 1 AS x')).toEqual([{ x: 1 }, { x: 1 }])
    expect(() => q(g, 'RETURN 1 AS x UNION RETURN 1 AS y')).toThrow('All sub queries in an UNION must have the same column names')
  })
})

describe('aggregates', () => {
  it('computes count, sum, avg, min, max, collect over the group', () => {
    expect(q(g, 'MATCH (n:person) RETURN count(n) AS c, count(n.age) AS ca, sum(n.age) AS s, avg(n.age) AS a, min(n.age) AS mi, max(n.name) AS ma, collect(n.id) AS ids')).toEqual([
      { c: 4, ca: 3, s: 90, a: 30, mi: 25, ma: 'Dave', ids: [1, 2, 3, 4] },
    ])
  })

  it('groups by the other columns and counts DISTINCT', () => {
    expect(q(g, 'MATCH (p:person)-[:livesIn]->(c) RETURN c.name AS city, count(*) AS n ORDER BY n DESC')).toEqual([
      { city: 'London', n: 2 },
      { city: 'Paris', n: 1 },
    ])
    expect(q(g, 'MATCH (p:person)-[:livesIn]->(c) RETURN count(DISTINCT c) AS n')).toEqual([{ n: 2 }])
  })

  it('gives one row of empty aggregates over no rows', () => {
    expect(q(g, 'MATCH (n:person {id:-1}) RETURN count(n) AS c, sum(n.age) AS s, collect(n) AS l, avg(n.age) AS a')).toEqual([{ c: 0, s: 0, l: [], a: null }])
  })
})

describe('expressions and functions', () => {
  it('evaluates operators with null logic', () => {
    expect(q(g, 'RETURN 7 / 2 AS i, 7 / 2.0 AS f, 7 % 3 AS m, 2 ^ 3 AS p, null = 1 AS n, 1 <> 2 AS ne, NOT false AS t, true XOR true AS x, null OR true AS o, [1] + [2] AS l, "a" + 1 AS s')).toEqual([
      { i: 3, f: 3.5, m: 1, p: 8, n: null, ne: true, t: true, x: false, o: true, l: [1, 2], s: 'a1' },
    ])
  })

  it('compares strings and lists', () => {
    expect(q(g, 'MATCH (n:person) WHERE n.name STARTS WITH "A" OR n.name ENDS WITH "e" OR n.name CONTAINS "ar" RETURN n.name')).toEqual([
      { 'n.name': 'Alice' },
      { 'n.name': 'Carol' },
      { 'n.name': 'Dave' },
    ])
    expect(q(g, "MATCH (n:person) WHERE n.name REGEXP 'B.*' RETURN n.name")).toEqual([{ 'n.name': 'Bob' }])
    expect(q(g, 'MATCH (n:person) WHERE n.age IS NULL RETURN n.name')).toEqual([{ 'n.name': 'Dave' }])
    expect(q(g, 'RETURN 2 IN [1, 2] AS a, 3 IN [1, null] AS b, [1,2,3][1] AS c, [1,2,3][1..] AS d, [1,2,3][-1] AS e')).toEqual([{ a: true, b: null, c: 2, d: [2, 3], e: 3 }])
  })

  it('evaluates CASE, list comprehensions and maps', () => {
    expect(q(g, 'MATCH (n:person) RETURN n.id AS id, CASE WHEN n.age > 28 THEN "old" WHEN n.age IS NULL THEN "?" ELSE "young" END AS c ORDER BY id')).toEqual([
      { id: 1, c: 'old' },
      { id: 2, c: 'young' },
      { id: 3, c: 'old' },
      { id: 4, c: '?' },
    ])
    expect(q(g, 'RETURN CASE 2 WHEN 1 THEN "a" WHEN 2 THEN "b" END AS c, [x IN range(1, 6) WHERE x % 2 = 0 | x * x] AS l, {b: 1, a: [1]} AS m')).toEqual([{ c: 'b', l: [4, 16, 36], m: { a: [1], b: 1 } }])
  })

  it('has the functions TuGraph lists', () => {
    expect(
      q(g, 'MATCH p=(a:person {id:1})-[r:knows]->(b:person {id:2}) RETURN id(a) AS id, labels(a) AS labels, type(r) AS type, properties(b) AS props, keys(b) AS keys, length(p) AS len, size(nodes(p)) AS n, size(relationships(p)) AS r, id(startNode(r)) AS s, id(endNode(r)) AS e'),
    ).toEqual([{ id: 0, labels: ['person'], type: 'knows', props: { age: 25, born: null, id: 2, name: 'Bob' }, keys: ['id', 'name', 'age', 'born'], len: 1, n: 2, r: 1, s: 0, e: 1 }])
    expect(
      q(g, 'RETURN coalesce(null, 2) AS a, toInteger("12") AS b, toInteger(3.9) AS c, toFloat("1.5") AS d, toString(12) AS e, abs(-2) AS f, ceil(1.2) AS g, floor(1.8) AS h, round(2.5) AS i, head([3, 4]) AS j, last([3, 4]) AS k, range(1, 3) AS l, substring("hello", 1, 3) AS m, toUpper("ab") AS n, toLower("AB") AS o, trim("  x ") AS p, split("a,b", ",") AS q, size("abc") AS r, range(0, 10, 5) AS s, sign(-3) AS t, toBoolean("true") AS u, concat("a", "b") AS v'),
    ).toEqual([{ a: 2, b: 12, c: 3, d: 1.5, e: '12', f: 2, g: 2, h: 1, i: 3, j: 3, k: 4, l: [1, 2, 3], m: 'ell', n: 'AB', o: 'ab', p: 'x', q: ['a', 'b'], r: 3, s: [0, 5, 10], t: -1, u: true, v: 'ab' }])
  })

  it('takes parameters', () => {
    expect(q(g, 'MATCH (n:person) WHERE n.id = $id RETURN n.name, $list AS l', { id: 2, list: [1, 'a'] })).toEqual([{ 'n.name': 'Bob', l: [1, 'a'] }])
  })
})

describe('errors in TuGraph’s words', () => {
  const err = (script: string, parameters?: unknown) => {
    try {
      runCypher(g, { script, parameters })
    } catch (e) {
      return { code: (e as { code: string }).code, message: (e as Error).message }
    }
    throw new Error(`no error for ${script}`)
  }

  it('names an unknown variable with its line and column, counted from 1 like the syntax errors', () => {
    expect(err('MATCH (n:person) RETURN m')).toEqual({ code: 'cypher_semantic', message: 'Unknown variable: m (line 1, column 25)' })
    expect(err('MATCH (n:person)\nWHERE n.id = 1\n  RETURN n, zz.name')).toEqual({ code: 'cypher_semantic', message: 'Unknown variable: zz (line 3, column 13)' })
  })

  it('names an unknown label', () => {
    expect(err('MATCH (n:nosuch) RETURN n')).toEqual({ code: 'label_not_found', message: 'Vertex label [nosuch] does not exist.' })
    expect(err('MATCH (n)-[:nosuch]->(m) RETURN n')).toEqual({ code: 'label_not_found', message: 'Edge label [nosuch] does not exist.' })
  })

  it('suggests a label within two edits of an unknown one (a new user wrote person for persons)', () => {
    expect(err('MATCH (n:persons) RETURN n')).toEqual({ code: 'label_not_found', message: 'Vertex label [persons] does not exist. Did you mean [person]?' })
    expect(err('MATCH (n:Citi) RETURN n').message).toBe('Vertex label [Citi] does not exist. Did you mean [city]?')
    expect(err('MATCH (n)-[:know]->(m) RETURN n').message).toBe('Edge label [know] does not exist. Did you mean [knows]?')
    expect(err('CREATE (:persn {id: 9})').message).toBe('Vertex label [persn] does not exist. Did you mean [person]?')
  })

  it('gives the line and column of a syntax error', () => {
    expect(err('MATCH (n:person)\nRETURN n LIMT 3')).toEqual({ code: 'cypher_syntax', message: "Invalid syntax: mismatched input 'LIMT' expecting {end of input, ';'} (line 2, column 10)" })
    expect(err('MATCH (n RETURN n').message).toMatch(/\(line 1, column 10\)$/)
  })

  it('refuses an INTEGER result beyond 64 bits instead of widening it (#9, atk21: these returned 9223372036854776000 and 1e300)', () => {
    const overflow = { code: 'cypher_runtime', message: 'Integer overflow: the result does not fit in 64 bits.' }
    for (const script of ['RETURN -9223372036854775808 / -1', 'RETURN abs(-9223372036854775808)', 'RETURN toInteger(1e300)', "RETURN toInteger('1e300')", "RETURN toInteger('99999999999999999999')"])
      expect(err(script), script).toEqual(overflow)
    expect(q(g, "RETURN toString(toInteger('-0009223372036854775808')) AS a, toString(-9223372036854775807 / -1) AS b")).toEqual([{ a: '-9223372036854775808', b: '9223372036854775807' }])
  })

  it('names an unknown function and a missing parameter', () => {
    expect(err('RETURN nosuch(1)')).toEqual({ code: 'cypher_semantic', message: "Unknown function 'nosuch'" })
    expect(err('RETURN $p')).toEqual({ code: 'cypher_semantic', message: 'Parameter $p is not defined.' })
  })

  it('refuses what TuGraph does not support, saying so', () => {
    expect(err('MATCH (n:person:city) RETURN n').code).toBe('cypher_unsupported')
    expect(err('LOAD CSV FROM "x" AS l RETURN l').code).toBe('cypher_unsupported')
  })

  it('stops at type errors', () => {
    expect(err('RETURN 1 / 0')).toEqual({ code: 'cypher_runtime', message: 'Division by zero.' })
    expect(err('MATCH (n:person) WHERE n.name RETURN n').message).toBe('Type mismatch: expected Boolean but was String')
  })
})
