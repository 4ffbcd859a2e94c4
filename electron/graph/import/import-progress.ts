// The progress an import run reports while it runs (import-run.ts): how often it speaks, and the
// rate and elapsed time it reports and saves.
import type { ImportReport } from '../../../shared/graph'
import type { ReportChange } from './report'

/** A progress event of an import run: bytes of its files done of all, lines imported and failed so far, rows a second this run. */
export interface ImportProgressEvent {
  type: 'progress'
  bytesDone: number
  bytesTotal: number
  imported: number
  failed: number
  rowsPerSecond: number
  /** The whole report: sent once, when the files are planned. */
  report?: ImportReport
  /** What a committed package changed in it since (the files it touched). */
  change?: ReportChange
}

/** Progress is reported at least this often (ms) while a package is parsed and written. */
const EVERY_MS = 200
/** ...and after each eighth of a package, so a package is seen moving however fast the machine imports it... */
const PACKAGE_PARTS = 8
/**
 * ...but no closer than 64 KiB: a request may choose packages of 16 bytes, and skipping each of them
 * (skipPackages) would otherwise send the main thread a message per 16 bytes of the file.
 */
const PART_BYTES_MIN = 64 * 1024

/**
 * One run's progress, sent with `emit`: when the files are planned (planned), after each committed
 * package and at a stop (send), and between batches every EVERY_MS or every eighth of a package of
 * `packageBytes` bytes, whichever comes first (between). Counts the rows this run handled,
 * for its rate, and the time since it started, plus the task's earlier runs (resumed).
 */
export class ImportProgress {
  private readonly started = Date.now()
  /** Time spent by the task's earlier runs (resumed tasks), in ms. */
  private elapsedBefore = 0
  /** Rows this run imported or counted as failed. */
  private rows = 0
  /** When progress was last sent (epoch ms); 0 before, so the first check between batches sends. */
  private lastAt = 0
  /** Bytes done at the last progress sent. */
  private lastBytes = 0

  constructor(
    private readonly emit: (e: ImportProgressEvent) => void,
    private readonly packageBytes: number,
  ) {}

  /** A resumed task: `elapsedMs` were spent by its earlier runs (its report's elapsedMs). */
  resumed(elapsedMs: number): void {
    this.elapsedBefore = elapsedMs
  }

  /** Counts `n` more rows handled this run (imported, or failed and kept going). */
  count(n: number): void {
    this.rows += n
  }

  /** Sends the whole `report` (files planned, nothing of this run done yet); the next check between batches still sends. */
  planned(report: ImportReport): void {
    this.emit({ type: 'progress', bytesDone: 0, bytesTotal: report.bytesTotal, imported: report.imported, failed: report.failed, rowsPerSecond: 0, report })
  }

  /** Between batches, at `bytesDone` bytes of all files: sends progress when EVERY_MS passed or an eighth of a package (PART_BYTES_MIN at the least) was done since the last. */
  between(bytesDone: number, report: ImportReport): void {
    if (Date.now() - this.lastAt >= EVERY_MS || bytesDone - this.lastBytes >= Math.max(this.packageBytes / PACKAGE_PARTS, PART_BYTES_MIN)) this.send(bytesDone, report)
  }

  /** Rows a second this run has handled since it started (0 at its start). */
  rate(): number {
    const seconds = (Date.now() - this.started) / 1000
    return seconds > 0 ? this.rows / seconds : 0
  }

  /** Milliseconds the task has run: this run and its earlier ones. */
  elapsed(): number {
    return this.elapsedBefore + (Date.now() - this.started)
  }

  /**
   * Sends progress now, at `bytesDone` bytes of all files and `report`'s counts: after a commit with
   * `change` (what it changed in `report`), at a stop with the committed packages' bytes.
   */
  send(bytesDone: number, report: ImportReport, change?: ReportChange): void {
    this.lastAt = Date.now()
    this.lastBytes = bytesDone
    this.emit({ type: 'progress', bytesDone, bytesTotal: report.bytesTotal, imported: report.imported, failed: report.failed, rowsPerSecond: this.rate(), ...(change ? { change } : {}) })
  }
}
