// Label definitions (reference/tugraph.md §2.1) and import_schema (§1.7), with TuGraph's texts.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppError } from '../../shared/errors'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { nameProblem } from '../../shared/graph-names'
import { tempDir } from '../support/temp-store'
import { PERSON_SCHEMA, tempGraph } from './support'
import { threadCpuMs } from '../support/cpu-time'

const vertex = (props: unknown[], extra: Record<string, unknown> = {}) => ({ label: 'v', type: 'VERTEX', primary: 'id', properties: props, ...extra })
const id = { name: 'id', type: 'INT64' }
const fails = (schema: unknown[]) => {
  try {
    parseSchemaDescription({ schema })
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('accepted')
}

describe('label definitions are checked as TuGraph checks them', () => {
  it.each([
    ['no label or type', [{ label: 'v' }], 'Missing "label" or "type" definition'],
    ['a vertex without primary', [{ label: 'v', type: 'VERTEX', properties: [id] }], 'Label[v]: Missing "primary" or "properties" definition'],
    ['a primary that is no property', [vertex([{ name: 'x', type: 'STRING' }])], 'vertex label [v] has no primary'],
    ['a property named SKIP', [vertex([id, { name: 'SKIP', type: 'STRING' }])], 'Label[v]: Property name cannot be "SKIP" or "SRC_ID" or "DST_ID"'],
    ['an unknown type', [vertex([{ name: 'id', type: 'INT' }])], 'unknown keyword str: [INT]'],
    ['a lower-case type', [vertex([{ name: 'id', type: 'int64' }])], 'unknown keyword str: [int64]'],
    ['an optional primary', [vertex([{ ...id, optional: true }])], 'unique/primary index id should not be optional'],
    ['an optional unique index', [vertex([id, { name: 'u', type: 'STRING', index: true, unique: true, optional: true }])], 'unique/primary index u should not be optional'],
    ['an indexed BLOB', [vertex([id, { name: 'b', type: 'BLOB', index: true }])], 'BLOB field b should not be indexed'],
    ['full text on a number', [vertex([id, { name: 'n', type: 'INT32', fulltext: true }])], 'fulltext index n only supports STRING type'],
    ['temporal on a vertex', [vertex([id], { temporal: 'id' })], 'Label[v]: "temporal" is not supported in Vertex'],
    ['pair_unique on a vertex', [vertex([id, { name: 'p', type: 'INT32', pair_unique: true }])], 'Label[v]: "pair_unique index" is not supported in Vertex'],
    ['primary on an edge', [{ label: 'e', type: 'EDGE', primary: 'x' }], 'Label[e]: "primary" is not supported in Edge'],
    ['constraints not an array', [{ label: 'e', type: 'EDGE', constraints: 'a' }], 'Label[e]: "constraints" is not array'],
    ['a constraint of one label', [{ label: 'e', type: 'EDGE', constraints: [['a']] }], 'Label[e]: "constraints" element size should be 2'],
    ['a temporal field that is not INT64', [{ label: 'e', type: 'EDGE', properties: [{ name: 't', type: 'INT32' }], temporal: 't' }], 'edge label [e] temporal field [t] should be INT64'],
    ['unique and pair_unique together', [{ label: 'e', type: 'EDGE', properties: [{ name: 't', type: 'INT32', index: true, unique: true, pair_unique: true }] }], 'Label[e]: pair_unique and unique configuration cannot occur simultaneously'],
    ['a label twice', [vertex([id]), vertex([id])], 'Vertex label [v] appears more than once!'],
    ['a property twice', [vertex([id, id])], 'Label[v]: Duplicate property definition: [id]'],
    ['a label starting with a digit', [{ ...vertex([id]), label: '1v' }], 'Invalid Label: name cannot begin with a digit.'],
    ['a label with a dash', [{ ...vertex([id]), label: 'a-b' }], 'Invalid Label: name can only contain alphabetic and numeric characters and underscore.'],
    ['a field name too long', [vertex([id, { name: 'f'.repeat(257), type: 'STRING' }])], 'Invalid Field: name length must be between 1 and 256, given [257]'],
  ])('refuses %s', (_what, schema, message) => {
    expect(fails(schema as unknown[])).toBe(message)
  })

  it('finds a duplicate constraint among 4,096 in linear time, refuses more at once, and refuses constraints naming more vertex labels than a graph holds, naming the field', () => {
    const many: [string, string][] = []
    for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) many.push([`a${i}`, `b${j}`])
    expect(parseSchemaDescription({ schema: [{ label: 'e', type: 'EDGE', constraints: many }] })[0]).toMatchObject({ constraints: { length: 4096 } })
    expect(fails([vertex([id]), { label: 'e', type: 'EDGE', constraints: [...many.slice(1), ['a63', 'b7']] }])).toBe('Duplicate constraints: [a63, b7]')
    const huge = Array.from({ length: 270_000 }, (_, i) => [`a${i}`, 'b']) // what a 4 MiB body holds: took 13.9 s pairwise
    const started = threadCpuMs()
    expect(fails([{ label: 'e', type: 'EDGE', constraints: huge }])).toBe('Label[e]: "constraints" cannot list more than 4096 pairs, given [270000]')
    expect(threadCpuMs() - started).toBeLessThan(50)
    const wide = Array.from({ length: 2049 }, (_, i) => [`s${i}`, `d${i}`])
    let error: AppError | undefined
    try {
      parseSchemaDescription({ schema: [vertex([id]), { label: 'e', type: 'EDGE', constraints: wide }] })
    } catch (e) {
      error = e as AppError
    }
    expect(error?.message).toBe('Label[e]: "constraints" name more than 4096 vertex labels, more than a graph can hold')
    expect(error?.field).toBe('schema[1].constraints')
  })

  it('refuses a description without schema, also one given as a string', () => {
    expect(() => parseSchemaDescription({})).toThrow('Missing `schema` definition')
    expect(() => parseSchemaDescription('"text"')).toThrow('Missing `schema` definition')
    expect(() => parseSchemaDescription({ schema: {} })).toThrow('"schema" is not array')
  })

  it('accepts non-ASCII names, a stringified description, and every TuGraph type', () => {
    const types = ['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'DATE', 'DATETIME', 'STRING', 'BLOB', 'POINT', 'LINESTRING', 'POLYGON', 'FLOAT_VECTOR']
    const labels = parseSchemaDescription(JSON.stringify({ schema: [vertex([id, ...types.map((t) => ({ name: `f_${t}`, type: t, optional: true }))], { label: '人物' })] }))
    expect(labels[0].label).toBe('人物')
    expect(labels[0].properties.map((p) => p.type)).toEqual(['INT64', ...types])
  })
})

describe('import_schema on a graph', () => {
  let dir = ''
  let g: GraphDb | undefined
  afterEach(() => {
    g?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is idempotent for identical labels and refuses a changed one as "not comparable"', () => {
    dir = tempDir()
    g = tempGraph(dir)
    expect(g.addLabels(parseSchemaDescription(PERSON_SCHEMA))).toEqual({ created: [], skipped: ['person', 'knows'] })
    const changed = structuredClone(PERSON_SCHEMA)
    changed.schema[0].properties![2].type = 'INT64'
    expect(() => g!.addLabels(parseSchemaDescription(changed))).toThrow(/^label type:\[vertex\] name:\[person\].* and label type:\[vertex\] name:\[person\].* not comparable in two schema$/)
    expect(g.labels().map((l) => `${l.kind}:${l.id}:${l.name}`)).toEqual(['vertex:0:person', 'edge:0:knows'])
  })

  it('creates nothing when one label of the call fails, and checks constraints name vertex labels', () => {
    dir = tempDir()
    g = tempGraph(dir)
    const schema = [vertex([id], { label: 'city' }), { label: 'lives', type: 'EDGE', constraints: [['person', 'nowhere']] }]
    expect(() => g!.addLabels(parseSchemaDescription({ schema }))).toThrow('No such vertex label: nowhere')
    expect(g.labels().map((l) => l.name)).toEqual(['person', 'knows'])
  })

  it('numbers labels 0-based per kind in creation order', () => {
    dir = tempDir()
    g = tempGraph(dir)
    g.addLabels(parseSchemaDescription({ schema: [vertex([id], { label: 'city' }), { label: 'lives', type: 'EDGE' }, vertex([id], { label: 'film' })] }))
    expect(g.labels().map((l) => `${l.kind}:${l.id}:${l.name}`)).toEqual(['vertex:0:person', 'vertex:1:city', 'vertex:2:film', 'edge:0:knows', 'edge:1:lives'])
    expect(g.info().labels.find((l) => l.name === 'film')).toMatchObject({ kind: 'vertex', id: 2, count: 0 })
  })
})

describe('name characters', () => {
  it('allows exactly ASCII letters, digits and underscore among ASCII characters, and any other character', () => {
    for (let code = 0; code < 128; code++) {
      const ch = String.fromCharCode(code)
      expect(nameProblem(`a${ch}b`, 256, ''), `U+${code.toString(16)}`).toBe(/[A-Za-z0-9_]/.test(ch) ? null : 'name can only contain alphabetic and numeric characters and underscore.')
    }
    expect(nameProblem('名前_é😀', 256, '')).toBe(null)
  })
})
