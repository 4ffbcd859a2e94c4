// The planner's choices (#12.1): a MATCH on an indexed property seeks the index instead of scanning
// the label (EXPLAIN names the operator), and ORDER BY … LIMIT k keeps k rows in a heap instead of
// sorting all of them. Results are the same as without the index or the heap.
import { beforeEach, describe, expect, it } from 'vitest'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { runCypher } from '../../electron/graph/cypher/run'
import { TopK } from '../../electron/graph/heap'
import { useFixtureGraph, q } from './fixture'

let g: GraphDb
// 200 more persons, names repeating every 10, ages every 7
const fixture = useFixtureGraph('each', (g) => q(g, "UNWIND range(100, 299) AS i CREATE (:person {id: i, name: 'p' + toString(i % 10), age: i % 7})"))
beforeEach(() => ({ g } = fixture))

const plan = (script: string, parameters?: unknown) => String(runCypher(g, { script: `EXPLAIN ${script}`, parameters }).rows[0][0])

describe('index seeks', () => {
  const queries: [string, unknown?][] = [
    ["MATCH (n:person {name: 'p3'}) RETURN n.id AS id ORDER BY id"],
    ['MATCH (n:person) WHERE n.name = $v RETURN n.id AS id ORDER BY id', { v: 'p3' }],
    ["MATCH (n:person) WHERE 'p3' = n.name AND n.age > 2 RETURN n.id AS id ORDER BY id"],
    ["MATCH (n:person {name: 'p3'})-[:knows]->(m) RETURN count(m) AS c"],
    ['MATCH (n:person {name: 42}) RETURN n.id AS id'],
    ['MATCH (n:person) WHERE n.name = null RETURN n.id AS id'],
  ]

  it('scan the label without an index, seek it with one, with the same rows', () => {
    const before = queries.map(([s, p]) => q(g, s, p))
    expect(plan(queries[0][0])).toContain('NodeByLabelScan(n:person, name =)')
    expect(before[0]).toHaveLength(20)
    runCypher(g, { script: "CALL db.addIndex('person', 'name', false)" })
    for (const [s, p] of queries) expect(plan(s, p), s).toContain('NodeIndexSeek(n:person.name)')
    expect(queries.map(([s, p]) => q(g, s, p))).toEqual(before)
    // the primary key still wins over a secondary index
    expect(plan("MATCH (n:person) WHERE n.name = 'p1' AND n.id = 101 RETURN n")).toContain('NodeIndexSeek(n:person.id, primary)')
    expect(q(g, "MATCH (n:person) WHERE n.name = 'p1' AND n.id = 101 RETURN n.id AS id")).toEqual([{ id: 101 }])
    // and a dropped index goes back to the scan
    runCypher(g, { script: "CALL db.deleteIndex('person', 'name')" })
    expect(plan(queries[0][0])).toContain('NodeByLabelScan(n:person, name =)')
  })

  it('EXPLAIN names every operator', () => {
    expect(plan("MATCH (a:person {id: 1})-[r:knows]->(b) WHERE b.age > 1 RETURN b.name AS n ORDER BY n LIMIT 2").split('\n')).toEqual([
      'Plan: 1 part(s); columns n',
      '  NodeIndexSeek(a:person.id, primary)',
      // no later clause reads r: it walks the CSR snapshot when the statement takes one
      '  CsrExpand((a)-[r:knows]->(b))',
      '  Top',
      '  ProduceResults',
    ])
  })
})

describe('parse cache', () => {
  it('a text parsed once answers again with other parameters, and a bad text fails every time', () => {
    const script = 'MATCH (n:person) WHERE n.id = $id RETURN n.name AS name'
    expect(q(g, script, { id: 1 })).toEqual([{ name: 'Alice' }])
    expect(q(g, script, { id: 2 })).toEqual([{ name: 'Bob' }])
    for (let i = 0; i < 2; i++) expect(() => q(g, 'MATCH (n) RETRUN n')).toThrow('Invalid syntax')
  })
})

