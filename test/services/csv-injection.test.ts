// CSV injection (#9, #13.5): every CSV the product writes for a spreadsheet keeps text that would run as a
// formula inert with a leading ', as OWASP recommends, and leaves numbers as numbers.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { writeExport, type Sink } from '../../electron/services/export/write-file'
import type { ExportOptions } from '../../electron/services/export/format'
import type { ResultSetMeta } from '../../electron/store/result.repository'
import { resultCsv } from '../../renderer/src/features/graph/cypher-result'
import { neutralizeCells, neutralizeFormula } from '../../shared/csv-injection'

const hostile = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', `=HYPERLINK("http://x","y")`]

describe('neutralizeFormula', () => {
  it('prefixes a quote to text starting with = + - @ tab or CR; leaves other text and plain numbers', () => {
    expect(hostile.map(neutralizeFormula)).toEqual(hostile.map((t) => `'${t}`))
    for (const keep of ['a=1', 'x', '', ' =1', '-5', '+1.5e3', '-.5', "'=1"]) expect(neutralizeFormula(keep)).toBe(keep)
  })
})

const csvOptions: ExportOptions = { format: 'csv', separator: ',', quoteAll: false, keepNewline: false, lineEnd: '\n', charset: 'utf-8', textAsLines: true, nullValue: 'NULL', maxRows: 100, maxBytes: 1 << 20, columns: [0, 1] }

async function exportCsv(set: Omit<ResultSetMeta, 'id' | 'jobId' | 'taskId' | 'index' | 'state'>, rows: unknown[][], options = csvOptions): Promise<string> {
  const sink = Object.assign(new PassThrough(), { ready: async () => {} }) as unknown as Sink
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  await writeExport({ set: { id: 1, jobId: 1, taskId: null, index: 0, state: 'complete', ...set }, options, notes: [] }, sink, (offset, limit) => rows.slice(offset, offset + limit))
  return Buffer.concat(chunks).toString('utf8')
}

describe('the result-set CSV writer (native, Linkis and Scripts page exports)', () => {
  it('neutralises text cells and column names, quotes as RFC 4180 after, and keeps numbers (-5) as they are', async () => {
    const columns = [
      { name: '=title', type: 'STRING' },
      { name: 'n', type: 'INT64' },
    ] as ResultSetMeta['columns']
    const rows = [...hostile.map((t, i) => [t, -i - 1]), ['-5', -5], ['plain', 2.5]]
    const csv = await exportCsv({ kind: 'table', columns, rowCount: rows.length }, rows)
    expect(csv.split('\n')).toEqual([
      "'=title,n",
      "'=1+1,-1",
      "'+SUM(A1),-2",
      "'-2+3,-3",
      "'@cmd,-4",
      "\"'\tx\",-5", // a tab is a list separator: quoted
      `"'\rx",-6`,
      `"'=HYPERLINK(""http://x"",""y"")",-7`,
      '-5,-5',
      'plain,2.5',
      '',
    ])
  })

  it('neutralises the lines of a text result set too (a .csv opens in a spreadsheet either way)', async () => {
    const csv = await exportCsv({ kind: 'text', columns: [{ name: 'line', type: 'STRING' }] as ResultSetMeta['columns'], rowCount: 2 }, [['=1+1'], ['ok']], { ...csvOptions, columns: [0] })
    expect(csv).toBe("'=1+1\nok\n")
  })

  it('neutralises a text line after every list separator too: the line is written unquoted, and a spreadsheet may split it on ; , or tab', async () => {
    const lines = [["Oslo;=cmd|' /C calc'!A0"], ['a,+1+2\t@x;-5']]
    const csv = await exportCsv({ kind: 'text', columns: [{ name: 'line', type: 'STRING' }] as ResultSetMeta['columns'], rowCount: 2 }, lines, { ...csvOptions, columns: [0] })
    expect(csv).toBe("Oslo;'=cmd|' /C calc'!A0\na,'+1+2\t'@x;-5\n")
  })
})

describe('neutralizeCells', () => {
  it('puts a quote at the start and after each ; , tab or line end that a formula character follows, not before a plain number', () => {
    expect(neutralizeCells('=a;=b,+c\t@d\n-e\r=f')).toBe("'=a;'=b,'+c\t'@d\n'-e\r'=f")
    expect(neutralizeCells('\t\t=x')).toBe("'\t'\t'=x") // a tab both separates and starts a formula
    for (const keep of ['a;-5', '1,+2', 'x = y; z', '']) expect(neutralizeCells(keep)).toBe(keep)
  })

  it('judges a cell that starts with a quote by what a spreadsheet reads inside it, and puts the quote inside (atk23)', () => {
    const cases: [string, string][] = [
      ['a;"=cmd"', `a;"'=cmd"`],
      [' "=cmd"', ` "'=cmd"`], // spaces before the quote: some spreadsheets still unquote
      ['""=cmd', `"'"=cmd`], // an empty quoted field, then the formula as it is
      ['"\t=x"', `"'\t'=x"`], // a tab right after the quote starts the cell
      ['"\r=x"', `"'\r'=x"`],
      ['""\t=x', `"'"\t'=x`], // empty quotes, then a tab: read on ',' the cell is "\t=x"
      ['"-5"=x', `"'-5"=x`], // the cell is -5=x, no plain number
    ]
    for (const [line, written] of cases) expect(neutralizeCells(line), JSON.stringify(line)).toBe(written)
    // a doubled quote first makes the cell start with ", no formula; a quoted plain number stays a number
    for (const keep of ['"""=x"', '"-5"', 'a; "+1"', '"ok",x', '"']) expect(neutralizeCells(keep), keep).toBe(keep)
  })
})

describe("the Graph page's table CSV", () => {
  it('neutralises text cells and names, not numbers', () => {
    const csv = resultCsv({ header: [{ name: '@n', type: 0 }, { name: 'v', type: 0 }], rows: [['=1+1', -5], ['-x', 3]] })
    expect(csv).toBe("'@n,v\r\n'=1+1,-5\r\n'-x,3\r\n")
  })

  it('quotes a value holding any list separator (; or tab) though it writes with ,', () => {
    const csv = resultCsv({ header: [{ name: 'v', type: 0 }], rows: [['a;=b'], ['c\t=d'], [' e']] })
    expect(csv).toBe('v\r\n"a;=b"\r\n"c\t=d"\r\n" e"\r\n')
  })
})
