// TuGraph's value rules (reference/tugraph.md §2.2) and typed storage of every property type.
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { PropertyType } from '../../shared/graph'
import { jsonToStored, storedToValue, textToStored, valueToStored } from '../../electron/graph/store/values'
import { tempDir } from '../support/temp-store'
import { tempGraph } from './support'

const text = (type: PropertyType, s: string) => storedToValue(type, textToStored(type, s))
const textError = (type: PropertyType, s: string) => {
  try {
    textToStored(type, s)
  } catch (e) {
    return (e as Error).message
  }
  return 'accepted'
}

describe('CSV text values', () => {
  it.each([
    ['INT8', '-128', -128],
    ['INT8', '+127', 127],
    ['INT16', '-32768', -32768],
    ['INT32', '2147483647', 2147483647],
    ['INT64', '-9223372036854775808', -9223372036854775808n],
    ['INT64', '9007199254740991', 9007199254740991],
    ['INT64', '007', 7],
    ['FLOAT', '1.5e2', 150],
    ['FLOAT', '0.1', Math.fround(0.1)],
    ['DOUBLE', '1.', 1],
    ['DOUBLE', '-2.25E-3', -0.00225],
    ['BOOL', 'TRUE', true],
    ['BOOL', 'false', false],
    ['BOOL', '0', false],
    ['BOOL', '-3', true],
    ['DATE', '2022-06-17', '2022-06-17'],
    ['DATE', '2024-02-29', '2024-02-29'],
    ['DATETIME', '2022-06-17 13:56:07', '2022-06-17 13:56:07'],
    ['DATETIME', '2022-06-17 13:56:07.123456', '2022-06-17 13:56:07.123456'],
    ['DATETIME', '0000-01-01 00:00:00.000000', '0000-01-01 00:00:00'],
    ['STRING', 'a, "b"', 'a, "b"'],
    ['FLOAT_VECTOR', '1.0,2.5,3', [1, 2.5, 3]],
  ] as [PropertyType, string, unknown][])('%s %s', (type, s, value) => {
    expect(text(type, s)).toEqual(value)
  })

  it('decodes BLOB from base64', () => {
    expect(Buffer.from(textToStored('BLOB', 'aGVsbG8=') as Uint8Array).toString()).toBe('hello')
  })

  it.each([
    ['INT8', '128', '128 is out of range [-128, 127]'],
    ['INT16', '-32769', '-32769 is out of range [-32768, 32767]'],
    ['INT32', '1.0', 'the error item is "1.0"'],
    ['INT64', '9223372036854775808', '9223372036854775808 is out of range [-9223372036854775808, 9223372036854775807]'],
    ['INT64', '12abc', 'the error item is "12abc"'],
    ['INT64', 'x', 'the error item is "x"'],
    ['DOUBLE', '.5', 'the error item is ".5"'],
    ['DOUBLE', 'NaN', 'the error item is "NaN"'],
    ['FLOAT', '1e39', '1e39 is out of range for FLOAT'],
    ['BOOL', 'yes', 'the error item is "yes"'],
    ['DATE', '2022-6-17', 'the error item is "2022-6-17" (a DATE is YYYY-MM-DD)'],
    ['DATE', '2023-02-29', '"2023-02-29" is not a date in the calendar'],
    ['DATETIME', '2022-06-17T13:56:07', 'the error item is "2022-06-17T13:56:07" (a DATETIME is YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff)'],
    ['DATETIME', '2022-06-17 13:56:07.123', 'the error item is "2022-06-17 13:56:07.123" (a DATETIME is YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff)'],
    ['DATETIME', '2022-06-17 13:56:07+08:00', 'the error item is "2022-06-17 13:56:07+08:00" (a DATETIME is YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff)'],
    ['DATETIME', '2022-06-17 24:00:00', '"2022-06-17 24:00:00" is not a time of day'],
    ['BLOB', 'not base64!', 'Value is not a valid BASE64 string: not base64!'],
    ['FLOAT_VECTOR', '1.0', 'This is not a float vector string'],
    ['FLOAT_VECTOR', '-1.0,2.0', 'This is not a float vector string'],
    ['FLOAT_VECTOR', '1.0,,2.0', 'This is not a float vector string'],
    ['POINT', 'POINT(1 2)', 'do not support spatial now!'],
    ['LINESTRING', 'x', 'do not support spatial now!'],
    ['POLYGON', 'x', 'do not support spatial now!'],
  ] as [PropertyType, string, string][])('refuses %s %s', (type, s, message) => {
    expect(textError(type, s)).toBe(message)
  })

  // #9 §2: a reason is kept per failed line; a 500,000-digit key in each made a 50 MB report.
  it.each([
    ['INT64', '9'.repeat(500_000), 'is out of range [-9223372036854775808, 9223372036854775807]'],
    ['INT32', '9'.repeat(500_000), 'is out of range [-2147483648, 2147483647]'],
    ['FLOAT', `1${'0'.repeat(499_999)}`, 'is out of range for FLOAT'],
    ['INT64', `1${'x'.repeat(499_999)}`, ''],
    ['BLOB', '!'.repeat(500_000), ''],
  ] as [PropertyType, string, string][])('quotes 64 characters of a long %s value and its length', (type, s, rest) => {
    const message = textError(type, s)
    expect(message.length).toBeLessThan(200)
    expect(message).toContain(`${s.slice(0, 64)}… (500000 characters)`)
    expect(message).toContain(rest)
  })

  it('quotes 64 characters of a long JSON value and of a long spatial value', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => i)
    const shown = JSON.stringify(big)
    expect(() => jsonToStored('INT64', big)).toThrow(`${shown.slice(0, 64)}… (${shown.length} characters) is not a number`)
    expect(() => valueToStored('POINT', 'x'.repeat(100_000))).toThrow(`"${'x'.repeat(63)}… (100002 characters) is not a POINT in WKT or EWKB hex`)
  })
})

