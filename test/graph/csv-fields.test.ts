// CSV lines into fields with TuGraph's rules (reference/tugraph.md §2.2): quotes, "" escapes,
// trimming, multi-character delimiters, empty = null, one record per line.
import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { CsvFieldSplitter } from '../../electron/graph/import/csv-fields'

const split = (lines: string[], delimiter = ',') => new CsvFieldSplitter(delimiter).splitAll(lines)

describe('CSV fields', () => {
  it('unquotes "" escapes, keeps delimiters inside quotes and trims spaces and tabs', () => {
    expect(split(['1, "a, ""b""" ,\t3 ', '"x"'])).toEqual([['1', 'a, "b"', '3'], ['x']])
  })

  it('tells an empty field (null) from a quoted empty string', () => {
    expect(split(['1,,3', '1,"",3', '"a",,""', ',', '  '])).toEqual([['1', null, '3'], ['1', '', '3'], ['a', null, ''], [null, null], [null]])
  })

  it('splits on multi-character delimiters used literally', () => {
    expect(split(['1||Ann||30', '2||"B||ob"||', '3|4||x'], '||')).toEqual([['1', 'Ann', '30'], ['2', 'B||ob', null], ['3|4', 'x']])
    expect(split(['a\\tb'], '\\t')).toEqual([['a', 'b']])
  })

  it('keeps a quote inside an unquoted field as text', () => {
    expect(split(['1,5" disk,3'])).toEqual([['1', '5" disk', '3']])
  })

  it('fails only the line with an unclosed quote, naming the column, and keeps its neighbours', () => {
    expect(split(['1,"ok",2', '2,"broken,3', '3,"fine",4', '4,"x"y,5'])).toEqual([
      ['1', 'ok', '2'],
      'Unclosed quote in column 2: a quoted field must end with a quote on the same line',
      ['3', 'fine', '4'],
      'Missing delimiter after column 2 (text follows its closing quote)',
    ])
  })

  it('gives exactly what csv-parse gives for lines without quotes (the fast path)', () => {
    const pieces = ['', ' ', 'a', ' b ', '\tc', 'd e', 'ü', '12', '  x  y ', '\u00a0z\u00a0']
    const rng = (n: number) => Math.floor(Math.random() * n)
    for (const delimiter of [',', '||', ';', '::']) {
      const lines = Array.from({ length: 300 }, () => Array.from({ length: 1 + rng(5) }, () => pieces[rng(pieces.length)]).join(delimiter)).filter((l) => l.trim() !== '')
      const ours = new CsvFieldSplitter(delimiter).splitAll(lines)
      const theirs = lines.map(
        (l) => (parse(l, { delimiter, trim: true, relax_column_count: true, record_delimiter: '\n', cast: (v: string, c: { quoting: boolean }) => (c.quoting || v !== '' ? v : null) }) as unknown[][])[0],
      )
      expect(ours).toEqual(theirs)
    }
  })
})
