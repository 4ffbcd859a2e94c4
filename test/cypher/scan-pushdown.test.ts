// Label scans that read what the statement needs (#12): only the properties it names (the rest on
// demand), an equality on a non-indexed property filtered in SQLite, and, for reading statements,
// columns kept in memory per graph version (label-columns.ts) that must follow every change to the
// graph, from this connection or another. Each query is compared with a form the planner cannot
// push down (the predicate after a WITH, which reads every property), or with values computed here.
import { beforeEach, describe, expect, it } from 'vitest'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { graphFile } from '../../electron/graph/store/catalog'
import { runCypher } from '../../electron/graph/cypher/run'
import { dataVersion } from '../../electron/graph/cypher/label-csr'
import { keptColumns } from '../../electron/graph/cypher/label-columns'
import { GroupIndex } from '../../electron/graph/cypher/group-index'
import { useFixtureGraph, q } from './fixture'

let dir = ''
let g: GraphDb
/** Persons added to the fixture's four: ids 100 …, names p0 … p9, ages i % 7 (NULL when i % 11 = 0). */
const MORE = 20_000
const ageOf = (i: number) => (i % 11 === 0 ? null : i % 7)
const fixture = useFixtureGraph('each', (g) => q(g, `UNWIND range(100, ${99 + MORE}) AS i CREATE (:person {id: i, name: 'p' + toString(i % 10), age: CASE WHEN i % 11 = 0 THEN null ELSE i % 7 END})`))
beforeEach(() => ({ dir, g } = fixture))

const plan = (script: string, parameters?: unknown) => String(runCypher(g, { script: `EXPLAIN ${script}`, parameters }).rows[0][0])

describe('filtered label scans', () => {
  const where: [string, unknown?][] = [
    ['a.age = 3'],
    ['a.age = 3.0'],
    ["a.age = '3'"],
    ['a.age = 3.5'],
    ['a.age = null'],
    ['3 = a.age'],
    ['a.age = $v', { v: 3 }],
    ['a.age = $v', { v: '3' }],
    ["a.name = 'p3'"],
    ["a.born = '1994-03-01'"],
    ["a.age = 3 AND a.name = 'p3'"],
  ]

  it('give the rows the unfiltered scan gives, for numbers, floats, strings, NULL and parameters', () => {
    for (const [w, p] of where) {
      const pushed = q(g, `MATCH (a:person) WHERE ${w} RETURN a.id AS id, a.age AS age ORDER BY id`, p)
      const after = q(g, `MATCH (a:person) WITH a WHERE ${w} RETURN a.id AS id, a.age AS age ORDER BY id`, p)
      expect(pushed, w).toEqual(after)
    }
    expect(q(g, 'MATCH (a:person) WHERE a.age = 3 RETURN count(*) AS n')).toEqual([{ n: Array.from({ length: MORE }, (_, k) => ageOf(100 + k)).filter((x) => x === 3).length }])
    expect(q(g, 'MATCH (a:person) WHERE a.age = 3.5 RETURN count(*) AS n')).toEqual([{ n: 0 }])
    expect(q(g, "MATCH (a:person) WHERE a.age = '3' RETURN count(*) AS n")).toEqual([{ n: 0 }])
    expect(plan('MATCH (a:person) WHERE a.age = 3 RETURN a.id')).toContain('NodeByLabelScan(a:person, age =)')
  })

  it('from a pattern map too, and the map still tests every property', () => {
    const maps: [string, string][] = [
      ['{age: 3}', 'a.age = 3'],
      ['{age: 3.0}', 'a.age = 3.0'],
      ["{age: '3'}", "a.age = '3'"],
      ["{age: 3, name: 'p3'}", "a.age = 3 AND a.name = 'p3'"],
      ["{name: 'p3', age: 3}", "a.age = 3 AND a.name = 'p3'"],
      ['{age: null}', 'a.age = null'],
    ]
    for (const [m, w] of maps) {
      const pushed = q(g, `MATCH (a:person ${m}) RETURN a.id AS id ORDER BY id`)
      const after = q(g, `MATCH (a:person) WITH a WHERE ${w} RETURN a.id AS id ORDER BY id`)
      expect(pushed, m).toEqual(after)
    }
    expect(q(g, "MATCH (a:person {age: 3, name: 'p3'}) RETURN count(*) AS n")[0].n).toBeGreaterThan(0)
    expect(plan("MATCH (a:person {name: 'p3'}) RETURN a.id")).toContain('NodeByLabelScan(a:person, name =)')
  })
})

