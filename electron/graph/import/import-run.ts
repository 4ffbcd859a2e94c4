// One import task, run synchronously inside a graph worker thread (reference/tugraph.md §1.8, §3;
// tugraph-db: src/http/import_task.cpp, src/import/import_online.cpp):
//   plan every file against the schema (nothing starts if a file cannot be imported) → vertex files
//   before edge files → cut each file into ~16 MiB packages → pass over max(skipPackages, packages
//   this task committed before) → each package parsed, then written in ONE transaction together
//   with the task's record (so a crash keeps exactly the committed packages and their counts).
// A bad line fails the task (continueOnError false: its package rolls back) or is counted and
// kept with its reason (true); a line too long to read is such a line, a package of its own (#9).
// The stop flag is read between batches: cancel ends within a second.
import { closeSync, fstatSync } from 'node:fs'
import type { FileMapping, FileReport, ImportReport } from '../../../shared/graph'
import type { LogLevel } from '../../../shared/status'
import { formatCount } from '../../../shared/number-format'
import { requireGraph } from '../store/catalog'
import { GraphDb, type GraphWriter } from '../store/graph-db'
import { assertGraphUnderBound, assertGrowthWithinBound, graphUsedBytes } from '../store/graph-bound'
import { CsvFieldSplitter } from './csv-fields'
import { ImportProgress, type ImportProgressEvent } from './import-progress'
import { ImportRecords, type ImportRecord } from './import-record'
import { LineBounds, lineText, packageText } from './lines'
import { planFile, type FilePlan } from './mapping'
import { writePackage, type FailLine, type PackageWriting } from './package-rows'
import { countLines, longLineReason, openDataFile, packageBuffer, PACKAGE_BYTES, type Package } from './packages'
import { encodingHint, encodingName, guessFileEncoding, importEncoding, openPackages, readAsWhy, withEncodingHint, type EncodingGuess } from './text-encoding'
import {
  addTally,
  cloneReport,
  failedLine,
  listedFailures,
  MAX_FAILED_LINES,
  MAX_REPORT_FAILED_LINES,
  newReport,
  newTally,
  reportChange,
  importReason,
  rolledBackWords,
  sumUp,
  tugraphReason,
  withFileCopied,
  type PackageTally,
  type RolledBackPackage,
} from './report'
import { RowBlock } from './row-block'
import { VidIndex } from './vid-index'

export interface ImportInput {
  dataDir: string
  graph: string
  /** The task id: the job's uuid, and the key of the task's record in the graph file. */
  taskId: string
  /** Mappings with their files resolved inside the user's upload folder. */
  files: { mapping: FileMapping; file: string }[]
  delimiter: string
  continueOnError: boolean
  skipPackages: number
  /** Package size (default 16 MiB); smaller in tests. */
  packageBytes?: number
  /** The reserve the data folder's disk keeps, in bytes (disk-reserve.ts diskReserveOf), set by GraphHost: the worker checks it before each package. */
  diskReserveBytes?: number
}

/** What a run tells its host as it goes: progress (import-progress.ts) and log lines. */
export type ImportEvent = ImportProgressEvent | { type: 'log'; level: LogLevel; text: string }

/** `interrupted`: stopped for a shutdown; the task's record stays running, so the next start resumes it. */
export type ImportOutcome = 'succeeded' | 'failed' | 'cancelled' | 'interrupted'

export interface ImportEnd {
  outcome: ImportOutcome
  report: ImportReport
  reason?: string
  /** The error that stopped it, alone: `reason` without what it says of the files (for a caller that names the files its own way: a GES import). */
  error?: string
  /** Set when it failed only because lines failed and none was imported (nothingImported): every file was read. */
  nothingImported?: true
}

/** Values of the stop flag the host sets in shared memory. */
export const STOP = { none: 0, cancel: 1, shutdown: 2 } as const

export interface ImportIo {
  emit(e: ImportEvent): void
  /** The stop flag: STOP.none, STOP.cancel or STOP.shutdown. */
  stop(): number
  /** Why no more packages may be written (the disk is down to its reserve: graph-room.ts), or undefined; asked before each package. */
  room?(): Error | undefined
}

class Halt extends Error {}
/** A line that stops the task (continueOnError false); its package rolls back. */
class LineFailure extends Error {
  /** Data lines of the package that failed: one failed, the others rolled back. */
  packageLines = 1
  /** Bytes of the file the failing package took: read though rolled back, so its import's progress counts them. */
  packageBytes = 0
  /** File line numbers of the failing package's data lines (not a header before them): first–last. */
  firstLine = 0
  lastLine = 0

