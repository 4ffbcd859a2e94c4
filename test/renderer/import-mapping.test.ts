// The Imports page's mapping model (#11.5): columns guessed onto new and existing labels, the
// labels an import creates, and the TuGraph import config it saves and loads.
import { describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import type { FilePreview } from '../../shared/graph-api'
import {
  buildConfig,
  columnsForLabel,
  columnsForNewLabel,
  draftFromMapping,
  fileMapping,
  headerLinesProblem,
  jsonFileKind,
  labelFromFileName,
  labelsToCreate,
  locateFile,
  guessLabel,
  looksLikeEdges,
  parseConfig,
  uploadPathProblem,
  type FileDraft,
} from '../../renderer/src/features/imports/mapping'

const preview = (names: string[], types: string[] = names.map(() => 'INT64'), empty: boolean[] = []): FilePreview => ({
  path: 'f.csv',
  bytes: 10,
  format: 'CSV',
  delimiter: ',',
  header: 1,
  headerFields: names,
  columns: names.map((name, index) => ({ index, name, type: types[index] as never, hasEmpty: !!empty[index], values: 1 })),
  rows: [],
  sampledLines: 1,
  complete: true,
  encoding: 'utf-8',
  notes: [],
})

const PERSON: LabelDef = {
  label: 'person',
  type: 'VERTEX',
  primary: 'id',
  properties: [
    { name: 'id', type: 'INT64' },
    { name: 'name', type: 'STRING' },
    { name: 'age', type: 'INT32', optional: true },
  ],
}
const KNOWS: LabelDef = { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] }

const draft = (over: Partial<FileDraft>): FileDraft => ({
  path: 'f.csv',
  bytes: 1,
  upload: { state: 'uploaded', sent: 1 },
  format: 'CSV',
  header: 1,
  encoding: 'utf-8',
  kind: 'vertex',
  label: 'x',
  newLabel: true,
  primary: '',
  src: '',
  dst: '',
  columns: [],
  preview: null,
  previewError: null,
  ...over,
})

describe('guessing a mapping', () => {
  it('names labels after files and finds edge files by their endpoint columns', () => {
    expect(labelFromFileName('data/movie-roles.v2.csv')).toBe('movie_roles_v2')
    expect(labelFromFileName('2024.csv')).toBe('l_2024')
    expect(looksLikeEdges(preview(['from', 'to', 'weight']))).toBe(true)
    expect(looksLikeEdges(preview(['id', 'name']))).toBe(false)
  })

  it('takes a header of TuGraph’s own SRC_ID, DST_ID for an edge file, though the preview renames those columns', () => {
    // what the server's preview gives for the header line "SRC_ID,DST_ID,since" (reserved names)
    const p = { ...preview(['column_1', 'column_2', 'since']), headerFields: ['SRC_ID', 'DST_ID', 'since'] }
    expect(looksLikeEdges(p)).toBe(true)
    expect(guessLabel(draft({ path: 'knows.csv', preview: p }), []).kind).toBe('edge')
    expect(columnsForNewLabel(p, 'edge').map((c) => [c.role, c.name])).toEqual([
      ['SRC_ID', 'column_1'],
      ['DST_ID', 'column_2'],
      ['property', 'since'],
    ])
  })

  it('makes every column a typed property of a new label; an edge file’s endpoints by name, else the first two', () => {
    expect(columnsForNewLabel(preview(['id', 'age'], ['INT64', 'INT64'], [false, true]), 'vertex')).toEqual([
      { role: 'property', name: 'id', type: 'INT64', optional: false },
      { role: 'property', name: 'age', type: 'INT64', optional: true },
    ])
    expect(columnsForNewLabel(preview(['weight', 'target', 'source']), 'edge').map((c) => c.role)).toEqual(['property', 'DST_ID', 'SRC_ID'])
    expect(columnsForNewLabel(preview(['a', 'b', 'c']), 'edge').map((c) => c.role)).toEqual(['SRC_ID', 'DST_ID', 'property'])
  })

  it('maps onto an existing label by column name, or by position as TuGraph’s columns list does', () => {
    expect(columnsForLabel(preview(['name', 'extra', 'id']), PERSON).map((c) => (c.role === 'property' ? c.name : c.role))).toEqual(['name', 'SKIP', 'id'])
    expect(columnsForLabel(preview(['column_1', 'column_2', 'column_3']), PERSON).map((c) => (c.role === 'property' ? c.name : c.role))).toEqual(['id', 'name', 'age'])
    expect(columnsForLabel(preview(['column_1', 'column_2', 'column_3', 'column_4']), KNOWS).map((c) => (c.role === 'property' ? c.name : c.role))).toEqual(['SRC_ID', 'DST_ID', 'since', 'SKIP'])
    expect(columnsForLabel(preview(['since', 'a', 'b']), KNOWS).map((c) => (c.role === 'property' ? c.name : c.role))).toEqual(['since', 'SRC_ID', 'DST_ID'])
  })
})

