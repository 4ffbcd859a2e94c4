// The Graph page's pure helpers (#12.4): TuGraph's result encoding → the picture's vertices and
// edges, CSV, the engine error's position, the queries it writes, and what the editor completes.
import { describe, expect, it } from 'vitest'
import { completionAt, completionOptions } from '../../renderer/src/features/graph/cypher-complete'
import {
  caption,
  cellText,
  cypherName,
  errorExcerpt,
  errorPosition,
  isEdge,
  isVertex,
  labelColour,
  labelQuery,
  mergePictures,
  missingEndpoints,
  pictureOf,
  resultCsv,
  shownCell,
  SHOWN_CELL_CHARS,
  WHOLE_CHARS,
  shownNumber,
} from '../../renderer/src/features/graph/cypher-result'

const ann = { identity: 0, label: 'person', properties: { id: 1, name: 'Ann' } }
const bob = { identity: 1, label: 'person', properties: { id: 2, name: 'Bob' } }
const lyon = { identity: 2, label: 'city', properties: { name: 'Lyon' } }
const knows = { dst: 1, forward: true, identity: 0, label: 'knows', label_id: 0, src: 0, temporal_id: 0 }
const livesIn = { dst: 2, forward: true, identity: 0, label: 'lives_in', label_id: 1, properties: { since: 2020 }, src: 1, temporal_id: 0 }

describe('result → picture', () => {
  it('tells vertices and edges from maps by TuGraph’s keys', () => {
    expect(isVertex(ann)).toBe(true)
    expect(isVertex({ identity: 1, label: 'x', extra: 1 })).toBe(false)
    expect(isEdge(knows)).toBe(true)
    expect(isVertex(knows)).toBe(false)
    expect(isEdge({ src: 1, dst: 2, identity: 0, label: 'x' })).toBe(false) // no label_id: a user's map
  })

  it('collects each vertex and edge once from columns, paths, lists and maps', () => {
    const rows = [
      [ann, knows, bob],
      [[ann, knows, bob], { friends: [bob, lyon] }, '__null__'],
      [[bob, livesIn, lyon], null, 3],
    ]
    const p = pictureOf(rows)
    expect(p.nodes.map((n) => [n.id, n.label])).toEqual([
      [0, 'person'],
      [1, 'person'],
      [2, 'city'],
    ])
    expect(p.edges).toEqual([
      { key: '0>1:knows#0', src: 0, dst: 1, label: 'knows', properties: {} },
      { key: '1>2:lives_in#0', src: 1, dst: 2, label: 'lives_in', properties: { since: 2020 } },
    ])
  })

  it('merges an expansion without duplicates and names the edge ends it lacks', () => {
    const first = pictureOf([[knows]])
    expect(first.nodes).toEqual([])
    expect(missingEndpoints(first)).toEqual([0, 1])
    const merged = mergePictures(pictureOf([[ann, knows, bob]]), pictureOf([[bob, livesIn, lyon], [ann, knows, bob]]))
    expect(merged.nodes.map((n) => n.id)).toEqual([0, 1, 2])
    expect(merged.edges.map((e) => e.key)).toEqual(['0>1:knows#0', '1>2:lives_in#0'])
    expect(missingEndpoints(merged)).toEqual([])
  })

  it('captions a vertex by its name-like property, else its id', () => {
    expect(caption({ id: 4, label: 'p', properties: { name: 'Ann', id: 1 } })).toBe('Ann')
    expect(caption({ id: 4, label: 'p', properties: { id: 7 } })).toBe('7')
    expect(caption({ id: 4, label: 'p', properties: {} })).toBe('#4')
  })

  it('gives a label the same colour every time, and different labels different colours', () => {
    expect(labelColour('person')).toBe(labelColour('person'))
    expect(labelColour('person')).not.toBe(labelColour('city'))
  })
})