  constructor(
    readonly line: number,
    readonly text: string,
    readonly reason: string,
  ) {
    super(reason)
  }
}

/** Bytes of its file a package covers (its own bytes, unless it was decoded to UTF-8). */
const fileBytes = (pkg: Package): number => pkg.sourceBytes ?? pkg.bytes.length

export const runImport = (input: ImportInput, io: ImportIo): ImportEnd => new ImportRun(input, io).run()

/**
 * How an import cancelled before its turn came (it waited for another import into its graph, which
 * holds the graph's write lock) ends, as its run would have ended had it started cancelled, but at
 * once and with nothing written: its files planned and sized, its record read in `g` (the caller's
 * open graph, left open). A task resumed after a restart or by task id keeps its stored report (the
 * counts and bytes of the packages it committed); a new one reads 0 of its files. Files its run would
 * fail on (gone, a label dropped) give the record's report, else one of no files. A task whose record
 * says it succeeded ends `succeeded` with its final report, as its run would.
 */
export const cancelledBeforeItsTurn = (g: GraphDb, input: ImportInput): ImportEnd => new ImportRun(input, { emit: () => undefined, stop: () => STOP.cancel }).endUnstarted(g)

class ImportRun {
  private g: GraphDb | null = null
  private records: ImportRecords | null = null
  private plans: FilePlan[] = []
  private fingerprint: ImportRecord['files'] = []
  private report: ImportReport
  /** The record's packagesDone: the global index of the package after the last committed one. */
  private position = 0
  private readonly progress: ImportProgress
  private bytesDone = 0
  /** What every file's packages are read into (packageBuffer). */
  private readBuffer: Buffer | null = null
  /** Whether a commit has written every file's row of the record (the first commit of a run does). */
  private recordWhole = false
  private readonly importedFiles: string[] = []
  private current = { index: -1, path: '', lines: 0 }
  /**
   * For the current file read as UTF-8 that looks like another encoding (text-encoding.ts guessEncoding):
   * what a line's "not valid UTF-8" reason adds, naming that encoding. The encoding asked for stays.
   */
  private guess: EncodingGuess | null = null
  private readonly splitter: CsvFieldSplitter
  /** Bytes a package holds (input.packageBytes, else PACKAGE_BYTES). */
  private readonly packageBytes: number
  private fd: number | null = null
  /** Primary key → vid per vertex label (by table number), for edge endpoints; kept across packages. */
  private readonly vidIndexes = new Map<number, VidIndex>()
  private readonly blocks = new Map<FilePlan, RowBlock>()
  private readonly lineBounds = new LineBounds()
  /** Failed lines the report lists, over all its files (at most MAX_REPORT_FAILED_LINES). */
  private listed = 0
  /**
   * Files whose report entries changed since the last commit (the current one, one skipped over or
   * ended): the commit writes their rows of the record, and the change sent after it carries them.
   */
  private readonly changed = new Set<number>()

  constructor(
    private readonly input: ImportInput,
    private readonly io: ImportIo,
  ) {
    this.splitter = new CsvFieldSplitter(input.delimiter)
    this.packageBytes = input.packageBytes ?? PACKAGE_BYTES
    this.progress = new ImportProgress((e) => io.emit(e), this.packageBytes)
    this.report = newReport(input.taskId, input.graph, [], [])
  }

  run(): ImportEnd {
    try {
      this.g = GraphDb.open(this.input.graph, requireGraph(this.input.dataDir, this.input.graph), { cacheMb: 64 })
      this.records = new ImportRecords(this.g.db)
      const done = this.prepare()
      if (done) return done
      this.importAll()
      return this.succeed()
    } catch (e) {
      if (e instanceof Halt) return this.halt()
      if (e instanceof LineFailure) return this.failOnLine(e)
      return this.fail(e instanceof Error ? e.message : String(e))
    } finally {
      if (this.fd !== null) closeSync(this.fd)
      this.g?.close()
    }
  }

