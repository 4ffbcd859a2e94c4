// The byte cap of an export (#9 §2): wide rows make a file huge well under its row cap, so a file
// stops at whole rows before ExportOptions.maxBytes, reports the rows it holds, and an xlsx says why
// in its notes sheet.
import ExcelJS from 'exceljs'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { writeExport, type ExportOutcome, type Sink } from '../../electron/services/export/write-file'
import { XLSX_CELL_OVERHEAD, type ExportOptions } from '../../electron/services/export/format'
import type { ResultSetMeta } from '../../electron/store/result.repository'

const COLUMNS = 50
const set: ResultSetMeta = {
  id: 1,
  jobId: 1,
  taskId: null,
  index: 0,
  kind: 'table',
  columns: Array.from({ length: COLUMNS }, (_, c) => ({ name: `c${c}`, type: 'TEXT' })),
  rowCount: 100,
  state: 'complete',
}
const rows = Array.from({ length: 100 }, (_, r) => Array.from({ length: COLUMNS }, (_, c) => `r${r}c${c}`.padEnd(20, '.')))
const common = { nullValue: '', maxRows: 1000, columns: set.columns.map((_, i) => i) }

async function write(options: ExportOptions): Promise<{ file: Buffer; outcome: ExportOutcome }> {
  const sink = Object.assign(new PassThrough(), { ready: async () => {} }) as unknown as Sink
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  const outcome = await writeExport({ set, options, notes: [] }, sink, (offset, limit) => rows.slice(offset, offset + limit))
  return { file: Buffer.concat(chunks), outcome }
}

describe('the export byte cap', () => {
  const csv = { format: 'csv', separator: ',', quoteAll: false, keepNewline: true, lineEnd: '\n', charset: 'utf-8', textAsLines: false } as const
  const rowBytes = COLUMNS * 21 // 20 characters and a separator or line end each

  it('ends a CSV at the last whole row within the cap and says how many rows it holds', async () => {
    const header = set.columns.map((c) => c.name).join(',').length + 1
    const { file, outcome } = await write({ ...csv, ...common, maxBytes: header + rowBytes * 10 + 5 })
    expect(outcome).toEqual({ rows: 10, bytesCut: true })
    expect(file.length).toBe(header + rowBytes * 10)
    const lines = file.toString('utf8').split('\n')
    expect(lines.length).toBe(12)
    expect(lines[10]).toBe(rows[9].join(','))
  })

  it('writes the whole CSV when it fits', async () => {
    const { file, outcome } = await write({ ...csv, ...common, maxBytes: 1 << 20 })
    expect(outcome).toEqual({ rows: 100, bytesCut: false })
    expect(file.toString('utf8').split('\n').length).toBe(102)
  })

  it('ends an xlsx at the cap on its sheet data and says so in its notes sheet', async () => {
    const perRow = COLUMNS * (20 + XLSX_CELL_OVERHEAD)
    const { file, outcome } = await write({ format: 'xlsx', sheetName: 'wide', autoFormat: true, ...common, maxBytes: perRow * 7 + 1 })
    expect(outcome).toEqual({ rows: 7, bytesCut: true })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(file as never)
    expect(book.getWorksheet('wide')!.rowCount).toBe(8) // the header and 7 rows
    const notes = book.getWorksheet('JobDesk notes')!
    expect(notes.getRow(1).getCell(1).value).toMatch(/^Only the first 7 rows are in this file: an export holds at most [\d.]+ KiB of data\.$/)
  })
})