describe('scans of named properties', () => {
  it('read the others on demand: a property the planner did not see, a whole vertex later, an unknown key', () => {
    const one = q(g, 'MATCH (a:person) WHERE a.id = 2 OR a.id = 150 RETURN a.id AS id, a.name AS name, a.age AS age, a.nosuch AS x ORDER BY id')
    expect(one).toEqual([
      { id: 2, name: 'Bob', age: 25, x: null },
      { id: 150, name: 'p0', age: ageOf(150), x: null },
    ])
    // the vertex itself is returned: every property, whatever the scan read
    const r = runCypher(g, { script: 'MATCH (a:person) WHERE a.id = 1 RETURN a.name AS n, a' })
    expect(r.rows[0][0]).toBe('Alice')
    expect(JSON.stringify(r.rows[0][1])).toContain('"born":"1994-03-01"')
  })

  it('keep the columns a reading statement scanned, and read them again after any change', () => {
    const person = g.labels().find((l) => l.name === 'person')!
    const ageColumn = person.def.properties.findIndex((p) => p.name === 'age')
    const expected = (bump = 0) => {
      const ages = [30, 25, 35, ...Array.from({ length: MORE }, (_, k) => ageOf(100 + k))].filter((x): x is number => x !== null)
      return [{ s: ages.reduce((a, b) => a + b, 0) + bump, n: ages.length }]
    }
    const sum = () => q(g, 'MATCH (a:person) RETURN sum(a.age) AS s, count(a.age) AS n')
    expect(sum()).toEqual(expected())
    expect(keptColumns(g, person, [ageColumn], dataVersion(g))).toBeDefined()
    expect(sum()).toEqual(expected())
    // a write on this connection
    q(g, 'MATCH (a:person {id: 101}) SET a.age = a.age + 1000')
    expect(sum()).toEqual(expected(1000))
    // a new vertex, then one removed
    q(g, 'CREATE (:person {id: 99999, name: "z", age: 7})')
    expect(sum()).toEqual([{ s: expected(1007)[0].s, n: expected()[0].n + 1 }])
    q(g, 'MATCH (a:person {id: 99999}) DELETE a')
    expect(sum()).toEqual(expected(1000))
    // a write from another connection to the same graph file
    const other = GraphDb.open('g', graphFile(dir, 'g'))
    try {
      runCypher(other, { script: 'MATCH (a:person {id: 101}) SET a.age = a.age - 1000' })
    } finally {
      other.close()
    }
    expect(sum()).toEqual(expected())
    // the kept columns answer the same as the pages of SQLite (a writing statement reads those)
    const rows = q(g, 'MATCH (a:person) WHERE a.id % 997 = 0 RETURN a.id AS id, a.age AS age ORDER BY id')
    const written = q(g, 'MATCH (a:person) WHERE a.id % 997 = 0 SET a.age = a.age RETURN a.id AS id, a.age AS age ORDER BY id')
    expect(rows).toEqual(written)
  })
})

describe('grouping keys', () => {
  it('group numbers by value across the direct table and the map: 0 and -0.0, integers and equal floats, large, negative, text, NULL', () => {
    const xs = "[0, -0.0, 1, 1.0, 4194303, 4194304, 9007199254740993, 9007199254740993, -1, -1, 2.5, 2.5, 'a', 'a', '1', null, null, 7, 0]"
    const rows = q(g, `UNWIND ${xs} AS x WITH x, count(*) AS c RETURN toString(x) AS x, c ORDER BY c DESC, x`)
    expect(rows).toEqual([
      { x: '0', c: 3 },
      { x: '-1', c: 2 },
      { x: '1', c: 2 },
      { x: '2.5', c: 2 },
      { x: '9007199254740993', c: 2 },
      { x: 'a', c: 2 },
      { x: null, c: 2 },
      { x: '1', c: 1 },
      { x: '4194303', c: 1 },
      { x: '4194304', c: 1 },
      { x: '7', c: 1 },
    ])
  })

  it('GroupIndex numbers keys in the order they come, table keys and map keys alike', () => {
    const ix = new GroupIndex()
    const keys: (string | number)[] = [5, 'x', 4_194_303, 4_194_304, -3, 0.5, 0, 1e9, 'y']
    keys.forEach((k, i) => {
      expect(ix.get(k)).toBeUndefined()
      expect(ix.add(k)).toBe(i)
    })
    keys.forEach((k, i) => expect(ix.get(k)).toBe(i))
    expect(ix.get(-0)).toBe(keys.indexOf(0))
    expect(ix.get(6)).toBeUndefined()
    expect(ix.size).toBe(keys.length)
  })
})