  /** cancelledBeforeItsTurn: prepare's report, cancelled, read-only (no save: the record stays as its last run left it). */
  endUnstarted(g: GraphDb): ImportEnd {
    this.g = g
    this.records = new ImportRecords(g.db)
    try {
      const done = this.prepare()
      if (done) return done
    } catch {
      const rec = this.records.get(this.input.taskId)
      if (rec) this.report = rec.finalReport ?? rec.report
    } finally {
      this.g = null
    }
    // as it stood: its elapsed time and rate too (finalReport would count this moment as run time)
    const report = cloneReport(this.report)
    report.state = 'cancelled'
    report.reason = undefined
    return { outcome: 'cancelled', report: cancelledFiles(report) }
  }

  /** Plans the files and takes up the task's record; returns an end at once for a task already done. */
  private prepare(): ImportEnd | null {
    const g = this.g!
    const planned = this.input.files.map((f, i) => ({ plan: planFile(g, f.mapping, f.file), i }))
    planned.sort((a, b) => Number(a.plan.kind === 'edge') - Number(b.plan.kind === 'edge') || a.i - b.i) // vertex files first, else in order
    this.plans = planned.map((p) => p.plan)
    const sizes = this.plans.map((p) => {
      const fd = openDataFile(p.file, p.mapping)
      try {
        return fstatSync(fd).size
      } finally {
        closeSync(fd)
      }
    })
    this.fingerprint = this.plans.map((p, i) => ({ path: p.mapping.path, bytes: sizes[i] }))
    const rec = this.records!.get(this.input.taskId)
    if (rec?.state === 'succeeded' && rec.finalReport) {
      this.log('INFO', `task ${this.input.taskId} finished before; nothing left to import`)
      return { outcome: 'succeeded', report: rec.finalReport }
    }
    this.report = newReport(this.input.taskId, this.input.graph, this.plans, sizes)
    if (rec && rec.position > 0) {
      if (JSON.stringify(rec.files) !== JSON.stringify(this.fingerprint)) {
        throw new Error(
          `the files of task ${this.input.taskId} are not those it committed ${rec.position} packages of (${rec.files.map((f) => `${f.path}: ${f.bytes} bytes`).join(', ')}); import them under a new task id`,
        )
      }
      this.report = { ...rec.report, state: 'running', reason: undefined }
      this.position = rec.position
      this.progress.resumed(rec.report.elapsedMs)
      this.log('INFO', `resuming task ${this.input.taskId} after package ${rec.position}: ${rec.report.imported} lines imported, ${rec.report.failed} failed before`)
    }
    this.listed = listedFailures(this.report)
    this.progress.planned(this.report)
    const names = this.plans.map((p) => `${p.mapping.path} (${p.kind} ${p.mapping.label})`).join(', ')
    this.log('INFO', `importing into graph ${this.input.graph}, vertex files first: ${names}; ${this.report.bytesTotal} bytes`)
    return null
  }

  private importAll(): void {
    const skip = Math.max(this.input.skipPackages, this.position)
    const resumedFrom = this.position
    let p = 0
    for (const [fi, plan] of this.plans.entries()) {
      // Each commit replaces this.report with the committed copy: always read the file's entry afresh.
      const fr = () => {
        this.changed.add(fi)
        return this.report.files[fi]
      }
      this.current = { index: fi, path: plan.mapping.path, lines: 0 }
      this.fd = openDataFile(plan.file, plan.mapping)
      this.readBuffer ??= packageBuffer(this.packageBytes)
      const opened = openPackages(this.fd, importEncoding(plan.mapping.encoding), this.packageBytes, this.readBuffer, 'skip')
      const reader = opened.reader
      // every file says what it was read as (a mark's note says it already)
      const why = readAsWhy(opened, plan.mapping.encodingGuessed)
      const readAs = opened.note ?? `read as ${encodingName(opened.encoding)} (${why})`
      if (!fr().notes.includes(readAs)) fr().notes.push(readAs)
      this.log('INFO', `reading ${plan.mapping.path} as ${encodingName(opened.encoding)} (${why})`)
      this.guess = opened.encoding === 'utf-8' ? guessFileEncoding(this.fd) : null
      const guessNote = this.guess && `read as UTF-8, but ${encodingHint(this.guess)}`
      if (guessNote && !fr().notes.includes(guessNote)) fr().notes.push(guessNote)
      let inFile = 0
      for (let pkg = reader.next(); pkg; pkg = reader.next(), inFile++, p++) {
        let n: number
        if (p < skip) {
          n = countLines(pkg.bytes)
          this.tick(0) // a long skip can still be stopped, and shows progress
          if (p >= resumedFrom) {
            fr().skipped += Math.max(0, n - (inFile === 0 ? (plan.mapping.header ?? 0) : 0))
            this.report.packagesSkipped++
          }
        } else {
          if (this.io.stop() !== STOP.none) throw new Halt()
          this.assertRoom()
          if (fr().state === 'pending') fr().state = 'running'
          n = this.importPackage(fi, plan, pkg, inFile === 0, this.current.lines + 1, p)
        }
        this.bytesDone += fileBytes(pkg)
        this.current.lines += n
      }
      if (inFile === 0 && !fr().notes.includes('the file is empty')) fr().notes.push('the file is empty')
      fr().state = 'done'
      closeSync(this.fd)
      this.fd = null
      this.importedFiles.push(plan.mapping.path)
    }
  }