describe('labels and configs', () => {
  const vertex = draft({
    path: 'people.csv',
    label: 'person',
    primary: 'id',
    columns: [
      { role: 'property', name: 'id', type: 'INT64', optional: true }, // a primary key is never optional
      { role: 'SKIP', name: 'junk', type: 'STRING', optional: true },
      { role: 'property', name: 'age', type: 'INT32', optional: true },
    ],
  })
  const edge = draft({
    path: 'knows.csv',
    kind: 'edge',
    label: 'knows',
    src: 'person',
    dst: 'person',
    columns: [
      { role: 'SRC_ID', name: '', type: 'STRING', optional: true },
      { role: 'DST_ID', name: '', type: 'STRING', optional: true },
      { role: 'property', name: 'since', type: 'INT32', optional: false },
    ],
  })

  it('creates new labels from the columns, vertex labels first, each once, and none that exist', () => {
    expect(labelsToCreate([edge, vertex, { ...vertex, path: 'more.csv' }], [], [])).toEqual([
      { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'age', type: 'INT32', optional: true }] },
      { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32' }], constraints: [['person', 'person']] },
    ])
    expect(labelsToCreate([edge, vertex], [], [PERSON])).toEqual([expect.objectContaining({ label: 'knows' })])
  })

  it('saves a TuGraph config with every label the files use, and loads it back into the same mapping', () => {
    const existing = [PERSON, KNOWS, { label: 'city', type: 'VERTEX', primary: 'n', properties: [{ name: 'n', type: 'STRING' }] } as LabelDef]
    const old = { ...edge, newLabel: false }
    const config = buildConfig([old], [], existing)
    // the edge file alone still carries its endpoint vertex label, so lgraph_import can create both
    expect(config.schema.map((l) => l.label)).toEqual(['person', 'knows'])
    expect(config.files).toEqual([{ path: 'knows.csv', format: 'CSV', label: 'knows', columns: ['SRC_ID', 'DST_ID', 'since'], header: 1, SRC_ID: 'person', DST_ID: 'person' }])

    const text = JSON.stringify(config)
    expect(jsonFileKind('import.json', text)).toEqual({ kind: 'config' })
    expect(jsonFileKind('data.json', '["a",1]')).toEqual({ kind: 'data' }) // a JSON-lines data file
    const loaded = parseConfig(text)
    const back = draftFromMapping(loaded.files[0], loaded.schema[1], { path: 'knows.csv', bytes: 5, state: 'uploaded' })
    expect(fileMapping(back)).toEqual(config.files[0])
    expect(back.columns[2]).toEqual({ role: 'property', name: 'since', type: 'INT32', optional: true })
    expect(() => parseConfig('{"schema":[]}')).toThrow('"files" is missing or not an array')
    expect(() => parseConfig('{"files":[{"path":"a.csv"}]}')).toThrow('files[0] needs "path", "label" and "columns"')
    expect(() => parseConfig('nope')).toThrow(/^not JSON/)
  })

  it('keeps a file’s encoding other than UTF-8 in its mapping, and reads it back from a config', () => {
    const gbk = { ...edge, newLabel: false, encoding: 'gbk' as const }
    const m = fileMapping(gbk)
    expect(m.encoding).toBe('gbk')
    expect(fileMapping({ ...gbk, encoding: 'utf-8' })).not.toHaveProperty('encoding') // the default, as TuGraph's configs have it
    expect(draftFromMapping(m, KNOWS, { path: 'knows.csv', bytes: 5, state: 'uploaded' }).encoding).toBe('gbk')
    expect(draftFromMapping({ ...m, encoding: 'ebcdic' }, KNOWS, { path: 'knows.csv', bytes: 5, state: 'uploaded' }).encoding).toBe('utf-8')
  })

  it('marks an encoding the preview guessed (not chosen) so the report can say which, and keeps the mark through a config', () => {
    const guessed = { ...edge, newLabel: false, encoding: 'gbk' as const }
    const m = fileMapping(guessed)
    expect(m).toMatchObject({ encoding: 'gbk', encodingGuessed: true })
    expect(fileMapping({ ...guessed, encodingByHand: true })).not.toHaveProperty('encodingGuessed')
    expect(fileMapping({ ...guessed, encoding: 'utf-8' })).not.toHaveProperty('encodingGuessed')
    const file = { path: 'knows.csv', bytes: 5, state: 'uploaded' as const }
    expect(draftFromMapping(m, KNOWS, file)).toMatchObject({ encoding: 'gbk', encodingByHand: false })
    expect(draftFromMapping({ ...m, encodingGuessed: undefined }, KNOWS, file)).toMatchObject({ encoding: 'gbk', encodingByHand: true })
  })

  it('finds a config’s files among those dropped with it, then those uploaded before, by path or base name', () => {
    const dropped = new Map([['persons.csv', 37]])
    const uploads = [{ path: 'old/knows.csv', bytes: 41, modifiedAt: 0 }]
    expect(locateFile('/data/persons.csv', dropped, uploads)).toEqual({ path: 'persons.csv', bytes: 37, state: 'uploading' })
    expect(locateFile('data/knows.csv', dropped, uploads)).toEqual({ path: 'old/knows.csv', bytes: 41, state: 'uploaded' })
    expect(locateFile('data/cities.csv', dropped, uploads)).toEqual({ path: 'data/cities.csv', bytes: 0, state: 'missing' })
  })
})

