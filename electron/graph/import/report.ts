// The import report: per file, every line accounted for (imported, failed, rolled back, skipped)
// and the first failed lines with their reason, so nothing is dropped silently (TuGraph issue #166).
import type { FailedLine, FileReport, ImportReport } from '../../../shared/graph'
import type { FilePlan } from './mapping'
import { counted, formatCount } from '../../../shared/number-format'

/** Failed lines listed per file; the others are counted (FileReport.failed), not listed. */
export const MAX_FAILED_LINES = 100
/**
 * Failed lines listed in a whole report: with 1,000 files of 100 each the report reached 100 MB and
 * its job could not save it (#9 §2). At about 2 KB a line (text and reason cut below) this keeps
 * a report's failures near 2 MB.
 */
export const MAX_REPORT_FAILED_LINES = 1000
/** A failed line's text and reason are cut to this many characters. */
const MAX_TEXT = 1000

const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s)

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

/** A failed line as a report lists it: its text and its reason cut to 1,000 characters each. */
export const failedLine = (line: number, text: string, reason: string): FailedLine => ({ line, text: cut(text), reason: cut(reason) })

/** How many failed lines `report` lists (to start a run's count of them; see addTally). */
export const listedFailures = (report: ImportReport): number => report.files.reduce((n, f) => n + f.failures.length, 0)

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

/**
 * Adds a package's tally to a file's report, listing its failures in line order while the file lists
 * fewer than MAX_FAILED_LINES and `room` (failed lines the whole report may still list) lasts.
 * Returns how many failures it listed.
 */
export function addTally(file: FileReport, t: PackageTally, room: number): number {
  file.lines += t.lines
  file.imported += t.imported
  file.failed += t.failed
  file.blankLines += t.blankLines
  const take = Math.max(0, Math.min(MAX_FAILED_LINES - file.failures.length, room))
  const listed = [...t.failures].sort((a, b) => a.line - b.line).slice(0, take)
  file.failures.push(...listed)
  for (const n of t.notes) if (!file.notes.includes(n)) file.notes.push(n)
  return listed.length
}

/**
 * What changed in a report since the last change sent: its top-level fields and the entries of the
 * files that changed. The main thread keeps its copy of a running import's report with these, so
 * each package costs it the same whatever the number of files (#9 §2: 20,000 entries cloned to it
 * after every package held it 200–750 ms each time).
 */
export interface ReportChange {
  head: Omit<ImportReport, 'files'>
  files: { index: number; file: FileReport }[]
}

/** The change of `report` in the files at `indexes` (it shares their entries: postMessage copies it). */
export function reportChange(report: ImportReport, indexes: Iterable<number>): ReportChange {
  const { files, ...head } = report
  return { head, files: [...indexes].map((index) => ({ index, file: files[index] })) }
}

/** `report` with `change` applied, in place (a copy held by the main thread). */
export function applyChange(report: ImportReport, change: ReportChange): void {
  Object.assign(report, change.head)
  for (const { index, file } of change.files) report.files[index] = file
}

/** The report's totals, summed over its files. */
export function sumUp(report: ImportReport): void {
  report.imported = report.files.reduce((n, f) => n + f.imported, 0)
  report.failed = report.files.reduce((n, f) => n + f.failed, 0)
}

export const cloneReport = (r: ImportReport): ImportReport => structuredClone(r)

/** A copy of `r` for a package to change file `fi` of: the other files' entries are shared, not copied. */
export const withFileCopied = (r: ImportReport, fi: number): ImportReport => {
  const files = r.files.slice()
  files[fi] = structuredClone(files[fi])
  return { ...r, files }
}

/**
 * The package a line stopped an import in (continueOnError false), rolled back as a whole: its file's
 * line numbers `first`–`last` (1-based, as FailedLine counts them; its data lines, not a header before
 * them), the line that failed, and its other data lines, `rolledBack`, not imported with it.
 */
export interface RolledBackPackage {
  first: number
  last: number
  failedLine: number
  rolledBack: number
}

/**
 * What happened to a rolled-back package, in the words of the report's note and reason: "the package
 * of its lines 7–12 was rolled back: its line 9 failed and its other 5 data lines were not imported".
 */
export const rolledBackWords = (p: RolledBackPackage): string =>
  `the package of its lines ${formatCount(p.first)}–${formatCount(p.last)} was rolled back: its line ${formatCount(p.failedLine)} failed and its other ${counted(p.rolledBack, 'data line')} ${p.rolledBack === 1 ? 'was' : 'were'} not imported`

/**
 * Why an import stopped, in JobDesk's words (the native report, the job's error, the Imports and Jobs
 * pages): the error, then the files imported in full, then the file it stopped in with its data
 * lines imported (committed: no header line, unlike TuGraph's count) and the package rolled back, if
 * one was. `current` undefined: it stopped before reaching any file.
 */
export function importReason(error: string, importedFiles: string[], current?: { path: string; imported: number; rolledBack?: RolledBackPackage }): string {
  if (!current && importedFiles.length === 0) return `${error}\nNo file was imported: the import stopped before it reached any.\n`
  const done = importedFiles.length ? `Imported in full: ${importedFiles.join(', ')}.\n` : ''
  if (!current) return `${error}\n${done}`
  const rolled = current.rolledBack ? `; ${rolledBackWords(current.rolledBack)}` : ''
  return `${error}\n${done}${current.path}: ${counted(current.imported, 'data line')} imported${rolled}.\n`
}

/**
 * TuGraph's failure reason (tugraph-db: src/http/import_task.cpp), wording included, kept for its
 * dialect's import_progress only (ImportReport.tugraphReason): the list is of
 * the files that were imported completely, though the sentence says otherwise. An import that failed
 * before it reached any file (`currentFile` '': a file missing at the run) says so in one sentence,
 * where TuGraph's two lines would have no subject.
 */
export function tugraphReason(error: string, importedFiles: string[], currentFile: string, currentFileLines: number): string {
  if (currentFile === '' && importedFiles.length === 0) return `${error}\nNo file was imported: the import stopped before it reached any.\n`
  return `${error}\n${importedFiles.join(',')} were not imported successfully.\n${currentFile} was imported ${currentFileLines} lines.\n`
}

/**
 * An import's progress, 0..1: the bytes read of its files (bytesDone of bytesTotal, from its live
 * figures or its report), whether it succeeded or failed. The one rule for it: the import's status
 * (GraphService.importStatus) and its job's own progress (the executor, when the import ends) both
 * use it. Undefined without figures or with no bytes to read (the job's progress stands then).
 */
export function importReadFraction(figures: { bytesDone: number; bytesTotal: number } | null | undefined): number | undefined {
  return figures && figures.bytesTotal > 0 ? Math.min(1, figures.bytesDone / figures.bytesTotal) : undefined
}

/**
 * A run's bytes done and in all, or with `source` the same share of the source files' bytes: done
 * `source.read` times the run's share read, of `source.total` (a GES import's parts leave out the
 * label column and the lines the split refused, so their bytes are not the client's files'). The live
 * figures (GraphHost) and an ended GES import's (its executor) both say a run's bytes so.
 */
export function liveBytes(bytesDone: number, bytesTotal: number, source?: { read: number; total: number }): { bytesDone: number; bytesTotal: number } {
  if (!source) return { bytesDone, bytesTotal }
  return { bytesDone: bytesTotal > 0 ? Math.round((source.read * Math.min(bytesDone, bytesTotal)) / bytesTotal) : 0, bytesTotal: source.total }
}
