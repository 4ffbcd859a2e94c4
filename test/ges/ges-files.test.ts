// GES import files read on the main thread: the schema XML and the data files' lines. Hostile
// shapes froze the server (verification of the graph side): a schema of 60,000 unclosed <label>
// tags took 39 s (a lazy regex rescanned to the end for each), and a 60 MB line was held whole and
// split (6 s). The parser is now one forward pass; a line past the cap streams by, counted. The
// parser judges label and property names by the native schema API's rule (a label named like a path
// once became a split file's path), and split files are only ever counter names in the work folder.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../shared/errors'
import { boundedLines } from '../../electron/graph/ges/bounded-lines'
import { workFile } from '../../electron/graph/ges/ges-import.executor'
import { parseGesSchema } from '../../electron/graph/ges/ges-schema'
import { checkFieldName, checkLabelName } from '../../electron/graph/store/names'
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

  /** What parseGesSchema throws for `xml`: code, field and message. */
  const refusal = (xml: string) => {
    try {
      parseGesSchema(xml, 's.xml')
    } catch (e) {
      if (isAppError(e)) return { code: e.code, field: e.field, message: e.message }
      throw e
    }
    throw new Error('not refused')
  }
  /** The native schema API's text for a name (store/names.ts), the rule the GES reader must share. */
  const nativeText = (check: (name: string) => string, name: string) => {
    try {
      check(name)
    } catch (e) {
      return (e as Error).message
    }
    return null
  }

  it('refuses the label and property names the native schema API refuses, with its text after the label (field schema_path)', () => {
    for (const label of ['my.label', 'my label', '/../../../../admin/persons', '1st', 'a-b', 'x'.repeat(257)]) {
      expect(refusal(`<labels><label name="${label}"/></labels>`)).toEqual({ code: 'invalid_name', field: 'schema_path', message: `s.xml: label ${JSON.stringify(label)}: ${nativeText(checkLabelName, label)}` })
    }
    for (const prop of ['a.b', 'first name', '../p']) {
      expect(refusal(`<labels><label name="user"><property name="${prop}"/></label></labels>`)).toEqual({
        code: 'invalid_name',
        field: 'schema_path',
        message: `s.xml: property ${JSON.stringify(prop)} of label user: ${nativeText(checkFieldName, prop)}`,
      })
    }
    expect(refusal('<labels><label name="user"><property name="SKIP"/></label></labels>').message).toMatch(/property SKIP of label user: Property name cannot be "SKIP"/)
    expect(refusal('<labels><label name="user"><property name="n"/><property name="n"/></label></labels>').message).toMatch(/label user: Duplicate property definition: \[n\]/)
    // names the native rule takes are taken: underscores, digits after the first character, non-ASCII
    expect(parseGesSchema('<labels><label name="_a1"><property name="名字"/></label><label name="用户"/></labels>', 's.xml').map((l) => l.name)).toEqual(['_a1', '用户'])
  })
})

describe('workFile', () => {
  it('gives the path of a split file in the work folder and refuses any other name', () => {
    expect(workFile(dir, '0.v.3.csv')).toBe(join(dir, '0.v.3.csv'))
    expect(workFile(dir, '12.e.0.csv')).toBe(join(dir, '12.e.0.csv'))
    for (const name of ['0.v./../../x.csv', '../0.v.1.csv', '0.v.my.label.csv', '/etc/0.v.1.csv', 'sub/0.v.1.csv']) expect(() => workFile(dir, name)).toThrow(/is not one of the work folder/)
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
