// How one result set becomes a file: the options of an export and the CSV cell rules. Shared by the
// export worker and its callers (the Linkis dialect maps resultsetToExcel's query onto these).
import { csvField as sharedCsvField } from '../../../shared/csv'
import { cellText } from '../../store/result-cells'

export { cellText }

/** CSV as Linkis's StorageCSVWriter writes it, with RFC 4180 quoting where a value needs it. */
export interface CsvFormat {
  format: 'csv'
  /** One to four characters; never a quote or a line break. */
  separator: string
  /** Quote every non-blank value (Linkis quoteRetouchEnable). Inner quotes are doubled, not dropped as upstream does. */
  quoteAll: boolean
  /** Keep line breaks inside values (then quoted); otherwise each becomes a space (Linkis keepNewline=false). */
  keepNewline: boolean
  lineEnd: '\n' | '\r\n'
  /** Any encoding iconv-lite knows (utf-8, gbk, gb18030, big5, utf-16le, …). */
  charset: string
  /** A text result set is written as its lines, with no header and no quoting (Linkis ScriptFsWriter). */
  textAsLines: boolean
}

/** An .xlsx workbook written row by row (exceljs's streaming writer), as Linkis's StorageExcelWriter. */
export interface XlsxFormat {
  format: 'xlsx'
  sheetName: string
  /** Numbers as numeric cells; otherwise every value is text (Linkis autoFormat). */
  autoFormat: boolean
}

export type ExportOptions = (CsvFormat | XlsxFormat) & {
  /** What a NULL becomes. */
  nullValue: string
  /** The most data rows written; the rest of the set is left out (and the answer says so). */
  maxRows: number
  /**
   * The most bytes of data written (EXPORT_MAX_BYTES, NATIVE_EXPORT_MAX_BYTES for a native answer): a CSV's bytes, an xlsx's
   * sheet data before compression (cell text plus XLSX_CELL_OVERHEAD a cell). Rows past it are left
   * out (and the answer says so): wide rows make a file huge well under the row cap (#9 §2).
   */
  maxBytes: number
  /** Indexes of the columns written, in order (masked columns left out). */
  columns: number[]
}

/** The most bytes of data a download streamed as a file writes (ExportOptions.maxBytes; Linkis resultsetToExcel): 128 MiB. */
export const EXPORT_MAX_BYTES = 128 * 1024 * 1024

/**
 * The most bytes of data a native export writes: its file travels inside a JSON answer (CSV text,
 * xlsx base64) that the client, and over IPC the main process, holds whole; 32 MiB keeps that a
 * bounded value (a 48 MB CSV of 2,000-column rows answered in one piece held the server, #9 §2).
 */
export const NATIVE_EXPORT_MAX_BYTES = 32 * 1024 * 1024

/** What an xlsx cell costs beyond its text in the sheet's XML (`<c r="AB12" t="n"><v>…</v></c>`), for the byte cap. */
export const XLSX_CELL_OVERHEAD = 30

/** The longest text an Excel cell holds; longer values are cut and the workbook's notes sheet says so. */
export const XLSX_CELL_MAX = 32_767


/**
 * One CSV field under the format's rules (shared/csv.ts csvField: text neutralised against formulas, quoted
 * for the separator, any locale's list separator, line ends and quotes); NULL is written as `nullValue`.
 */
export const csvField = (value: unknown, o: Pick<CsvFormat, 'separator' | 'quoteAll' | 'keepNewline'> & { nullValue: string }): string =>
  sharedCsvField(value, (v) => cellText(v, o.nullValue), o)

export const csvRow = (cells: readonly unknown[], o: Parameters<typeof csvField>[1]): string => cells.map((c) => csvField(c, o)).join(o.separator)
