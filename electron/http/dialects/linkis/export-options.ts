// resultsetToExcel's query → an export (FsRestfulApi.resultsetToExcel, StorageCSVWriter,
// StorageExcelWriter): every option the filesystem service reads, with its defaults, and an
// error naming the option for a value that cannot be honoured.

import iconv from 'iconv-lite'
import type { ExportOptions } from '../../../services/export/exporter'
import { EXPORT_MAX_BYTES } from '../../../services/export/format'
import type { ResultSetMeta } from '../../../store/result.repository'
import { fsError } from './envelope'
import { paramError, type LinkisParams } from './params'

/** The most rows a download holds, whatever `limit` asks: every result set fits (the SQL executor keeps at most 1,000,000). */
export const EXPORT_ROW_CAP = 1_000_000

export interface LinkisExport {
  options: ExportOptions
  /** The download's name without its extension. */
  fileName: string
  extension: 'csv' | 'xlsx'
}

/**
 * `csvSeparator` (or the misspelt `csvSeperator`, which wins when only it is given, as upstream):
 * `t` means a tab (Linkis's alias for a lost escape), as does `%09` once decoded; otherwise 1–4
 * characters that are not a quote or a line break.
 */
function separatorOf(p: LinkisParams): string {
  const proper = p.str('csvSeparator', 16)
  const misspelt = p.str('csvSeperator', 16)
  const name = (proper === undefined || proper === ',') && misspelt !== undefined ? 'csvSeperator' : 'csvSeparator'
  const value = (name === 'csvSeperator' ? misspelt : proper) ?? ','
  if (value === 't') return '\t'
  if ([...value].length > 4 || /["\r\n]/.test(value)) {
    throw paramError(name, `must be 1 to 4 characters without quotes or line breaks (t means a tab), not ${JSON.stringify(value)}`)
  }
  return value
}

/** Excel's rules for a sheet name: 1–31 characters, none of : \ / ? * [ ], not starting or ending with '. */
function sheetNameOf(p: LinkisParams): string {
  const name = p.str('sheetName', 100) ?? 'result'
  if ([...name].length > 31 || /[:\\/?*[\]]/.test(name) || /^'|'$/.test(name)) {
    throw paramError('sheetName', `must be 1 to 31 characters without : \\ / ? * [ ] and not start or end with ', as Excel requires; not ${JSON.stringify(name)}`)
  }
  return name
}

/** The export a resultsetToExcel query asks for, for `set`; throws a Linkis error naming a bad option. */
export function linkisExport(p: LinkisParams, set: ResultSetMeta): LinkisExport {
  const extension = p.oneOf('outputFileType', ['csv', 'xlsx'] as const, 'csv')
  const charset = p.str('charset', 40) ?? 'utf-8'
  if (!iconv.encodingExists(charset)) throw paramError('charset', `${JSON.stringify(charset)} is not an encoding JobDesk can write (use utf-8, gbk, gb18030, big5, utf-16le, iso-8859-1, …)`)
  const nullValue = p.str('nullValue', 100) ?? 'NULL'
  const limit = p.int('limit', { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }, 0)
  const masked = new Set((p.str('maskedFieldNames', 10_000) ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean))
  const common = {
    nullValue: nullValue.toUpperCase() === 'BLANK' ? '' : nullValue, // "BLANK" asks for empty cells, as upstream
    maxRows: limit > 0 ? Math.min(limit, EXPORT_ROW_CAP) : EXPORT_ROW_CAP,
    maxBytes: EXPORT_MAX_BYTES, // wide rows make a file huge under the row cap: the x-jobdesk-export-byte-cap header says so
    columns: set.columns.map((c, i) => (masked.has(c.name.toLowerCase()) ? -1 : i)).filter((i) => i >= 0),
  }
  // read every option whatever the type, so a bad value is refused even where it would not matter
  const csv = { separator: separatorOf(p), quoteAll: p.bool('quoteRetouchEnable', false), keepNewline: p.bool('keepNewline', false) }
  const xlsx = { sheetName: sheetNameOf(p), autoFormat: p.bool('autoFormat', false) }
  const fileName = p.str('outputFileName', 200) ?? 'downloadResultset'
  if (extension === 'xlsx' && set.kind !== 'table') throw fsError(80024, 'Non-tabular result sets cannot be downloaded as excel(非table类型的结果集不能下载为excel)')
  const options: ExportOptions =
    extension === 'csv'
      ? { format: 'csv', ...csv, lineEnd: '\n', charset, textAsLines: true, ...common }
      : { format: 'xlsx', ...xlsx, ...common }
  return { options, fileName, extension }
}

/**
 * Content-Disposition for a download: a plain ASCII name, and the real one (RFC 6266 filename*)
 * when it is not plain ASCII. Path separators, quotes and control characters never get through.
 */
export function attachment(name: string, extension: string): string {
  const clean = `${name.replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim() || 'downloadResultset'}.${extension}`
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_')
  return ascii === clean ? `attachment; filename="${clean}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`
}