describe('JSON-lines values', () => {
  it('takes numbers as numbers or strings, text types only as strings, BLOB raw', () => {
    expect(jsonToStored('INT32', 1999)).toBe(1999)
    expect(jsonToStored('INT32', '1999')).toBe(1999)
    expect(jsonToStored('DOUBLE', 7.3)).toBe(7.3)
    expect(jsonToStored('BOOL', true)).toBe(1)
    expect(Buffer.from(jsonToStored('BLOB', 'aGVsbG8=') as Uint8Array).toString()).toBe('aGVsbG8=')
    expect(() => jsonToStored('STRING', 5)).toThrow('5 is not a string')
    expect(() => jsonToStored('DATE', 20220617)).toThrow('20220617 is not a string')
    expect(() => jsonToStored('INT8', 1.5)).toThrow('1.5 is not an integer')
    expect(() => jsonToStored('INT8', 300)).toThrow('300 is out of range [-128, 127]')
    expect(() => jsonToStored('POINT', 'x')).toThrow('do not support spatial type now!')
    expect(() => jsonToStored('FLOAT_VECTOR', [1, 2])).toThrow('do not support FLOAT_VECTOR type now!')
  })
})

describe('typed columns', () => {
  it('stores every type in its own typed column and reads it back', () => {
    const dir = tempDir()
    const props: [PropertyType, unknown][] = [
      ['BOOL', true],
      ['INT8', -5],
      ['INT16', 300],
      ['INT32', 70000],
      ['INT64', 9223372036854775807n],
      ['FLOAT', Math.fround(1.1)],
      ['DOUBLE', 1.1],
      ['DATE', '2020-01-02'],
      ['DATETIME', '2020-01-02 03:04:05.000006'],
      ['STRING', 'ünïcode'],
      ['BLOB', new Uint8Array([0, 1, 255])],
      ['POINT', 'POINT(1 2)'],
      ['LINESTRING', '0102000000020000000000000000000000000000000000000000000000000000000000F03F000000000000F03F'],
      ['POLYGON', 'POLYGON((0 0,1 0,1 1,0 0))'],
      ['FLOAT_VECTOR', [1, 2, 3.5]],
    ]
    const g = tempGraph(dir, {
      schema: [{ label: 'all', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, ...props.map(([t]) => ({ name: t.toLowerCase(), type: t }))] }],
    })
    try {
      const t = g.vertexTable('all')
      g.write((w) => w.addVertex(t, [1, ...props.map(([type, v]) => valueToStored(type, v))]))
      const read = g.vertex(0)!.properties
      for (const [type, v] of props) {
        const got = read[type.toLowerCase()]
        expect(type === 'BLOB' ? new Uint8Array(got as Buffer) : got, type).toEqual(v)
      }
      const columns = g.db.prepare(`SELECT name, type FROM pragma_table_info('v_${t.label.tbl}')`).all() as { name: string; type: string }[]
      expect(columns.map((c) => c.type)).toEqual([
        ...['vid', 'id', 'BOOL', 'INT8', 'INT16', 'INT32', 'INT64'].map(() => 'INTEGER'),
        ...['REAL', 'REAL', 'TEXT', 'TEXT', 'TEXT', 'BLOB', 'TEXT', 'TEXT', 'TEXT', 'BLOB'],
      ])
      // DATETIME keeps all six fraction digits on disk, so text order is time order
      expect(g.db.prepare(`SELECT p9 FROM v_${t.label.tbl}`).pluck().get()).toBe('2020-01-02 03:04:05.000006')
      expect(() => valueToStored('POINT', 'hello')).toThrow('"hello" is not a POINT in WKT or EWKB hex')
    } finally {
      g.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
