// GES import files read on the main thread: the schema XML and the data files' lines. Hostile
// shapes froze the server (verification of the graph side): a schema of 60,000 unclosed <label>
// tags took 39 s (a lazy regex rescanned to the end for each), and a 60 MB line was held whole and
// split (6 s). The parser is now one forward pass; a line past the cap streams by, counted.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { boundedLines } from '../../electron/graph/ges/bounded-lines'
import { parseGesSchema } from '../../electron/graph/ges/ges-schema'
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
  it('gives lines with their numbers, drops \\r and a byte-order mark, and reports a line past the cap without holding it', async () => {
    const file = join(dir, 'v.csv')
    writeFileSync(file, `\uFEFF1,ann\r\n${'x'.repeat(3 << 20)}\n2,bo\n\n3,cy`)
    const seen = []
    for await (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([
      { lineNo: 1, text: '1,ann' },
      { lineNo: 2, tooLong: true },
      { lineNo: 3, text: '2,bo' },
      { lineNo: 4, text: '' },
      { lineNo: 5, text: '3,cy' },
    ])
  })

  it('reports a last line past the cap that has no newline', async () => {
    const file = join(dir, 'tail.csv')
    writeFileSync(file, `a\n${'y'.repeat(2 << 20)}`)
    const seen = []
    for await (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([{ lineNo: 1, text: 'a' }, { lineNo: 2, tooLong: true }])
  })
})