  /** Imports one package in one transaction; returns its number of lines. */
  private importPackage(fi: number, plan: FilePlan, pkg: Package, first: boolean, firstLineNo: number, p: number): number {
    if (pkg.longLine !== undefined) return this.longLine(fi, plan, pkg, first, firstLineNo, p)
    const text = packageText(pkg.bytes, pkg.start === 0, this.lineBounds, pkg.broken)
    const lineCount = text.count
    const tally = newTally()
    if (text.bom) tally.notes.push('a UTF-8 byte-order mark at the start of the file was ignored')
    const header = first ? (plan.mapping.header ?? 0) : 0
    if (header > lineCount) throw new Error('HEADER too large.')
    if (first && header > 0 && lineCount === header) tally.notes.push('the file holds only its header')
    const fail: FailLine = (line, text, why) => {
      const reason = withEncodingHint(why, this.guess)
      if (!this.input.continueOnError) throw new LineFailure(line, text, reason)
      tally.failed++
      // Parsing reports its failures before writing does: keep enough of both to sort the first 100 by line.
      if (tally.failures.length < 2 * Math.min(MAX_FAILED_LINES, MAX_REPORT_FAILED_LINES - this.listed)) tally.failures.push(failedLine(line, text, reason))
      this.progress.count(1)
    }
    const tick = (lineIndex: number) => this.tick((fileBytes(pkg) * lineIndex) / Math.max(1, lineCount))
    let committed: ImportReport | null = null
    try {
      committed = this.commit(fi, p, pkg, (w) => writePackage(w, this.writing(), plan, text, header, firstLineNo, tally, fail, tick), tally)
      tally.failures.sort((a, b) => a.line - b.line)
    } catch (e) {
      if (e instanceof LineFailure) {
        e.packageBytes = fileBytes(pkg)
        e.firstLine = firstLineNo + header
        e.lastLine = firstLineNo + lineCount - 1
        e.packageLines = 0
        for (let i = header; i < lineCount; i++) if (lineText(text, i).trim() !== '') e.packageLines++
      }
      throw e
    }
    this.report = committed
    this.position = p + 1
    this.progress.count(tally.imported)
    const mib = (n: number) => (n / 1048576).toFixed(1)
    this.log(
      'INFO',
      `${plan.mapping.path} package ${p + 1} (MiB ${mib(pkg.start)}–${mib(pkg.start + fileBytes(pkg))}): ${tally.lines} lines, ${tally.imported} imported, ${tally.failed} failed; ${Math.round(this.progress.rate())} rows/s`,
    )
    for (const f of tally.failures.slice(0, 20)) this.log('WARN', `${plan.mapping.path} line ${f.line}: ${f.reason}`)
    this.progress.send(this.bytesDone + fileBytes(pkg), this.report, reportChange(this.report, this.changed)) // what commit wrote
    this.changed.clear()
    return lineCount
  }

  /**
   * A line too long to read (a `longLine` package): it fails the task naming its file and line, or,
   * with continueOnError, is one failed line, committed with the task's record as a package is (so a
   * resumed task passes over it). A header line too long fails the task either way.
   */
  private longLine(fi: number, plan: FilePlan, pkg: Package, first: boolean, lineNo: number, p: number): number {
    const reason = longLineReason(pkg.sourceBytes ?? pkg.longLine!, this.readBuffer!.length) // what it takes of the file, line end included
    const text = pkg.bytes.toString('utf8')
    if (!this.input.continueOnError || (first && (plan.mapping.header ?? 0) > 0)) throw Object.assign(new LineFailure(lineNo, text, reason), { packageBytes: fileBytes(pkg) })
    const tally = newTally()
    tally.lines = 1
    tally.failed = 1
    if (MAX_REPORT_FAILED_LINES > this.listed) tally.failures.push(failedLine(lineNo, text, reason))
    this.progress.count(1)
    this.report = this.commit(fi, p, pkg, () => {}, tally)
    this.position = p + 1
    this.log('WARN', `${plan.mapping.path} line ${lineNo}: ${reason}`)
    this.progress.send(this.bytesDone + fileBytes(pkg), this.report, reportChange(this.report, this.changed))
    this.changed.clear()
    return 1
  }

