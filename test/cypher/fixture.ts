// The fixed small graph the Cypher golden tests run on, built with Cypher itself so its vids and
// eids are what TuGraph gives the same statements:
//   vid 0 person {id:1, name:'Alice', age:30}   vid 4 city {name:'London', pop:9000000}
//   vid 1 person {id:2, name:'Bob',   age:25}   vid 5 city {name:'Paris'}
//   vid 2 person {id:3, name:'Carol', age:35}
//   vid 3 person {id:4, name:'Dave'}
//   knows: 0→1 (2010), 1→2 (2015), 0→2 (2020), 2→0 (2021)      livesIn: 0→4, 1→4, 2→5
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { runCypher, type CypherResult } from '../../electron/graph/cypher/run'
import { tempDir } from '../support/temp-store'

export const SCHEMA = {
  schema: [
    {
      label: 'person',
      type: 'VERTEX',
      primary: 'id',
      properties: [
        { name: 'id', type: 'INT64' },
        { name: 'name', type: 'STRING' },
        { name: 'age', type: 'INT32', optional: true },
        { name: 'born', type: 'DATE', optional: true },
      ],
    },
    { label: 'city', type: 'VERTEX', primary: 'name', properties: [{ name: 'name', type: 'STRING' }, { name: 'pop', type: 'INT64', optional: true }] },
    { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
    { label: 'livesIn', type: 'EDGE', properties: [], constraints: [['person', 'city']] },
  ],
}

export const BUILD = [
  "CREATE (:person {id:1, name:'Alice', age:30, born:'1994-03-01'})",
  "CREATE (:person {id:2, name:'Bob', age:25})",
  "CREATE (:person {id:3, name:'Carol', age:35})",
  "CREATE (:person {id:4, name:'Dave'})",
  "CREATE (:city {name:'London', pop:9000000})",
  "CREATE (:city {name:'Paris'})",
  'MATCH (a:person {id:1}), (b:person {id:2}) CREATE (a)-[:knows {since:2010}]->(b)',
  'MATCH (a:person {id:2}), (b:person {id:3}) CREATE (a)-[:knows {since:2015}]->(b)',
  'MATCH (a:person {id:1}), (b:person {id:3}) CREATE (a)-[:knows {since:2020}]->(b)',
  'MATCH (a:person {id:3}), (b:person {id:1}) CREATE (a)-[:knows {since:2021}]->(b)',
  "MATCH (a:person {id:1}), (c:city {name:'London'}) CREATE (a)-[:livesIn]->(c)",
  "MATCH (a:person {id:2}), (c:city {name:'London'}) CREATE (a)-[:livesIn]->(c)",
  "MATCH (a:person {id:3}), (c:city {name:'Paris'}) CREATE (a)-[:livesIn]->(c)",
]

/**
 * The fixture's database file, built once per test process and kept in memory: test files share a
 * process and this module (vitest.config.ts runs them unisolated), so nothing on disk outlives a file.
 */
let template: Buffer | undefined

/**
 * Creates graph `name` under `dataDir` with the fixture's schema and data, opened in this thread.
 * The first call builds it with Cypher (closed, so its WAL is checkpointed into the file); later ones
 * write a copy of those bytes (tests that write get their own copy in a few ms instead of a rebuild).
 */
export function fixtureGraph(dataDir: string, name = 'g'): GraphDb {
  if (!template) {
    const dir = tempDir()
    try {
      createGraphFile(dir, 'template')
      const g = GraphDb.open('template', graphFile(dir, 'template'))
      g.addLabels(parseSchemaDescription(SCHEMA))
      for (const script of BUILD) runCypher(g, { script })
      g.close()
      template = readFileSync(graphFile(dir, 'template'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  createGraphFile(dataDir, name) // the catalog's checks and folders; its empty file is replaced
  const file = graphFile(dataDir, name)
  for (const f of [`${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  writeFileSync(file, template)
  return GraphDb.open(name, file)
}

/** Rows as TuGraph's jsonFormat=true answer has them: one object per row, keys sorted. */
export function rowObjects(r: CypherResult): Record<string, unknown>[] {
  return r.rows.map((row) => {
    const o: Record<string, unknown> = {}
    const cols = r.header.map((h, i) => [h.name, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [name, i] of cols) o[name] = row[i]
    return o
  })
}

/** Runs a query and returns its rows as objects. */
export function q(g: GraphDb, script: string, parameters?: unknown): Record<string, unknown>[] {
  return rowObjects(runCypher(g, { script, parameters }))
}

/** A test file's fixture graph (`g`, graph 'g') and the temp folder it lives in (`dir`, the catalog's data folder). */
export interface FixtureGraph {
  g: GraphDb
  dir: string
}

/**
 * Gives every test (`each`: tests that write) or the whole file (`all`) the fixture graph in a temp
 * folder of its own, closed and the folder removed after; `more` adds to it once opened. Call at a
 * file's top level; the object's fields are set before the file's own hooks of the same scope run.
 */
export function useFixtureGraph(scope: 'each' | 'all', more?: (g: GraphDb) => void): FixtureGraph {
  const fixture = {} as FixtureGraph
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll]
  before(() => {
    fixture.dir = tempDir()
    fixture.g = fixtureGraph(fixture.dir)
    more?.(fixture.g)
  })
  after(() => {
    fixture.g.close()
    rmSync(fixture.dir, { recursive: true, force: true })
  })
  return fixture
}
