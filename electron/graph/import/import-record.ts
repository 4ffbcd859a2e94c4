// Where an import task stands, kept in the graph file itself and written in the same transaction
// as each package: after a crash the committed packages and the counts they carry agree exactly,
// which is what resuming by task id (TuGraph's skipPackages bookkeeping) needs.
import type { ImportReport, ImportState } from '../../../shared/graph'
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

export class ImportRecords {
  private readonly select
  private readonly upsert

  constructor(db: GraphConnection) {
    this.select = db.prepare<[string], Row>('SELECT * FROM import_tasks WHERE task_id = ?')
    this.upsert = db.prepare(
      `INSERT INTO import_tasks (task_id, state, position, files, report, final_report, updated_at)
       VALUES (@taskId, @state, @position, @files, @report, @finalReport, @now)
       ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, position = excluded.position, files = excluded.files,
         report = excluded.report, final_report = excluded.final_report, updated_at = excluded.updated_at`,
    )
  }

  get(taskId: string): ImportRecord | undefined {
    const r = this.select.get(taskId)
    if (!r) return undefined
    return {
      taskId: r.task_id,
      state: r.state as ImportState,
      position: r.position,
      files: JSON.parse(r.files) as ImportRecord['files'],
      report: JSON.parse(r.report) as ImportReport,
      finalReport: r.final_report === null ? null : (JSON.parse(r.final_report) as ImportReport),
    }
  }

  save(rec: ImportRecord): void {
    this.upsert.run({
      taskId: rec.taskId,
      state: rec.state,
      position: rec.position,
      files: JSON.stringify(rec.files),
      report: JSON.stringify(rec.report),
      finalReport: rec.finalReport === null ? null : JSON.stringify(rec.finalReport),
      now: Date.now(),
    })
  }
}
