// GES import files: the schema XML (parsed on the main thread) and the data files' lines and their
// split per label (in a graph worker). Hostile shapes froze the server (verification of the graph
// side): a schema of 60,000 unclosed <label> tags took 39 s (a lazy regex rescanned to the end for
// each), and a 60 MB line was held whole and split (6 s). The parser is now one forward pass; a line
// past the cap streams by, counted.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { boundedLines } from '../../electron/graph/ges/bounded-lines'
import { parseGesSchema } from '../../electron/graph/ges/ges-schema'
import { splitGesFiles } from '../../electron/graph/ges/ges-split'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseGesSchema', () => {
  it('reads labels with their typed properties, self-closed labels, and skips <labels>/<properties> wrappers', () => {
    const xml = `<PMML version="3.0"><labels>
      <label name="user"><properties>
        <property name="Name" cardinality="single" dataType="string"/>
        <property name="Age" dataType="int"/>
      </properties></label>
      <label name="rate"/>
      <labelled name="not-a-label"></labelled>
    </labels></PMML>`
    expect(parseGesSchema(xml, 's.xml')).toEqual([
      { name: 'user', properties: [{ name: 'Name', type: 'STRING' }, { name: 'Age', type: 'INT32' }] },
      { name: 'rate', properties: [] },
    ])
  })

  it('refuses 60,000 unclosed <label> tags at once, naming what is wrong (it used to take 39 s)', () => {
    const xml = `<labels>${'<label name="a">'.repeat(60_000)}`
    const t0 = performance.now()
    expect(() => parseGesSchema(xml, 'bomb.xml')).toThrow(/bomb\.xml: a <label> has no <\/label>/)
    expect(performance.now() - t0).toBeLessThan(2000) // linear: milliseconds; the old parse, tens of seconds
  })

  it('refuses a <property tag that never closes, and a label without a name', () => {
    expect(() => parseGesSchema(`<labels><label name="u">${'<property name="x" '.repeat(50_000)}</label></labels>`, 'p.xml')).toThrow(/<property> tag is not closed/)
    expect(() => parseGesSchema('<labels><label kind="x"></label></labels>', 'n.xml')).toThrow(/n\.xml: a <label> has no name/)
  })
})

