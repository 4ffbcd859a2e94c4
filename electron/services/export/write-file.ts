// Writes one result set as CSV or .xlsx into a stream, page by page: run inside the export worker
// for big sets, in-process for small ones (exporter.ts). `ready()` is where a writer waits for its reader.
import iconv from 'iconv-lite'
import type { Writable } from 'node:stream'
import type { ResultQuery } from '../../store/result-query'
import type { ResultSetMeta } from '../../store/result.repository'
import { neutralizeFormula } from '../../../shared/csv-injection'
import { cellText, csvRow, XLSX_CELL_MAX, type ExportOptions } from './format'

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

/** A text result set's line as a .csv writes it: neutralised like any text cell, as the file opens in a spreadsheet too. */
const lineText = (v: unknown, nullValue: string): string => (typeof v === 'string' ? neutralizeFormula(v) : cellText(v, nullValue))

async function writeCsv(job: ExportJob, sink: Sink, rows: RowSource): Promise<void> {
  const o = job.options
  if (o.format !== 'csv') return
  const encoder = iconv.getEncoder(o.charset)
  const put = async (text: string) => {
    const bytes = encoder.write(text)
    if (bytes.length && !sink.write(bytes)) await new Promise((r) => sink.once('drain', r))
  }
  const asLines = o.textAsLines && job.set.kind === 'text'
  const rules = { ...o, nullValue: o.nullValue }
  if (!asLines) await put(csvRow(o.columns.map((i) => job.set.columns[i].name), rules) + o.lineEnd)
  for (const page of pages(job.set, o.maxRows, rows)) {
    let text = ''
    for (const row of page) text += (asLines ? lineText(row[0], o.nullValue) : csvRow(o.columns.map((i) => row[i]), rules)) + o.lineEnd
    await put(text)
    await sink.ready()
  }
  const tail = encoder.end()
  if (tail?.length) sink.write(tail)
}

async function writeXlsx(job: ExportJob, sink: Sink, rows: RowSource): Promise<void> {
  const o = job.options
  if (o.format !== 'xlsx') return
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
  for (const page of pages(job.set, o.maxRows, rows)) {
    for (const row of page) sheet.addRow(o.columns.map((i) => cell(row[i]))).commit()
    await sink.ready()
    while (queued() > 4) await new Promise((r) => setTimeout(r, 2))
  }
  sheet.commit()
  const notes = [...job.notes]
  if (cut) notes.push(`${cut} value${cut === 1 ? ' was' : 's were'} longer than Excel's ${XLSX_CELL_MAX.toLocaleString('en')}-character cell limit and cut to it.`)
  if (notes.length) {
    const n = book.addWorksheet('JobDesk notes')
    for (const line of notes) n.addRow([line]).commit()
    n.commit()
  }
  await book.commit()
}

/** Writes the whole file into `sink` and ends it; resolves once every byte is handed over. */
export async function writeExport(job: ExportJob, sink: Sink, rows: RowSource): Promise<void> {
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve)
    sink.on('error', reject)
  })
  if (job.options.format === 'csv') {
    await writeCsv(job, sink, rows)
    sink.end()
  } else {
    await writeXlsx(job, sink, rows) // exceljs ends the stream itself
  }
  await finished
}
