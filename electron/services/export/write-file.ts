// Writes one result set as CSV or .xlsx into a stream, page by page: run inside the export worker
// for big sets, in-process for small ones (in-process-export.ts). `ready()` is where a writer waits for its reader.
import iconv from 'iconv-lite'
import type { Writable } from 'node:stream'
import type { ResultQuery } from '../../store/result-query'
import type { ResultSetMeta } from '../../store/result.repository'
import { neutralizeCells } from '../../../shared/csv-injection'
import { cellText, csvRow, XLSX_CELL_MAX, XLSX_CELL_OVERHEAD, type ExportOptions } from './format'
import { formatCount, formatSize } from '../../../shared/number-format'

export interface ExportJob {
  set: ResultSetMeta
  options: ExportOptions
  /** Lines for the workbook's notes sheet (a partial or cut result set); CSV has no place for them. */
  notes: string[]
  /** The rows as a result table shows them, sorted and filtered ("Export visible rows"); none: all rows in stored order. */
  query?: ResultQuery
}

/** Rows [offset, offset + limit) of the set, or fewer when a page's byte cap ends it (never none before the end). */
export type RowSource = (offset: number, limit: number) => unknown[][]

export type Sink = Writable & { ready(): Promise<void> }

/** What an export wrote: its data rows, and whether the byte cap (ExportOptions.maxBytes) ended it before its last row. */
export interface ExportOutcome {
  rows: number
  bytesCut: boolean
}

const PAGE = 2000

function* pages(set: ResultSetMeta, maxRows: number, rows: RowSource): Generator<unknown[][]> {
  const end = Math.min(set.rowCount, maxRows)
  for (let offset = 0; offset < end; ) {
    const page = rows(offset, Math.min(PAGE, end - offset))
    if (page.length === 0) return
    yield page
    offset += page.length
  }
}

/**
 * A text result set's line as a .csv writes it: unquoted (as Linkis's ScriptFsWriter), so neutralised at
 * its start and after every list separator inside it (neutralizeCells), as the file opens in a spreadsheet too.
 */
const lineText = (v: unknown, nullValue: string): string => (typeof v === 'string' ? neutralizeCells(v) : cellText(v, nullValue))

async function writeCsv(job: ExportJob, sink: Sink, rows: RowSource): Promise<ExportOutcome> {
  const o = job.options
  if (o.format !== 'csv') return { rows: 0, bytesCut: false }
  const encoder = iconv.getEncoder(o.charset)
  const put = async (bytes: Buffer) => {
    if (bytes.length && !sink.write(bytes)) await new Promise((r) => sink.once('drain', r))
  }
  const asLines = o.textAsLines && job.set.kind === 'text'
  const rules = { ...o, nullValue: o.nullValue }
  let written = 0
  let count = 0
  let bytesCut = false
  if (!asLines) {
    const header = encoder.write(csvRow(o.columns.map((i) => job.set.columns[i].name), rules) + o.lineEnd)
    written += header.length
    await put(header)
  }
  for (const page of pages(job.set, o.maxRows, rows)) {
    const parts: Buffer[] = []
    for (const row of page) {
      const bytes = encoder.write((asLines ? lineText(row[0], o.nullValue) : csvRow(o.columns.map((i) => row[i]), rules)) + o.lineEnd)
      if (written + bytes.length > o.maxBytes) {
        bytesCut = true
        break
      }
      written += bytes.length
      parts.push(bytes)
      count++
    }
    await put(Buffer.concat(parts))
    await sink.ready()
    if (bytesCut) break
  }
  const tail = encoder.end()
  if (tail?.length) sink.write(tail)
  return { rows: count, bytesCut }
}

async function writeXlsx(job: ExportJob, sink: Sink, rows: RowSource): Promise<ExportOutcome> {
  const o = job.options
  if (o.format !== 'xlsx') return { rows: 0, bytesCut: false }
  // loaded on the first .xlsx export: importing exceljs costs about 0.7 s of CPU, at every start otherwise
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false })
  const sheet = book.addWorksheet(o.sheetName)
  const header = sheet.addRow(o.columns.map((i) => job.set.columns[i].name))
  header.font = { bold: true, size: 14 }
  header.commit()
  let cut = 0
  const cell = (v: unknown) => {
    if (o.autoFormat && typeof v === 'number' && Number.isFinite(v)) return v
    const text = cellText(v, o.nullValue)
    if (text.length <= XLSX_CELL_MAX) return text
    cut++
    return text.slice(0, XLSX_CELL_MAX)
  }
  // exceljs buffers the sheet's XML until the zip takes it: wait for it to catch up after each page,
  // so memory holds a page or so, not the whole sheet (stream.buffers is exceljs's StreamBuf queue)
  const queued = () => (sheet as unknown as { stream?: { buffers?: unknown[] } }).stream?.buffers?.length ?? 0
  // the byte cap counts the sheet's data before compression (cell text and XLSX_CELL_OVERHEAD a cell)
  let data = 0
  let count = 0
  let bytesCut = false
  for (const page of pages(job.set, o.maxRows, rows)) {
    for (const row of page) {
      const cells = o.columns.map((i) => cell(row[i]))
      const size = cells.reduce<number>((n, v) => n + XLSX_CELL_OVERHEAD + (typeof v === 'number' ? 24 : v.length), 0)
      if (data + size > o.maxBytes) {
        bytesCut = true
        break
      }
      data += size
      count++
      sheet.addRow(cells).commit()
    }
    await sink.ready()
    while (queued() > 4) await new Promise((r) => setTimeout(r, 2))
    if (bytesCut) break
  }
  sheet.commit()
  const notes = [...job.notes]
  if (bytesCut) notes.push(`Only the first ${formatCount(count)} rows are in this file: an export holds at most ${formatSize(o.maxBytes)} of data.`)
  if (cut) notes.push(`${cut} value${cut === 1 ? ' was' : 's were'} longer than Excel's ${formatCount(XLSX_CELL_MAX)}-character cell limit and cut to it.`)
  if (notes.length) {
    const n = book.addWorksheet('JobDesk notes')
    for (const line of notes) n.addRow([line]).commit()
    n.commit()
  }
  await book.commit()
  return { rows: count, bytesCut }
}

/** Writes the whole file into `sink` and ends it; resolves once every byte is handed over, with what it wrote. */
export async function writeExport(job: ExportJob, sink: Sink, rows: RowSource): Promise<ExportOutcome> {
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve)
    sink.on('error', reject)
  })
  let outcome: ExportOutcome
  if (job.options.format === 'csv') {
    outcome = await writeCsv(job, sink, rows)
    sink.end()
  } else {
    outcome = await writeXlsx(job, sink, rows) // exceljs ends the stream itself
  }
  await finished
  return outcome
}