describe('boundedLines', () => {
  it('gives lines with their numbers, drops \\r and a byte-order mark, and reports a line past the cap without holding it', () => {
    const file = join(dir, 'v.csv')
    writeFileSync(file, `\uFEFF1,ann\r\n${'x'.repeat(3 << 20)}\n2,bo\n\n3,cy`)
    const seen = []
    for (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([
      { lineNo: 1, text: '1,ann' },
      { lineNo: 2, tooLong: true },
      { lineNo: 3, text: '2,bo' },
      { lineNo: 4, text: '' },
      { lineNo: 5, text: '3,cy' },
    ])
  })

  it('reports a last line past the cap that has no newline', () => {
    const file = join(dir, 'tail.csv')
    writeFileSync(file, `a\n${'y'.repeat(2 << 20)}`)
    const seen = []
    for (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([{ lineNo: 1, text: 'a' }, { lineNo: 2, tooLong: true }])
  })
})

describe('splitGesFiles', () => {
  it('keeps lines whole across read chunks (64 KiB): a 100 KiB line and 20,000 short ones', () => {
    const file = join(dir, 'chunks.csv')
    const long = 'L'.repeat(100 * 1024)
    const lines = [`a,${long}`, ...Array.from({ length: 20_000 }, (_, i) => `v${i},x${i}`)]
    writeFileSync(file, `${lines.join('\n')}\n`)
    const seen = [...boundedLines(file, 1 << 20)]
    expect(seen).toHaveLength(lines.length)
    expect(seen.every((l, i) => 'text' in l && l.text === lines[i])).toBe(true)
  })

  it('splits vertices and edges per label, finds labels among 50,000 at once, counts refused lines with the first reason', () => {
    const work = join(dir, 'split1')
    mkdirSync(work)
    writeFileSync(join(dir, 'sv.csv'), 'a,user,Ann\nb,user,"Bo, jr"\nc,nolabel\nd,item\n')
    writeFileSync(join(dir, 'se.csv'), 'a,b,knows,3\na,d,buys\na,zz,knows\n')
    const many = Array.from({ length: 50_000 }, (_, i) => `<label name="l${i}"/>`).join('')
    writeFileSync(join(dir, 's.xml'), `<labels>${many}<label name="user"><properties><property name="name" dataType="string"/></properties></label><label name="knows"><properties><property name="w" dataType="int"/></properties></label></labels>`)
    // item and buys are the graph's own; the schema file's user wins over the graph's
    const graphLabels = [{ name: 'user', properties: [] }, { name: 'item', properties: [] }, { name: 'buys', properties: [] }]
    const t0 = performance.now()
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'sv.csv', file: join(dir, 'sv.csv') }], edgeFiles: [{ path: 'se.csv', file: join(dir, 'se.csv') }], delimiter: ',', schema: { path: 's.xml', file: join(dir, 's.xml') }, graphLabels }, () => false)
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(r.stopped).toBe(false)
    expect(r.vertices).toEqual([{ path: 'sv.csv', total_lines: 4, failed_lines: 1, cause: 'line 3: label nolabel is in neither the schema file nor the graph' }])
    expect(r.edges).toEqual([{ path: 'se.csv', total_lines: 3, failed_lines: 1, cause: "line 3: vertex zz is in none of this import's vertex files" }])
    expect(r.parts).toEqual([
      { part: '0.v.user.csv', kind: 'vertex', source: 0, label: 'user' },
      { part: '0.v.item.csv', kind: 'vertex', source: 0, label: 'item' },
      { part: '1.e.knows.user.user.csv', kind: 'edge', source: 0, label: 'knows', src: 'user', dst: 'user' },
      { part: '1.e.buys.user.item.csv', kind: 'edge', source: 0, label: 'buys', src: 'user', dst: 'item' },
    ])
    expect(r.labels.map((l) => l.name)).toEqual(['user', 'item', 'knows', 'buys'])
    expect(readdirSync(work).sort()).toEqual(['0.v.item.csv', '0.v.user.csv', '1.e.buys.user.item.csv', '1.e.knows.user.user.csv'])
    expect(readFileSync(join(work, '0.v.user.csv'), 'utf8')).toBe('a,Ann\nb,"Bo, jr"\n')
    expect(readFileSync(join(work, '1.e.knows.user.user.csv'), 'utf8')).toBe('a,b,3\n')
  })

  it('keeps split files in the work folder whatever the labels are called (../, long names)', () => {
    const work = join(dir, 'split4', 'work')
    mkdirSync(work, { recursive: true })
    const long = 'x'.repeat(300)
    writeFileSync(join(dir, 'odd.csv'), `a,../../evil\nb,${long}\nc,${long}\n`)
    const labels = [{ name: '../../evil', properties: [] }, { name: long, properties: [] }]
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'odd.csv', file: join(dir, 'odd.csv') }], edgeFiles: [], delimiter: ',', graphLabels: labels }, () => false)
    expect(r.parts).toEqual([
      { part: '0.v.%2E%2E%2F%2E%2E%2Fevil.csv', kind: 'vertex', source: 0, label: '../../evil' },
      { part: '0.v.#1.csv', kind: 'vertex', source: 0, label: long },
    ])
    expect(readdirSync(join(dir, 'split4'))).toEqual(['work'])
    expect(readFileSync(join(work, '0.v.#1.csv'), 'utf8')).toBe('b\nc\n')
  })

  it('ends with a reason naming the limit when an import with edges brings more vertex ids than it keeps', () => {
    const work = join(dir, 'split2')
    mkdirSync(work)
    writeFileSync(join(dir, 'many.csv'), 'a,u\nb,u\na,u\nc,u\nd,u\n')
    writeFileSync(join(dir, 'e.csv'), 'a,b,u\n')
    const files = { vertexFiles: [{ path: 'many.csv', file: join(dir, 'many.csv') }], delimiter: ',', graphLabels: [{ name: 'u', properties: [] }], maxVertexIds: 2 }
    const r = splitGesFiles({ workDir: work, edgeFiles: [{ path: 'e.csv', file: join(dir, 'e.csv') }], ...files }, () => false)
    expect(r.tooLarge).toMatch(/more than 2 vertex ids, the most an import-graph with edge files reads here/)
    expect(r.edges).toEqual([])
    // without edge files no id is kept, so there is no limit
    const alone = splitGesFiles({ workDir: work, edgeFiles: [], ...files }, () => false)
    expect(alone.tooLarge).toBeUndefined()
    expect(alone.vertices).toMatchObject([{ total_lines: 5, failed_lines: 0 }])
  })

  it('reports a schema file it cannot use, with the cause the job fails with, and splits nothing', () => {
    const work = join(dir, 'split5')
    mkdirSync(work)
    writeFileSync(join(dir, 'bad.xml'), '<labels><label kind="x"></label></labels>')
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'sv.csv', file: join(dir, 'sv.csv') }], edgeFiles: [], delimiter: ',', schema: { path: 'bad.xml', file: join(dir, 'bad.xml') }, graphLabels: [] }, () => false)
    expect(r.schemaFailure).toEqual({ message: 'bad.xml: a <label> has no name', cause: { kind: 'invalid', code: 'invalid_schema' } })
    expect(r.vertices).toEqual([])
    expect(readdirSync(work)).toEqual([])
  })

  it('stops when its stop flag is set', () => {
    const work = join(dir, 'split3')
    mkdirSync(work)
    writeFileSync(join(dir, 'long.csv'), Array.from({ length: 10_000 }, (_, i) => `v${i},u\n`).join(''))
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'long.csv', file: join(dir, 'long.csv') }], edgeFiles: [], delimiter: ',', graphLabels: [{ name: 'u', properties: [] }] }, () => true)
    expect(r.stopped).toBe(true)
    expect(r.vertices[0].total_lines).toBeLessThan(10_000)
  })
})