describe('table and CSV', () => {
  it('shows NULL apart and objects as JSON', () => {
    expect(cellText(null)).toBeNull()
    expect(cellText(0)).toBe('0')
    expect(cellText(ann)).toBe('{"identity":0,"label":"person","properties":{"id":1,"name":"Ann"}}')
  })

  // a number broke mid-value in a narrow column ("500000" over "1", #9 UI LOWs): short scalars are kept on one line
  it('marks a number, a boolean and a short string without spaces whole (one line); longer text may wrap', () => {
    expect(shownCell(5000001)).toEqual({ text: '5000001', whole: true })
    expect(shownCell(true)).toEqual({ text: 'true', whole: true })
    expect(shownCell('x'.repeat(WHOLE_CHARS))).toEqual({ text: 'x'.repeat(WHOLE_CHARS), whole: true })
    expect(shownCell('x'.repeat(WHOLE_CHARS + 1))).toEqual({ text: 'x'.repeat(WHOLE_CHARS + 1) })
    expect(shownCell('two words')).toEqual({ text: 'two words' })
    expect(shownCell({ a: 1 }).whole).toBeUndefined()
  })

  it('rounds float noise away for display (#15.2): 6 significant digits, the exact value kept for a tooltip and CSV', () => {
    expect(shownNumber(0.030000000000000006)).toBe('0.03')
    expect(shownNumber(0.37000000000000005)).toBe('0.37')
    expect(shownNumber(0.1 + 0.2)).toBe('0.3')
    expect(shownNumber(1 / 3)).toBe('0.333333')
    expect(shownNumber(-2.0000000000000004)).toBe('-2')
    expect(shownNumber(1234567.891)).toBe('1234568') // never fewer digits than the integer part
    expect(shownNumber(1.23456789e-10)).toBe('1.23457e-10')
    expect(shownNumber(9007199254740991)).toBe('9007199254740991') // integers (vids, counts) whole
    expect(shownNumber(NaN)).toBe('NaN')
    expect(shownCell(0.030000000000000006)).toEqual({ text: '0.03', exact: '0.030000000000000006', whole: true })
    expect(shownCell(0.5)).toEqual({ text: '0.5', whole: true })
    expect(shownCell('0.030000000000000006')).toEqual({ text: '0.030000000000000006', whole: true }) // a string is shown as stored
    expect(shownCell(null)).toEqual({ text: null })
    expect(resultCsv({ header: [{ name: 'v', type: 0 }], rows: [[0.030000000000000006]] })).toBe('v\r\n0.030000000000000006\r\n')
  })

  // new-user LOW (#9): a node column showed its JSON, cut off by the cell's width
  it('shows vertices, edges and paths as Cypher writes them, the whole value as JSON for the tooltip', () => {
    expect(shownCell(ann)).toEqual({ text: '(:person {id: 1, name: "Ann"})', exact: JSON.stringify(ann, null, 2) })
    expect(shownCell(livesIn).text).toBe('(#1)-[:lives_in {since: 2020}]->(#2)')
    expect(shownCell(knows).text).toBe('(#0)-[:knows]->(#1)')
    expect(shownCell([ann, knows, bob]).text).toBe('(:person {id: 1, name: "Ann"}), (#0)-[:knows]->(#1), (:person {id: 2, name: "Bob"})')
    const wide = { identity: 9, label: 'doc', properties: { id: 7, body: 'x'.repeat(500), a: 1, b: 2 } }
    expect(shownCell(wide).text).toBe(`(:doc {id: 7, body: "${'x'.repeat(22)}…, a: 1, …})`)
    expect(shownCell(wide).exact).toContain('x'.repeat(500))
    // #9 UI LOW: a text that leaves part out says so (the table opens the whole value on a click or Enter)
    expect(shownCell(wide).cut).toBe(true)
    expect(shownCell({ identity: 9, label: 'doc', properties: { id: 7, a: 1, b: 2, c: 3 } }).cut).toBe(true) // a property left out
    expect(shownCell([ann, { ...wide }]).cut).toBe(true)
    // the primary property first, where the page knows it (TuGraph sorts properties by name)
    const sorted = { identity: 3, label: 'person', properties: { age: 31, name: 'Ann', uid: 7 } }
    expect(shownCell(sorted, (label) => (label === 'person' ? 'uid' : undefined)).text).toBe('(:person {uid: 7, age: 31, name: "Ann"})')
    expect(shownCell({ a: 1 })).toEqual({ text: '{"a":1}' }) // a map stays JSON
    // #9 atk2 LOW: a value cut at 24 characters between the two halves of an emoji left a lone
    // surrogate in the cell (drawn as a broken character); the cut keeps whole characters
    const emoji = { identity: 4, label: 'doc', properties: { id: 8, note: `${'a'.repeat(21)}😀😀` } }
    expect(shownCell(emoji).text).toBe(`(:doc {id: 8, note: "${'a'.repeat(21)}…})`)
    // #9 UI LOW (querycell): a long plain value (3,003 characters) was only cut by the column's edge;
    // now its start and "…", cut, its whole value exact (a list or map as indented JSON)
    const long = `${'lorem ipsum '.repeat(250)}END😀`
    expect(shownCell(long)).toEqual({ text: `${long.slice(0, SHOWN_CELL_CHARS - 1)}…`, exact: long, cut: true })
    expect(shownCell('x'.repeat(SHOWN_CELL_CHARS))).toEqual({ text: 'x'.repeat(SHOWN_CELL_CHARS) }) // as long as it may be: whole
    expect(shownCell(`${'a'.repeat(8)}😀b`, undefined, 10).text).toBe(`${'a'.repeat(8)}…`) // a narrower column's cut keeps whole characters
    const list = Array.from({ length: 60 }, (_, i) => i)
    expect(shownCell(list)).toEqual({ text: `${JSON.stringify(list).slice(0, SHOWN_CELL_CHARS - 1)}…`, exact: JSON.stringify(list, null, 2), cut: true })
    expect(resultCsv({ header: [{ name: 'n', type: 1 }], rows: [[ann]] })).toBe(`n\r\n"${JSON.stringify(ann).replace(/"/g, '""')}"\r\n`) // CSV keeps the JSON
  })

  it('writes RFC 4180 CSV: quotes where needed, NULL empty, objects as JSON', () => {
    const csv = resultCsv({
      header: [
        { name: 'name', type: 0 },
        { name: 'n', type: 1 },
        { name: 'note', type: 0 },
      ],
      rows: [
        ['Ann', { identity: 0, label: 'p' }, 'said "hi", left'],
        ['Bob', null, 'line\nbreak'],
      ],
    })
    expect(csv).toBe('name,n,note\r\nAnn,"{""identity"":0,""label"":""p""}","said ""hi"", left"\r\nBob,,"line\nbreak"\r\n')
  })
})

