// The graph store: vids and eids numbered as TuGraph numbers them, adjacency by src and by dst as
// index seeks, uniqueness, graphs as files.
import { existsSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGraphFile, dropGraphFiles, ensureDefaultGraph, graphFile, listGraphNames } from '../../electron/graph/store/catalog'
import { checkEdgeConstraint, vertexConflictMessage, type GraphDb } from '../../electron/graph/store/graph-db'
import { checkGraphName } from '../../electron/graph/store/names'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { tempDir } from '../support/temp-store'
import { PERSON_SCHEMA, tempGraph } from './support'

let dir = ''
let g: GraphDb | undefined
afterEach(() => {
  g?.close()
  g = undefined
  rmSync(dir, { recursive: true, force: true })
})

const twoLabels = {
  schema: [
    { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'email', type: 'STRING', index: true, unique: true }] },
    { label: 'city', type: 'VERTEX', primary: 'name', properties: [{ name: 'name', type: 'STRING' }] },
    { label: 'knows', type: 'EDGE', properties: [{ name: 'w', type: 'INT32', optional: true }] },
    { label: 'lives', type: 'EDGE', properties: [{ name: 'since', type: 'INT64' }], temporal: 'since' },
    { label: 'pair', type: 'EDGE', properties: [{ name: 'k', type: 'INT32', index: true, pair_unique: true }] },
  ],
}

describe('numbering', () => {
  it('gives vids from 0 shared by all vertex labels, in creation order', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const person = g.vertexTable('person')
    const city = g.vertexTable('city')
    const vids = g.write((w) => [w.addVertex(person, [10, 'a']), w.addVertex(city, ['Paris']), w.addVertex(person, [11, 'b'])])
    expect(vids).toEqual([0, 1, 2])
    expect(g.write((w) => w.addVertex(city, ['Rome']))).toBe(3)
    expect(g.vertex(1)).toEqual({ vid: 1, label: 'city', labelId: 1, properties: { name: 'Paris' } })
    expect(g.info()).toMatchObject({ vertexCount: 4, edgeCount: 0 })
  })

  it('never reuses a vid a rolled-back transaction took, nor skips one', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const city = g.vertexTable('city')
    expect(() =>
      g!.write((w) => {
        w.addVertex(city, ['A'])
        throw new Error('abort')
      }),
    ).toThrow('abort')
    expect(g.write((w) => w.addVertex(city, ['B']))).toBe(0)
    expect(g.info().vertexCount).toBe(1)
  })

  it('counts eids from 0 per (src, dst, label, tid)', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const person = g.vertexTable('person')
    g.write((w) => [1, 2, 3].forEach((id) => w.addVertex(person, [id, `${id}@x`])))
    const knows = g.edgeTable('knows')
    const lives = g.edgeTable('lives')
    const eids = g.write((w) => [
      w.addEdge(knows, 0, 1, 0, [null]),
      w.addEdge(knows, 0, 1, 0, [5]),
      w.addEdge(knows, 0, 2, 0, [null]),
      w.addEdge(knows, 1, 0, 0, [null]),
      w.addEdge(lives, 0, 1, 7, [7]),
      w.addEdge(lives, 0, 1, 8, [8]),
      w.addEdge(lives, 0, 1, 8, [8]),
    ])
    expect(eids).toEqual([0, 1, 0, 0, 0, 0, 1])
    expect(g.write((w) => w.addEdge(knows, 0, 1, 0, [null]))).toBe(2)
    expect(g.edges(0, 'out', 'knows').map((e) => [e.dst, e.eid, e.properties.w])).toEqual([
      [1, 0, null],
      [1, 1, 5],
      [1, 2, null],
      [2, 0, null],
    ])
    expect(g.edges(1, 'in').map((e) => `${e.label}:${e.labelId} ${e.src}->${e.dst} tid ${e.tid} eid ${e.eid}`)).toEqual([
      'knows:0 0->1 tid 0 eid 0',
      'knows:0 0->1 tid 0 eid 1',
      'knows:0 0->1 tid 0 eid 2',
      'lives:1 0->1 tid 7 eid 0',
      'lives:1 0->1 tid 8 eid 0',
      'lives:1 0->1 tid 8 eid 1',
    ])
    expect(g.info()).toMatchObject({ vertexCount: 3, edgeCount: 8 })
  })
})