describe('shortest paths', () => {
  it('the two-ended search finds paths as short as the one-ended one, that are real paths', () => {
    let seed = 7
    const next = () => Math.floor(((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 200)
    const pairs = Array.from({ length: 450 }, () => [100 + next(), 100 + next()])
    q(g, 'UNWIND $pairs AS p MATCH (a:person {id: p[0]}), (b:person {id: p[1]}) WHERE a <> b CREATE (a)-[:knows]->(b)', { pairs })
    let found = 0
    for (let k = 0; k < 12; k++) {
      const [x, y] = [100 + ((k * 53) % 200), 100 + ((k * 29 + 7) % 200)]
      for (const arrow of ['->', '-']) {
        const one = runCypher(g, { script: `MATCH p = shortestPath((a:person {id: ${x}})-[:knows*..8]${arrow}(b:person {id: ${y}})) RETURN p, length(p) AS n` })
        const all = q(g, `MATCH p = allShortestPaths((a:person {id: ${x}})-[:knows*..8]${arrow}(b:person {id: ${y}})) RETURN length(p) AS n LIMIT 1`)
        expect(one.rows.map((r) => r[1]), `${x}${arrow}${y}`).toEqual(all.map((r) => r.n))
        if (!one.rows.length) continue
        found++
        // a path alternates vertex, edge, vertex…; each edge joins its neighbours, in the pattern's direction when directed
        const p = one.rows[0][0] as { identity: number; src: number; dst: number; forward: boolean }[]
        for (let i = 1; i < p.length; i += 2) {
          const [from, e, to] = [p[i - 1], p[i], p[i + 1]]
          expect([e.src, e.dst].sort()).toEqual([from.identity, to.identity].sort())
          if (arrow === '->') expect(e.src === from.identity && e.forward).toBe(true)
          else expect(e.forward).toBe(e.src === from.identity)
        }
      }
    }
    expect(found).toBeGreaterThan(10)
  })
})

describe('top-k', () => {
  it('ORDER BY … LIMIT gives what a full sort gives, ties in input order, with SKIP', () => {
    for (const tail of ['LIMIT 5', 'SKIP 3 LIMIT 4', 'SKIP 250 LIMIT 10', 'LIMIT 0']) {
      const topk = q(g, `MATCH (n:person) RETURN n.id AS id, n.age AS age ORDER BY age DESC ${tail}`)
      const all = q(g, 'MATCH (n:person) RETURN n.id AS id, n.age AS age ORDER BY age DESC')
      const [, skip, limit] = /^(?:SKIP (\d+) )?LIMIT (\d+)$/.exec(tail)!
      expect(topk, tail).toEqual(all.slice(Number(skip ?? 0), Number(skip ?? 0) + Number(limit)))
    }
    expect(plan('MATCH (n:person) RETURN n.age AS a ORDER BY a LIMIT 3')).toContain('Top')
    expect(q(g, 'MATCH (n:person)-[:knows]->(m) RETURN m.name AS m, count(*) AS c ORDER BY c DESC, m LIMIT 2')).toEqual([
      { m: 'Carol', c: 2 },
      { m: 'Alice', c: 1 },
    ])
  })

  it('over groups: the first k groups of a full sort, with ties in order of appearance, NULL keys, DESC and ASC, SKIP', () => {
    // ages 0…6 and NULL (the fixture's Dave): counts tie between ages; names p0…p9 tie too
    const groups = [
      'RETURN n.age AS k, count(*) AS c ORDER BY c DESC, k',
      'RETURN n.age AS k, count(*) AS c ORDER BY k',
      'RETURN n.age AS k, count(*) AS c ORDER BY k DESC',
      'RETURN n.age AS k, count(*) AS c ORDER BY c',
      'RETURN n.name AS k, count(*) AS c ORDER BY c DESC',
      'RETURN n.age AS k, n.name AS m, count(*) AS c ORDER BY c DESC, k DESC, m',
      'RETURN n.age % 3 AS k, min(n.id) AS lo, collect(n.id)[0] AS first ORDER BY lo DESC',
    ]
    for (const body of groups) {
      const all = q(g, `MATCH (n:person) ${body}`)
      expect(all.length, body).toBeGreaterThanOrEqual(4)
      for (const tail of ['LIMIT 1', 'LIMIT 3', 'SKIP 2 LIMIT 3', 'SKIP 1000 LIMIT 2', 'LIMIT 0', 'LIMIT 1000']) {
        const [, skip, limit] = /^(?:SKIP (\d+) )?LIMIT (\d+)$/.exec(tail)!
        expect(q(g, `MATCH (n:person) ${body} ${tail}`), `${body} ${tail}`).toEqual(all.slice(Number(skip ?? 0), Number(skip ?? 0) + Number(limit)))
      }
    }
    // spelled out: NULL sorts last ascending, first descending; tied counts keep the order the groups appeared in
    expect(q(g, 'MATCH (n:person) RETURN n.age AS k, count(*) AS c ORDER BY k DESC LIMIT 2')).toEqual([
      { k: null, c: 1 },
      { k: 35, c: 1 },
    ])
    expect(q(g, 'MATCH (n:person) WHERE n.id < 100 OR n.id >= 290 RETURN n.age AS k, count(*) AS c ORDER BY k LIMIT 3')).toEqual([
      { k: 0, c: 1 },
      { k: 1, c: 1 },
      { k: 2, c: 1 },
    ])
    expect(q(g, 'MATCH (n:person) WHERE n.id >= 290 RETURN n.name AS k, count(*) AS c ORDER BY c DESC LIMIT 3')).toEqual([
      { k: 'p0', c: 1 },
      { k: 'p1', c: 1 },
      { k: 'p2', c: 1 },
    ])
  })

  it('counts the edges of a last step nobody reads instead of reading them, with the same answers', () => {
    q(g, 'UNWIND range(100, 299) AS i MATCH (a:person {id: i}), (b:person {id: 100 + (i * 7) % 200}) CREATE (a)-[:knows]->(b), (b)-[:knows]->(a)')
    q(g, 'MATCH (a:person {id: 1}) CREATE (a)-[:knows]->(a)')
    for (const [anon, named] of [
      ['MATCH (a:person)<-[:knows]-(:person) RETURN a.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 5', 'MATCH (a:person)<-[r:knows]-(b:person) RETURN a.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 5'],
      ['MATCH (a:person)-[:knows]-() RETURN a.id AS id, count(*) AS n ORDER BY id', 'MATCH (a:person)-[r:knows]-(b) RETURN a.id AS id, count(r) AS n ORDER BY id'],
      ['MATCH (a:person)-[:knows]->() WHERE a.age = 3 RETURN count(*) AS n', 'MATCH (a:person)-[r:knows]->(b) WHERE a.age = 3 RETURN count(r) AS n'],
      ['MATCH (a:person)-->() RETURN count(*) AS n', 'MATCH (a:person)-[r]->(b) RETURN count(r) AS n'],
    ]) {
      expect(q(g, anon), anon).toEqual(q(g, named))
    }
    expect(plan('MATCH (a:person)<-[:knows]-(:person) RETURN count(*)')).toContain('ExpandCount((a)<-[:knows]-())')
    // a label the constraints do not imply, or a property, needs the vertex: read it
    expect(plan('MATCH (a:person)-[:livesIn]->(:person) RETURN count(*)')).toContain('  CsrExpand((a)-[:livesIn]->())')
    expect(plan('MATCH (a:person)-[:knows]->({age: 3}) RETURN count(*)')).toContain('  CsrExpand(')
    expect(q(g, 'OPTIONAL MATCH (a:person {id: 4})-[:knows]->() RETURN a.id AS a')).toEqual([{ a: null }])
  })

  it('holds k rows, not the input: a top 3 of a million rows runs past the sort budget', () => {
    const script = 'UNWIND range(1, 1001) AS a UNWIND range(1, 1001) AS b RETURN a * 1001 + b AS x ORDER BY x DESC LIMIT 3'
    expect(q(g, script)).toEqual([{ x: 1003002 }, { x: 1003001 }, { x: 1003000 }])
    expect(() => q(g, script.replace(' LIMIT 3', ''))).toThrow('Query too large: ORDER BY would hold more than 1000000 rows')
  }, 60_000)

  it('TopK keeps the first k of any order, stably', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ i, v: (i * 7919) % 13 }))
    for (const k of [0, 1, 5, 13, 999, 1000, 2000]) {
      const heap = new TopK<{ i: number; v: number }>(k, (a, b) => a.v - b.v)
      for (const x of items) heap.push(x)
      expect(heap.sorted()).toEqual([...items].sort((a, b) => a.v - b.v).slice(0, k))
    }
  })
})