  private writing(): PackageWriting {
    const g = this.g!
    return {
      g,
      splitter: this.splitter,
      vids: (label) => {
        let index = this.vidIndexes.get(label.tbl)
        if (!index) this.vidIndexes.set(label.tbl, (index = new VidIndex(g.db, g.vertexTable(label.name))))
        return index
      },
      block: (plan) => {
        let block = this.blocks.get(plan)
        if (!block) {
          this.blocks.clear() // one file at a time: the last file's arrays can go
          this.blocks.set(plan, (block = new RowBlock(plan)))
        }
        return block
      },
    }
  }

  /** Writes a package (`write`) and the task's record in one transaction; returns the report as committed. */
  private commit(fi: number, p: number, pkg: Package, write: (w: GraphWriter) => void, tally: PackageTally): ImportReport {
    const g = this.g!
    const committed = g.write((w) => {
      const before = graphUsedBytes(g)
      write(w)
      // Only the file this package changed is copied: the cost does not grow with the number of files.
      const next = withFileCopied(this.report, fi)
      const listed = addTally(next.files[fi], tally, MAX_REPORT_FAILED_LINES - this.listed)
      next.packagesDone++
      next.bytesDone = this.bytesDone + fileBytes(pkg)
      next.elapsedMs = this.progress.elapsed()
      next.imported += tally.imported
      next.failed += tally.failed
      this.changed.add(fi)
      const rows = this.recordWhole ? [...this.changed] : undefined
      this.records!.save({ taskId: this.input.taskId, state: 'running', position: p + 1, files: this.fingerprint, report: next, finalReport: null }, rows)
      assertGrowthWithinBound(g, before) // a package that takes the graph past its bound rolls back, and the task fails saying so
      this.listed += listed
      return next
    })
    this.recordWhole = true
    return committed
  }

  /**
   * Before a package: fails the task (the error's message is its reason) when the disk is down to its
   * reserve (io.room) or the graph holds its bound (store/graph-bound.ts); committed packages stay,
   * so the task can be taken up again by its id once there is room.
   */
  private assertRoom(): void {
    const refusal = this.io.room?.()
    if (refusal) throw refusal
    assertGraphUnderBound(this.g!)
  }

  /**
   * Between batches: stop if asked; else progress, when due (ImportProgress.between: every 200 ms or
   * every eighth of a package). `inPackage`: bytes of the current package done.
   */
  private tick(inPackage: number): void {
    if (this.io.stop() !== STOP.none) throw new Halt()
    this.progress.between(this.bytesDone + Math.round(inPackage), this.report)
  }

  private log(level: LogLevel, text: string): void {
    this.io.emit({ type: 'log', level, text })
  }

  private finalReport(state: ImportReport['state']): ImportReport {
    const r = cloneReport(this.report)
    r.state = state
    r.elapsedMs = this.progress.elapsed()
    r.rowsPerSecond = this.progress.rate()
    sumUp(r)
    return r
  }

  private save(state: ImportRecord['state'], final: ImportReport): void {
    this.records?.save({ taskId: this.input.taskId, state, position: this.position, files: this.fingerprint, report: this.report, finalReport: final })
  }

  private succeed(): ImportEnd {
    const report = this.finalReport('succeeded')
    report.bytesDone = report.bytesTotal
    const nothing = nothingImported(report)
    if (nothing) return this.failNothing(report, nothing)
    this.save('succeeded', report)
    this.log('INFO', `done: ${report.imported} lines imported, ${report.failed} failed, in ${(report.elapsedMs / 1000).toFixed(1)} s`)
    return { outcome: 'succeeded', report }
  }