describe('uniqueness', () => {
  it('refuses a second vertex with the primary key or a unique value, and says so', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const person = g.vertexTable('person')
    expect(g.write((w) => [w.addVertex(person, [1, 'a@x']), w.addVertex(person, [1, 'b@x']), w.addVertex(person, [2, 'a@x']), w.addVertex(person, [3, 'c@x'])])).toEqual([0, null, null, 1])
  })

  it('refuses a pair_unique value twice between the same vertices, with TuGraph text', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const person = g.vertexTable('person')
    g.write((w) => [1, 2].forEach((id) => w.addVertex(person, [id, `${id}@x`])))
    const pair = g.edgeTable('pair')
    g.write((w) => [w.addEdge(pair, 0, 1, 0, [1]), w.addEdge(pair, 1, 0, 0, [1])])
    expect(() => g!.write((w) => w.addEdge(pair, 0, 1, 0, [1]))).toThrow('Failed to index edge with field value [k:1]: index value already exists.')
    expect(g.edges(0, 'out', 'pair')).toHaveLength(1)
  })

  it('refuses a missing required value with TuGraph text (and SQLite would too: never silently dropped)', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const city = g.vertexTable('city')
    expect(() => g!.write((w) => w.addVertex(city, [null]))).toThrow('Field [name] is not optional.')
    expect(() => g!.db.prepare(`INSERT INTO v_${city.label.tbl} (vid, p0) VALUES (9, NULL) ON CONFLICT DO NOTHING`).run()).toThrow(/NOT NULL/)
  })

  it('words a duplicate vertex and an edge outside its constraints as TuGraph does', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const person = g.vertexTable('person')
    g.write((w) => w.addVertex(person, [1, 'a@x']))
    expect(vertexConflictMessage(person, [1, 'b@x'])).toBe('Failed to index vertex [0] with field value [id:1]: index value already exists.')
    expect(vertexConflictMessage(person, [2, 'a@x'])).toBe('Failed to index vertex [] with field value [email:a@x]: index value already exists.')
    const constrained = tempGraph(tempDir(), PERSON_SCHEMA)
    try {
      expect(() => checkEdgeConstraint(constrained.edgeTable('knows'), 'person', 'city')).toThrow('Does not meet the edge constraints: edge label [knows] does not allow (person, city)')
      expect(() => checkEdgeConstraint(constrained.edgeTable('knows'), 'person', 'person')).not.toThrow()
    } finally {
      constrained.close()
      rmSync(dirname(dirname(constrained.file)), { recursive: true, force: true })
    }
  })
})

describe('seeks', () => {
  it('finds a vertex by primary key and adjacency by src and by dst through indexes', () => {
    dir = tempDir()
    g = tempGraph(dir, twoLabels)
    const plan = (sql: string, ...params: unknown[]) => (g!.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ')
    const knows = g.edgeTable('knows').label.tbl
    const person = g.vertexTable('person').label.tbl
    expect(plan(`SELECT * FROM e_${knows} WHERE src = 1 ORDER BY tid, dst, eid`)).toMatch(/SEARCH e_\d+ USING PRIMARY KEY \(src=\?\)/)
    // In-edges: a seek on the in-adjacency table by dst, then each edge's row by its full key.
    expect(plan(g.edgeTable('knows').in.source, 1)).toMatch(/^SEARCH i USING PRIMARY KEY \(dst=\?\); SEARCH e USING PRIMARY KEY \(src=\? AND tid=\? AND dst=\? AND eid=\?\)$/)
    expect(plan(`SELECT * FROM e_${knows} WHERE src = 1 AND tid = 0 AND dst = 2`)).toMatch(/SEARCH e_\d+ USING PRIMARY KEY \(src=\? AND tid=\? AND dst=\?\)/)
    expect(plan(`SELECT vid FROM v_${person} WHERE p0 = 5`)).toMatch(/SEARCH v_\d+ USING COVERING INDEX v_\d+_p0 \(p0=\?\)/)
    expect(plan(`SELECT * FROM v_${person} WHERE p1 = 'a'`)).toMatch(/SEARCH v_\d+ USING INDEX v_\d+_p1 \(p1=\?\)/)
    expect(plan('SELECT label_id FROM vertices WHERE vid = 3')).toMatch(/SEARCH vertices USING INTEGER PRIMARY KEY \(rowid=\?\)/)
  })
})

describe('graphs as files', () => {
  it('creates default on a new data dir only, lists, creates and drops graphs', () => {
    dir = tempDir()
    expect(ensureDefaultGraph(dir)).toBe(true)
    expect(listGraphNames(dir)).toEqual(['default'])
    createGraphFile(dir, 'movies', { description: 'films' })
    expect(() => createGraphFile(dir, 'Movies')).toThrow('Graph [movies] already exists.')
    expect(listGraphNames(dir)).toEqual(['default', 'movies'])
    dropGraphFiles(dir, 'default')
    expect(existsSync(graphFile(dir, 'default'))).toBe(false)
    expect(ensureDefaultGraph(dir)).toBe(false) // a dropped default stays dropped
    expect(listGraphNames(dir)).toEqual(['movies'])
    expect(() => dropGraphFiles(dir, 'nosuch')).toThrow('Graph [nosuch] does not exist.')
  })

  it('checks graph names with TuGraph rules, before they become paths', () => {
    expect(() => checkGraphName('../x')).toThrow('Invalid Graph: name can only contain alphabetic and numeric characters and underscore.')
    expect(() => checkGraphName('a'.repeat(65))).toThrow('Invalid Graph: name length must be between 1 and 64, given [65]')
    expect(() => checkGraphName('9lives')).toThrow('Invalid Graph: name cannot begin with a digit.')
    expect(() => checkGraphName('NUL')).toThrow(/reserved device name/)
    expect(checkGraphName('图谱_1')).toBe('图谱_1')
  })

  it('keeps each graph in its own SQLite file in WAL mode, never in jobdesk.db', () => {
    dir = tempDir()
    g = tempGraph(dir)
    expect(g.file).toBe(join(dir, 'graphs', 'g.db'))
    expect(g.db.pragma('journal_mode', { simple: true })).toBe('wal')
    g.addLabels(parseSchemaDescription({ schema: [] }))
    expect(existsSync(join(dir, 'jobdesk.db'))).toBe(false)
  })
})
