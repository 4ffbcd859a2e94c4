// Imports read plain CSV lines in place (fields found in the bytes, integers parsed from them) and
// send every other line the general way (csv-parse, rows.ts). Both must read every line alike:
// the same rows, values, failed lines and reasons, whatever the line holds.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FileMapping } from '../../shared/graph'
import { CsvFieldSplitter } from '../../electron/graph/import/csv-fields'
import { packageText } from '../../electron/graph/import/lines'
import { planFile } from '../../electron/graph/import/mapping'
import { parseBlock } from '../../electron/graph/import/row-block'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'
import { tempGraph } from './support'

let dir = ''
let g: GraphDb | undefined
afterEach(() => {
  g?.close()
  g = undefined
  rmSync(dir, { recursive: true, force: true })
})

const SCHEMA = {
  schema: [
    {
      label: 'v',
      type: 'VERTEX',
      primary: 'id',
      properties: [
        { name: 'id', type: 'INT64' },
        { name: 'name', type: 'STRING' },
        { name: 'small', type: 'INT8', optional: true },
        { name: 'n', type: 'INT32', optional: true },
        { name: 'x', type: 'DOUBLE', optional: true },
        { name: 'ok', type: 'BOOL', optional: true },
        { name: 'day', type: 'DATE', optional: true },
      ],
    },
    { label: 'e', type: 'EDGE', properties: [{ name: 'w', type: 'INT32', optional: true }] },
  ],
}

/** Both ways over the same lines: rows (as objects) and failures must be equal. */
function bothWays(mapping: FileMapping, delimiter: string, content: Buffer | string) {
  dir = tempDir()
  g ??= tempGraph(dir, SCHEMA)
  const plan = planFile(g, mapping, '/nonexistent')
  const pkg = packageText(Buffer.from(content), true)
  const read = (fast: boolean) => {
    const failures: string[] = []
    const { block, dataLines, blankLines } = parseBlock(plan, new CsvFieldSplitter(delimiter), pkg, 0, pkg.count, 1, (line, text, reason) => void failures.push(`${line} ${JSON.stringify(text)}: ${reason}`), () => undefined, { fast })
    const rows = Array.from({ length: block.count }, (_, r) => block.row(r, plan, pkg, 1))
    return { rows, failures, dataLines, blankLines }
  }
  const fast = read(true)
  expect(fast).toEqual(read(false))
  return fast
}

const vertexMapping: FileMapping = { path: 'v.csv', format: 'CSV', label: 'v', columns: ['id', 'name', 'small', 'n', 'x', 'ok', 'day'] }

describe('the in-place reading of plain lines', () => {
  it('reads what the general way reads, line for line, including every way a line goes wrong', () => {
    const lines = [
      '1,alice,1,2,3.5,true,2020-01-02',
      '2, bob ,\t-128 , +7 ,1e3,0,2020-02-29', // spaces and tabs around fields, signs
      '3,\u00a0carol\u3000,\u00a012\u00a0,,,,', // Unicode spaces are trimmed too
      '4,"quoted, with delimiter",5,,,,',
      '5,"a ""quote""",,,,,',
      '6,,1,,,,', // an empty required name
      '7,x,128,,,,', // INT8 out of range
      '8,x,1,2147483648,,,', // INT32 out of range
      '9999999999999999,x,,,,,', // 16 digits: textToStored decides
      '-0,zero,,,,,',
      '007,padded,,,,,',
      '10,x,,,,,,', // one field too many
      '11,x,,,,', // one field too few
      '12,x,1a,,,,',
      '13,名字,,,,,', // non-ASCII text
      '14,x,,,nan,,',
      '15,x,,,,maybe,',
      '16,x,,,,,2021-02-29',
      '17,"unclosed,,,,,,',
      '18,x,,,,,"2020-01-01"',
      '',
      '   ',
      '\u3000',
      '19,tail,,,,,\r',
      '20,a"b,,,,,',
      '+,x,,,,,',
      '21,x,,,  ,,',
      '22,  dave\t,1,,,,', // spaces around text only
    ]
    const r = bothWays(vertexMapping, ',', lines.join('\n') + '\n')
    expect(r.blankLines).toBe(3)
    expect(r.rows.map((row) => row.values[0])).toContain(0) // -0 read as Number('-0')
    expect(r.rows.find((row) => row.values[0] === 2)!.values).toEqual([2, 'bob', -128, 7, 1000, 0, '2020-02-29'])
    expect(r.rows.find((row) => row.values[0] === 3)!.values.slice(0, 3)).toEqual([3, 'carol', 12])
    expect(r.rows.find((row) => row.values[0] === 22)!.values[1]).toBe('dave')
    expect(r.failures.length).toBeGreaterThan(8)
  })

  it('counts columns from 1 and names the field each maps to, as the Imports page labels them (newuser8)', () => {
    const r = bothWays(vertexMapping, ',', ['6,,1,,,,', '7,x,128,,,,', '10,x,,,,,,', '11,x,,,,', '17,"unclosed,,,,,,', '18,x,1,2,3,4x,'].join('\n') + '\n')
    // was 0-based, as TuGraph counts: "column 2" for the third column, the Imports page's "column 3"
    expect(r.failures.map((f) => f.replace(/^\d+ "[^"]*(?:"[^"]*)?": /, ''))).toEqual([
      'Failed to parse column 2 [name] into type STRING: the value is empty and field [name] is not optional',
      expect.stringMatching(/^Failed to parse column 3 \[small\] into type INT8: /),
      'Failed to parse column 7 [day] into type DATE: there is more content than we expect',
      'Missing delimiter after column 6',
      'Unclosed quote in column 2: a quoted field must end with a quote on the same line',
      expect.stringMatching(/^Failed to parse column 6 \[ok\] into type BOOL: /),
    ])
  })

  it('reads alike with multi-character and non-ASCII delimiters, SKIP columns and CRLF', () => {
    const mapping: FileMapping = { path: 'v.csv', format: 'CSV', label: 'v', columns: ['id', 'SKIP', 'name'] }
    bothWays(mapping, '||', '1||skip||a\r\n2||x||b|c\r\n3|||x||d\r\n4||"q||r"||e\r\n5||x\r\n')
    bothWays(mapping, 'aa', '1aaaxaab\n2aaaaaac\n3aaa\n')
    bothWays(mapping, '，', '1，跳过，名\n2，x\n3，x，y，z\n')
  })

  it('reads edge endpoints alike and names invalid UTF-8 lines', () => {
    const mapping: FileMapping = { path: 'e.csv', format: 'CSV', label: 'e', SRC_ID: 'v', DST_ID: 'v', columns: ['SRC_ID', 'DST_ID', 'w'] }
    const bad = Buffer.from([0x31, 0x2c, 0xff, 0x2c, 0x31, 0x0a])
    const r = bothWays(mapping, ',', Buffer.concat([Buffer.from('1,2,3\n 4 , 5 ,\n,6,7\n'), bad, Buffer.from('8,9,10\n')]))
    expect(r.rows.map((row) => [row.src, row.dst, row.values[0]])).toEqual([
      [1, 2, 3],
      [4, 5, null],
      [8, 9, 10],
    ])
    expect(r.failures).toEqual([
      '3 ",6,7": Failed to parse column 1 [SRC_ID] into type INT64: the value is empty and SRC_ID is required',
      '4 "1,\uFFFD,1": the line is not valid UTF-8 (from byte 3 of the line)',
    ])
  })
})
