// Where an import task stands, kept in the graph file itself and written in the same transaction
// as each package: after a crash the committed packages and the counts they carry agree exactly,
// which is what resuming by task id (TuGraph's skipPackages bookkeeping) needs. Each file of the
// task has a row of its own (import_task_files: its fingerprint and report entry), so a package's
// commit writes the task's row and its own file's row: rewriting every file's entry made an import
// of thousands of small files quadratic (4,000 one-line files: 208 s).
import type { FileReport, ImportReport, ImportState } from '../../../shared/graph'
import type { GraphConnection } from '../store/graph-file'

export interface ImportRecord {
  taskId: string
  state: ImportState
  /**
   * Where the task stands: the index (over all its files, vertex files first) of the package after
   * the last one committed. A resumed run passes over max(skipPackages, position) packages.
   */
  position: number
  /** The files as the task first saw them: a resumed run must see the same bytes. */
  files: { path: string; bytes: number }[]
  /** Counts as of the last committed package. */
  report: ImportReport
  /** The report the task ended with (it may add the failed line of a rolled-back package). */
  finalReport: ImportReport | null
}

interface Row {
  task_id: string
  state: string
  position: number
  files: string
  report: string
  final_report: string | null
}

/** The task row's `files` when its files are in import_task_files (older records hold a JSON array there). */
const IN_ROWS = 'rows'

export class ImportRecords {
  private readonly select
  private readonly selectFiles
  private readonly upsert
  private readonly upsertFile

  constructor(private readonly db: GraphConnection) {
    this.select = db.prepare<[string], Row>('SELECT * FROM import_tasks WHERE task_id = ?')
    this.selectFiles = db.prepare<[string], { path: string; bytes: number; report: string }>('SELECT path, bytes, report FROM import_task_files WHERE task_id = ? ORDER BY idx')
    this.upsert = db.prepare(
      `INSERT INTO import_tasks (task_id, state, position, files, report, final_report, updated_at)
       VALUES (@taskId, @state, @position, @files, @report, @finalReport, @now)
       ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, position = excluded.position, files = excluded.files,
         report = excluded.report, final_report = excluded.final_report, updated_at = excluded.updated_at`,
    )
    this.upsertFile = db.prepare<[string, number, string, number, string]>(
      `INSERT INTO import_task_files (task_id, idx, path, bytes, report) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (task_id, idx) DO UPDATE SET path = excluded.path, bytes = excluded.bytes, report = excluded.report`,
    )
  }

  /**
   * The task's record, its report with every file's entry, or undefined when there is none. Read in
   * one transaction: a status read from another connection while the import commits packages saw the
   * task's row of one commit and file rows of the next (totals that did not add up, CI of stop 38).
   */
  get(taskId: string): ImportRecord | undefined {
    return this.db.transaction(() => this.readNow(taskId))()
  }

  private readNow(taskId: string): ImportRecord | undefined {
    const r = this.select.get(taskId)
    if (!r) return undefined
    const report = JSON.parse(r.report) as ImportReport
    let files: ImportRecord['files']
    if (r.files === IN_ROWS) {
      const rows = this.selectFiles.all(taskId)
      files = rows.map(({ path, bytes }) => ({ path, bytes }))
      report.files = rows.map((f) => JSON.parse(f.report) as FileReport)
    } else {
      files = JSON.parse(r.files) as ImportRecord['files']
    }
    return {
      taskId: r.task_id,
      state: r.state as ImportState,
      position: r.position,
      files,
      report,
      finalReport: r.final_report === null ? null : (JSON.parse(r.final_report) as ImportReport),
    }
  }

  /**
   * Saves the record: the task's row and the rows of the files `changed` names (indexes into
   * `rec.files`), all of them when not given (the first save of a run must write them all).
   */
  save(rec: ImportRecord, changed?: readonly number[]): void {
    this.upsert.run({
      taskId: rec.taskId,
      state: rec.state,
      position: rec.position,
      files: IN_ROWS,
      report: JSON.stringify({ ...rec.report, files: [] }),
      finalReport: rec.finalReport === null ? null : JSON.stringify(rec.finalReport),
      now: Date.now(),
    })
    for (const i of changed ?? rec.files.keys()) this.upsertFile.run(rec.taskId, i, rec.files[i].path, rec.files[i].bytes, JSON.stringify(rec.report.files[i]))
  }
}
