// The Imports page's preview (#11.5): the head of a file split by the import's own parsers, the
// delimiter found, column names from the header and a type suggested per column.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PREVIEW_CELL_CHARS, PREVIEW_ROW_CHARS, previewBytes, previewFile, PREVIEW_BYTES, sniffDelimiter } from '../../electron/graph/inspect/file-preview'
import { propertyName, suggestType } from '../../electron/graph/inspect/suggest-type'
import { tempDir } from '../support/temp-store'

const preview = (text: string | Buffer, o: { format?: 'CSV' | 'JSON'; delimiter?: string; header?: number | null } = {}) => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  return previewBytes(bytes, bytes.length, { path: 'f.csv', format: o.format ?? 'CSV', delimiter: o.delimiter, header: o.header === null ? undefined : (o.header ?? 0), rows: 20 })
}

describe('type suggestions', () => {
  it('picks the narrowest type every value imports as', () => {
    expect(suggestType(['1', '-20', '9007199254740993'])).toBe('INT64')
    expect(suggestType(['1', '2.5', '1e3'])).toBe('DOUBLE')
    expect(suggestType(['true', 'FALSE', null])).toBe('BOOL')
    expect(suggestType(['0', '1'])).toBe('INT64') // integers are not taken for booleans
    expect(suggestType(['2024-02-29', '1999-12-31'])).toBe('DATE')
    expect(suggestType(['2024-02-29 10:00:00', '2024-03-01 00:00:00.123456'])).toBe('DATETIME')
    expect(suggestType(['2024-02-30'])).toBe('STRING') // not a day in the calendar
    expect(suggestType(['2024-01-01T10:00:00'])).toBe('STRING') // TuGraph refuses ISO "T" (issue #16)
    expect(suggestType(['.5'])).toBe('STRING') // TuGraph wants a leading digit
    expect(suggestType([null, null])).toBe('STRING')
    expect(suggestType([1, 2], true)).toBe('INT64')
    expect(suggestType([1, 2.5], true)).toBe('DOUBLE')
    expect(suggestType([true, false], true)).toBe('BOOL')
    expect(suggestType(['12', 3], true)).toBe('INT64') // JSON lines may give numbers as strings
  })

  it('makes header fields valid property names', () => {
    expect(propertyName(' movie title ', 0)).toBe('movie_title')
    expect(propertyName('2nd', 1)).toBe('c_2nd')
    expect(propertyName('', 2)).toBe('column_3')
    expect(propertyName('SRC_ID', 0)).toBe('column_1')
    expect(propertyName('名字', 0)).toBe('名字')
  })
})