describe('errors and queries', () => {
  it('finds the line and column in the engine’s texts and points at them', () => {
    const message = "Invalid syntax: mismatched input 'LIMT' expecting <EOF> (line 2, column 10)"
    expect(errorPosition(message)).toEqual({ line: 2, column: 10 })
    expect(errorPosition('SET n = {…} is not supported (line 1, column 22).')).toEqual({ line: 1, column: 22 })
    expect(errorPosition('Vertex label [x] does not exist.')).toBeNull()
    expect(errorExcerpt('MATCH (n)\nRETURN n LIMT 5', { line: 2, column: 10 })).toBe('RETURN n LIMT 5\n         ^')
    expect(errorExcerpt('RETURN 1', { line: 3, column: 1 })).toBeNull()
  })

  it('writes label queries with names quoted when they are not identifiers', () => {
    expect(labelQuery('vertex', 'person')).toBe('MATCH (n:person) RETURN n LIMIT 25')
    expect(labelQuery('edge', 'knows')).toBe('MATCH p = ()-[r:knows]->() RETURN p LIMIT 25')
    expect(cypherName('my label')).toBe('`my label`')
    expect(cypherName('a`b')).toBe('`a``b`')
  })
})

describe('completion', () => {
  it.each([
    ['MATCH (n:pe', { kind: 'label', word: 'pe' }],
    ['MATCH (:', { kind: 'label', word: '' }],
    ['MATCH (a)-[r:KN', { kind: 'relationship', word: 'KN' }],
    ['MATCH (a)-[:knows|li', { kind: 'relationship', word: 'li' }],
    ['MATCH (n) WHERE n.na', { kind: 'property', word: 'na' }],
    ['MATCH (n:person {na', { kind: 'property', word: 'na' }],
    ['CALL db.vert', { kind: 'procedure', word: 'db.vert' }],
    ['MATCH (n) RET', { kind: 'word', word: 'RET' }],
  ] as const)('%s', (before, expected) => {
    expect(completionAt(before)).toEqual(expected)
  })

  it('completes nothing inside strings and comments, and no label after a map key', () => {
    expect(completionAt("MATCH (n) WHERE n.name = 'a:b")).toBeNull()
    expect(completionAt('// MATCH (n:pe')).toBeNull()
    expect(completionAt('CREATE (n:person {name: ')).toBeNull()
  })

  it('offers the schema’s names for each kind', () => {
    const schema = { vertexLabels: ['person'], edgeLabels: ['knows'], properties: ['age', 'name'], procedures: ['db.vertexLabels'] }
    expect(completionOptions('label', schema).map((o) => o.label)).toEqual(['person'])
    expect(completionOptions('relationship', schema).map((o) => o.label)).toEqual(['knows'])
    expect(completionOptions('property', schema).map((o) => o.label)).toEqual(['age', 'name'])
    expect(completionOptions('procedure', schema).map((o) => o.label)).toEqual(['db.vertexLabels'])
    expect(completionOptions('word', schema).map((o) => o.label)).toEqual(expect.arrayContaining(['MATCH', 'count', 'person', 'knows']))
  })
})
