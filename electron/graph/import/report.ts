// The import report: per file, every line accounted for (imported, failed, rolled back, skipped)
// and the first failed lines with their reason, so nothing is dropped silently (TuGraph issue #166).
import type { FailedLine, FileReport, ImportReport } from '../../../shared/graph'
import type { FilePlan } from './mapping'

export const MAX_FAILED_LINES = 100
const MAX_TEXT = 1000

export function newReport(taskId: string, graph: string, plans: FilePlan[], sizes: number[]): ImportReport {
  return {
    taskId,
    graph,
    state: 'running',
    bytesTotal: sizes.reduce((a, b) => a + b, 0),
    bytesDone: 0,
    packagesDone: 0,
    packagesSkipped: 0,
    imported: 0,
    failed: 0,
    elapsedMs: 0,
    rowsPerSecond: 0,
    files: plans.map((p, i) => ({
      path: p.mapping.path,
      label: p.mapping.label,
      kind: p.kind,
      format: p.mapping.format,
      bytes: sizes[i],
      state: 'pending',
      lines: 0,
      imported: 0,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      blankLines: 0,
      failures: [],
      notes: [],
    })),
  }
}

export const failedLine = (line: number, text: string, reason: string): FailedLine => ({
  line,
  text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text,
  reason,
})

/** What one package adds to its file's report. */
export interface PackageTally {
  lines: number
  imported: number
  failed: number
  blankLines: number
  failures: FailedLine[]
  notes: string[]
}

export const newTally = (): PackageTally => ({ lines: 0, imported: 0, failed: 0, blankLines: 0, failures: [], notes: [] })

/** Adds a package's tally to a file's report (keeping the first 100 failures of the file). */
export function addTally(file: FileReport, t: PackageTally): void {
  file.lines += t.lines
  file.imported += t.imported
  file.failed += t.failed
  file.blankLines += t.blankLines
  for (const f of [...t.failures].sort((a, b) => a.line - b.line)) if (file.failures.length < MAX_FAILED_LINES) file.failures.push(f)
  for (const n of t.notes) if (!file.notes.includes(n)) file.notes.push(n)
}

/** The report's totals, summed over its files. */
export function sumUp(report: ImportReport): void {
  report.imported = report.files.reduce((n, f) => n + f.imported, 0)
  report.failed = report.files.reduce((n, f) => n + f.failed, 0)
}

export const cloneReport = (r: ImportReport): ImportReport => structuredClone(r)

/**
 * TuGraph's failure reason (tugraph-db: src/http/import_task.cpp), wording included: the list is of
 * the files that were imported completely, though the sentence says otherwise.
 */
export function tugraphReason(error: string, importedFiles: string[], currentFile: string, currentFileLines: number): string {
  return `${error}\n${importedFiles.join(',')} were not imported successfully.\n${currentFile} was imported ${currentFileLines} lines.\n`
}