describe('header lines typed in the form', () => {
  it('takes a whole number from 0 to 1000, and names the rule for anything else', () => {
    for (const ok of ['0', '1', ' 12 ', '1000']) expect(headerLinesProblem(ok), ok).toBeNull()
    for (const bad of ['-3', '99999999999', '1001', '1.5', '', 'abc', '1e3']) expect(headerLinesProblem(bad), bad).toBe('Header lines must be a whole number from 0 to 1000.')
  })
})

// #9: a loaded config's Windows path was shown JSON-quoted, every backslash doubled ("C:\\x")
describe('a config path no upload can have', () => {
  it('is quoted as the user typed it, a Windows path with single backslashes', () => {
    expect(uploadPathProblem('C:\\x')).toBe('path "C:\\x" is an absolute path; give a path relative to your upload folder')
    expect(uploadPathProblem('..\\..\\win.ini')).toBe('path "..\\..\\win.ini" leaves your upload folder ("..")')
    expect(uploadPathProblem('/tmp/a\nb')).toBe('path "/tmp/a\\u000ab" is an absolute path; give a path relative to your upload folder')
  })

  // uifix: `file:///etc/shadow` + U+202E was said as "file:/etc/shadow\u202e.csv", its slashes collapsed
  it('keeps the path as the config gives it, so its row and the import say what the user wrote', () => {
    for (const given of ['file:///etc/shadow\u202e.csv', 'a//../../x.csv', 'C:\\data\\\\x.csv']) {
      const found = locateFile(given, new Map(), [])
      expect(found).toEqual({ path: given, bytes: 0, state: 'missing' })
    }
    expect(uploadPathProblem(locateFile('file:///etc/shadow\u202e.csv', new Map(), []).path)).toBe(
      'path "file:///etc/shadow\\u202e.csv" is a URL (file:); give a path relative to your upload folder',
    )
  })
})

// #9: a dropped .json is judged as Load config… judges it: one rule for both
describe('what a .json file is', () => {
  it('is a config, data (a JSON array, JSON lines) or a config that cannot be read, said with its name', () => {
    expect(jsonFileKind('c.json', JSON.stringify({ schema: [], files: [{ path: 'a.csv', label: 'a', columns: ['id'] }] }))).toEqual({ kind: 'config' })
    expect(jsonFileKind('d.json', '["a",1]')).toEqual({ kind: 'data' })
    expect(jsonFileKind('d.json', '{"a":1}\n{"a":2}\n')).toEqual({ kind: 'data' })
    expect(jsonFileKind('b.json', '{"schema": [')).toEqual({ kind: 'broken', problem: expect.stringMatching(/^"b\.json" is not valid JSON: .*\(line 1, column 13\)$/) })
    expect(jsonFileKind('o.json', '{"schema": []}')).toEqual({ kind: 'broken', problem: '"o.json" is not an import config: "files" is missing or not an array' })
    expect(jsonFileKind('f.json', '{"files": [{"path": "a.csv"}]}')).toEqual({ kind: 'broken', problem: '"f.json" is not an import config: files[0] needs "path", "label" and "columns"' })
    // uifix: a name was put in the sentence raw, so its U+202E reversed the rest of the banner
    expect(jsonFileKind('weird"\\name\u202e\u200b.json', '{"id":3}')).toEqual({
      kind: 'broken',
      problem: '"weird\\"\\name\\u202e⟨U+200B⟩.json" is not an import config: "files" is missing or not an array',
    })
  })
})