describe('preview', () => {
  it('finds the delimiter, names columns from the header and marks lines that cannot be read', () => {
    expect(sniffDelimiter(['a;b;"c;d"', '1;2;3'])).toBe(';')
    expect(sniffDelimiter(['a\tb\tc,d', '1\t2\t3,4'])).toBe('\t')
    expect(sniffDelimiter(['one column only'])).toBe(',')
    const p = preview('\uFEFFid;name;name\r\n1;"Ann; Jr";x\r\n\r\n2;"broken\r\n3;Cid;\r\n')
    expect(p.delimiter).toBe(';')
    expect(p.notes).toContain('a UTF-8 byte-order mark at the start of the file is ignored')
    // header 0: the first line is data, and its texts are not names
    expect(p.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3'])
    const h = preview('id;name;name\n1;"Ann; Jr";x\n2;"broken\n3;Cid;\n', { header: 1 })
    expect(h.headerFields).toEqual(['id', 'name', 'name'])
    expect(h.columns.map((c) => [c.name, c.type, c.hasEmpty])).toEqual([
      ['id', 'INT64', false],
      ['name', 'STRING', false],
      ['name_2', 'STRING', true],
    ])
    expect(h.rows).toEqual([
      { line: 2, fields: ['1', 'Ann; Jr', 'x'] },
      { line: 3, fields: null, error: expect.stringMatching(/^Unclosed quote/) },
      { line: 4, fields: ['3', 'Cid', null] },
    ])
    expect(h.notes).toContain('1 of the first 3 data lines cannot be read (see the rows marked)')
  })

  it('takes a first line of names over typed data for a header, and all-text files for data', () => {
    expect(preview('id,name,age\n1,Ann,31\n2,Bob,\n', { header: null })).toMatchObject({ header: 1, headerFields: ['id', 'name', 'age'] })
    expect(preview('src|dst\n1|2\n', { header: null })).toMatchObject({ header: 1, delimiter: '|' })
    expect(preview('1,Ann\n2,Bob\n', { header: null }).header).toBe(0)
    expect(preview('Ann,Smith\nBob,Jones\n', { header: null }).header).toBe(0)
    expect(preview('1.5,2\n2,3\n', { header: null }).header).toBe(0) // an integer in a DOUBLE column is data
  })

  it('reads JSON lines as arrays and names invalid UTF-8 by line', () => {
    const j = preview('["a",1,null,true]\n{"x":1}\n["b",2.5,"2020-01-01",false]\n', { format: 'JSON' })
    expect(j.columns.map((c) => c.type)).toEqual(['STRING', 'DOUBLE', 'DATE', 'BOOL'])
    expect(j.rows[0]).toEqual({ line: 1, fields: ['a', '1', null, 'true'] })
    expect(j.rows[1]).toMatchObject({ line: 2, fields: null, error: 'json reading failed, error msg : the line is not a JSON array' })
    const bad = preview(Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]))
    expect(bad.rows[1]).toMatchObject({ line: 2, fields: null, error: expect.stringContaining('not valid UTF-8') })
  })

  it('reads only the head of a large file', () => {
    const dir = tempDir()
    const file = join(dir, 'big.csv')
    const line = 'id,name\n' + '12345,abcdefghij\n'.repeat(200_000) // ~3.4 MB
    writeFileSync(file, line)
    const p = previewFile(file, { path: 'big.csv', format: 'CSV', header: 1, rows: 5 })
    expect(p.complete).toBe(false)
    expect(p.bytes).toBe(Buffer.byteLength(line))
    expect(p.rows).toHaveLength(5)
    expect(p.sampledLines).toBeLessThanOrEqual(Math.ceil(PREVIEW_BYTES / 17))
    expect(p.columns.map((c) => c.type)).toEqual(['INT64', 'STRING'])
  })

  it('bounds its answer: 1,026 columns with the line named, cells cut, rows up to a budget; names unique in order', () => {
    const wide = preview(`${Array.from({ length: 400_000 }, (_, i) => i % 10).join(',')}\n`)
    expect(wide.columns).toHaveLength(1026)
    expect(wide.rows[0].fields).toHaveLength(1026)
    expect(wide.notes).toContain('line 1 has 400000 fields: the preview shows the first 1026, as many as a mapping takes')
    expect(JSON.stringify(wide).length).toBeLessThan(300_000) // was 34.6 MB

    const names = preview('a,a,a_2,a,,x\n1,2,3,4,5,6\n', { header: 1 })
    expect(names.columns.map((c) => c.name)).toEqual(['a', 'a_2', 'a_2_2', 'a_3', 'column_5', 'x'])

    const long = 'x'.repeat(5000)
    const cells = preview(Array.from({ length: 200 }, () => `${long},${long}`).join('\n') + '\n')
    expect(cells.rows[0].fields).toEqual([`${'x'.repeat(PREVIEW_CELL_CHARS)}…`, `${'x'.repeat(PREVIEW_CELL_CHARS)}…`])
    expect(cells.notes).toContain(`cells longer than ${PREVIEW_CELL_CHARS} characters are shown cut, ending in …`)
    expect(cells.rows).toHaveLength(20) // 20 rows of 400 characters: within the budget

    const many = previewBytes(Buffer.from(`${Array.from({ length: 1024 }, () => 'y'.repeat(300)).join(',')}\n`.repeat(3)), 1, { path: 'f.csv', format: 'CSV', header: 0, rows: 3 })
    expect(many.rows.map((r) => r.line)).toEqual([1, 2]) // 204,800 characters a row: the second passes the budget
    expect(many.notes).toContain(`the rows shown stop before line 3: they hold ${PREVIEW_ROW_CHARS} characters`)
  })

  it('refuses a JSON line nested deeper than 100 levels as a bad line, by number', () => {
    const deep = preview(`[1, ${'['.repeat(400_000)}${']'.repeat(400_000)}]\n[2, "bo"]\n`, { format: 'JSON' })
    expect(deep.rows[0]).toEqual({ line: 1, fields: null, error: 'json parsing failed, error msg : the line nests deeper than 100 levels' })
    expect(deep.rows[1]).toEqual({ line: 2, fields: ['2', 'bo'] })
  })
})