  /**
   * Every file read to its end, lines failed and none imported (continueOnError): the import failed,
   * `reason` saying so (nothingImported), in its own words rather than TuGraph's "was imported N lines".
   */
  private failNothing(report: ImportReport, reason: string): ImportEnd {
    report.state = 'failed'
    report.reason = reason
    this.save('failed', report)
    this.log('ERROR', `failed: ${reason}`)
    return { outcome: 'failed', report, reason, nothingImported: true }
  }

  private halt(): ImportEnd {
    const shutdown = this.io.stop() === STOP.shutdown
    const report = cancelledFiles(this.finalReport(shutdown ? 'running' : 'cancelled'))
    if (!shutdown) this.save('cancelled', report)
    // the package in progress was rolled back: progress falls back to the committed packages' bytes
    this.progress.send(this.bytesDone, this.report)
    this.log('WARN', `${shutdown ? 'interrupted by shutdown' : 'cancelled'} after ${this.report.packagesDone} committed packages (${report.imported} lines imported); a package in progress was rolled back`)
    return { outcome: shutdown ? 'interrupted' : 'cancelled', report }
  }

  private failOnLine(e: LineFailure): ImportEnd {
    const fi = this.current.index
    const report = this.finalReport('failed')
    const fr: FileReport = report.files[fi]
    fr.lines += e.packageLines
    fr.failed += 1
    fr.rolledBack += e.packageLines - 1
    // the failing package was read to the failing line and on (then rolled back): progress is bytes read
    report.bytesDone = Math.min(report.bytesTotal, this.bytesDone + e.packageBytes)
    if (fr.failures.length < MAX_FAILED_LINES && this.listed < MAX_REPORT_FAILED_LINES) fr.failures.push(failedLine(e.line, e.text, e.reason))
    sumUp(report)
    let rolledBack: RolledBackPackage | undefined
    if (e.packageLines > 1) {
      rolledBack = { first: e.firstLine, last: e.lastLine, failedLine: e.line, rolledBack: e.packageLines - 1 }
      fr.notes.push(rolledBackWords(rolledBack)) // what the file's "rolled back" count was
    }
    const shown = failedLine(e.line, e.text, e.reason) // the line and reason as cut for the report: the reason is saved with the job
    const says = (line: string) => `${this.current.path} line ${line}: ${shown.reason}\n>Error line:\n\t${shown.text}`
    // JobDesk's words group the line number's digits as its other counts; TuGraph's text keeps them as TuGraph writes them
    return this.fail(says(formatCount(e.line)), report, rolledBack, says(String(e.line)))
  }

  /** `tugraphError`: the error as TuGraph's text says it, where it differs from JobDesk's `error`. */
  private fail(error: string, from?: ImportReport, rolledBack?: RolledBackPackage, tugraphError = error): ImportEnd {
    const report = from ?? this.finalReport('failed')
    report.state = 'failed'
    const fr = report.files[this.current.index]
    if (fr) fr.state = 'failed'
    report.reason = importReason(error, this.importedFiles, fr && { path: fr.path, imported: fr.imported, rolledBack })
    // TuGraph's clients read its own text in import_progress: its count is of the file's lines read, header included
    report.tugraphReason = tugraphReason(tugraphError, this.importedFiles, this.current.path, this.current.lines)
    this.save('failed', report)
    this.log('ERROR', `failed: ${error}`)
    return { outcome: 'failed', report, reason: report.reason, error }
  }
}

/** `report` with the files it had not ended (running, pending) cancelled. */
function cancelledFiles(report: ImportReport): ImportReport {
  for (const f of report.files) if (f.state === 'running' || f.state === 'pending') f.state = 'cancelled'
  return report
}

/**
 * Why an import that read all its files failed though no line stopped it: lines failed and none was
 * imported (continueOnError), with the first failed line and its reason. TuGraph calls such a task
 * done (state "2", reference/tugraph.md §3) and its users lose rows unawares (issue #166); loaders
 * that count what they load (neo4j-admin import, NebulaGraph Importer, GES here) call it a failure.
 * Null when something was imported or nothing failed (an empty file is no failure).
 */
export function nothingImported(report: ImportReport): string | null {
  if (report.imported > 0 || report.failed === 0) return null
  const file = report.files.find((f) => f.failures.length > 0)
  const first = file && file.failures[0]
  const all = report.failed === 1 ? 'its 1 data line failed' : `all ${report.failed} data lines failed`
  return `nothing was imported: ${all}${first ? ` (first: ${file.path} line ${first.line}: ${first.reason})` : ''}`
}
