// A job's row: storing a job with its tasks, reading it (whole, or without its state), saving its
// state, failing it at recovery (quarantine), deleting it (its other rows swept afterwards: row-sweeper.ts).
import { jsonShapeOf } from '../../../shared/json-limits'
import { heldJsonWeight } from '../../../shared/quotas'
import { toJson, type Db } from '../connection'
import type { JobChanges } from '../job-changes'
import { rowSweeper } from '../row-sweeper'
import { heldWeightPastChars, stateJsonShaped } from '../state-json'
import { JOB_SELECT, toJob, type JobRecord, type JobRow, type NewJob, type StopStatus } from './job-records'
import type { createJobValues } from './job-values'
import type { NewTask, TaskRecord } from './task-records'
import type { createTaskRows } from './task-rows'

/** What createJobRows uses of the job_values and tasks modules. */
export interface JobRowsDeps {
  insertValues: ReturnType<typeof createJobValues>['insertValues']
  writeValue: ReturnType<typeof createJobValues>['writeValue']
  insertTasks: ReturnType<typeof createTaskRows>['insertTasks']
}

/**
 * The jobs-row statements and the repository's job methods. `now` stamps created_at / updated_at;
 * `changes` hears of every write of a job's row.
 */
export function createJobRows(db: Db, now: () => number, changes: JobChanges, { insertValues, writeValue, insertTasks }: JobRowsDeps) {
  const insertJobRow = db.prepare(
    `INSERT INTO jobs (uuid, kind, name, status, workflow_id, parent_job_id, submitter, labels, created_at, updated_at, input_bytes, input_weight)
     VALUES (@uuid, @kind, @name, 'queued', @workflowId, @parentJobId, @submitter, @labels, @now, @now, @inputBytes, @inputWeight)`,
  )
  const selectJob = db.prepare<[number], JobRow>(`${JOB_SELECT} WHERE j.id = ?`)
  const selectJobByUuid = db.prepare<[string], JobRow>(`${JOB_SELECT} WHERE j.uuid = ?`)
  const selectJobWithoutState = db.prepare<[number], JobRow>(
    `SELECT id, uuid, kind, name, status, progress, workflow_id, parent_job_id, NULL AS input, NULL AS context, NULL AS result, error, submitter, labels, created_at, started_at, finished_at
     FROM jobs WHERE id = ?`,
  )
  const selectIdByUuid = db.prepare<[string], { id: number }>('SELECT id FROM jobs WHERE uuid = ?')
  const countUnfinishedBySubmitter = db.prepare<[], { submitter: string; status: 'queued' | 'running'; n: number }>(
    `SELECT submitter, status, count(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY submitter, status`,
  )
  const selectUnfinished = db.prepare<[], { id: number }>(
    `SELECT id FROM jobs WHERE status IN ('queued', 'running', 'cancelling') ORDER BY id`,
  )
  const selectUnfinishedImportGraphs = db.prepare<[], { id: number; graph: string | null }>(
    `SELECT id, json_extract(labels, '$.graph') AS graph FROM jobs WHERE kind = 'import' AND status IN ('queued', 'running', 'cancelling') ORDER BY id`,
  )
  const updateJob = db.prepare(
    `UPDATE jobs SET status = @status, progress = @progress, error = @error,
       started_at = @startedAt, finished_at = @finishedAt, stop_as = @stopAs, updated_at = @now WHERE id = @id`,
  )
  const selectStopAs = db.prepare<[number], { stopAs: StopStatus | null }>("SELECT stop_as AS stopAs FROM jobs WHERE id = ? AND status = 'cancelling'")
  const unparentJobs = db.prepare('UPDATE jobs SET parent_job_id = NULL WHERE parent_job_id = ?')
  const setLabelRow = db.prepare<[string, string, number, number]>('UPDATE jobs SET labels = json_set(labels, ?, ?), updated_at = ? WHERE id = ?')
  const selectRerunOf = db.prepare<[number], { rerunOf: string | null }>("SELECT json_extract(labels, '$.rerunOf') AS rerunOf FROM jobs WHERE id = ?")
  const selectChildren = db.prepare<[number], { id: number }>('SELECT id FROM jobs WHERE parent_job_id = ?')
  const failJobRow = db.prepare(`UPDATE jobs SET status = 'failed', error = @reason, finished_at = @now, updated_at = @now WHERE id = @id`)
  const failTaskRows = db.prepare(
    `UPDATE tasks SET status = 'failed', error = @reason, finished_at = @now WHERE job_id = @id AND status IN ('queued', 'running', 'cancelling')`,
  )

  /**
   * Stores a job and its tasks and returns their stored records; call inside a transaction. (The
   * job's record is made from the row as written, not read back: an input or context of megabytes
   * costs a read of them for nothing (#9 §2); a nested transaction per job would add a savepoint
   * each, ~40 µs.)
   */
  function insertJob(job: NewJob, tasks: NewTask[]): { job: JobRecord; tasks: TaskRecord[] } {
    const row = {
      uuid: job.uuid,
      kind: job.kind,
      name: job.name,
      workflowId: job.workflowId ?? null,
      parentJobId: job.parentJobId ?? null,
      submitter: job.submitter,
      labels: JSON.stringify(job.labels ?? {}),
      now: now(),
    }
    const input = job.inputJson ?? toJson(job.input)
    const context = job.contextTail !== undefined && input !== null ? null : (job.contextJson ?? toJson(job.context ?? undefined))
    // what its input keeps counts against its submitter's quota from here on (migration 036; ~0.1 ms for 1 MB)
    const inputBytes = input === null ? 0 : Buffer.byteLength(input)
    // and what it holds while unfinished, by its shape (migration 046): counted where it was parsed, or here (a small
    // input serialized above: 64 KB ~0.5 ms; a script's code is one string, skipped whole)
    const inputWeight = input === null ? 0 : heldJsonWeight(inputBytes, (job.inputJson !== undefined && job.inputShape) || jsonShapeOf(input))
    const id = Number(insertJobRow.run({ ...row, inputBytes, inputWeight }).lastInsertRowid)
    insertValues(id, { text: input, value: job.input }, { text: context, tail: job.contextTail, value: job.context })
    const rerunOf = Number(job.labels?.rerunOf)
    if (Number.isInteger(rerunOf)) changes.changed(rerunOf) // its detail lists its reruns
    const inputCode = (job.input as { code?: unknown } | null | undefined)?.code
    const stored: JobRow = {
      id,
      uuid: row.uuid,
      kind: row.kind,
      name: row.name,
      status: 'queued',
      progress: 0,
      workflow_id: row.workflowId,
      parent_job_id: row.parentJobId,
      input,
      context,
      result: null,
      error: null,
      submitter: row.submitter,
      labels: row.labels,
      created_at: row.now,
      started_at: null,
      finished_at: null,
    }
    // the input is parsed from the text written (a copy, as a read would give: the caller may share
    // its values with the context), unless the caller gave its text (inputJson: its value is handed
    // over, as the context is); parsing 4 MB back cost 20+ ms, and a context of 30,000 keys ~30 ms (#9 §2)
    const record = toJob({ ...stored, input: job.inputJson === undefined ? input : null, context: null })
    const made = { ...record, ...(job.inputJson === undefined ? {} : { input: job.input ?? null }), context: job.context ?? null }
    return { job: made, tasks: insertTasks(id, tasks, typeof inputCode === 'string' && input !== null ? inputCode : undefined) }
  }

  return {
    /** Stores a job and its tasks; returns the job's id. */
    create: db.transaction((job: NewJob, tasks: NewTask[]): number => insertJob(job, tasks).job.id),
    /** Stores a batch of jobs in one transaction (all or none); returns their stored records in order. */
    createMany: db.transaction((batch: { job: NewJob; tasks: NewTask[] }[]) => batch.map(({ job, tasks }) => insertJob(job, tasks))),
    /** The whole job (its input, context and result parsed), or undefined when there is no such job. */
    get(id: number): JobRecord | undefined {
      const row = selectJob.get(id)
      return row && toJob(row)
    },
    /**
     * The job without its input, context and result (null in the record): for views that show none of
     * them, or answer them as stored text (stateText). Each may be megabytes; nothing here parses them.
     */
    getWithoutState(id: number): JobRecord | undefined {
      const row = selectJobWithoutState.get(id)
      return row && toJob(row)
    },
    /** As get(), by the job's uuid. */
    getByUuid(uuid: string): JobRecord | undefined {
      const row = selectJobByUuid.get(uuid)
      return row && toJob(row)
    },
    /** A job's id by its uuid, without reading its state (which may be large). */
    idOfUuid(uuid: string): number | undefined {
      return selectIdByUuid.get(uuid)?.id
    },
    /**
     * Fails a stored job and its queued or running tasks with `reason`, without reading its state:
     * what recovery does with a job it cannot take up, so a restart never stumbles on it again.
     */
    quarantine: db.transaction((id: number, reason: string, now: number): void => {
      changes.changed(id)
      failJobRow.run({ id, reason, now })
      failTaskRows.run({ id, reason, now })
    }),
    /**
     * Sets one label of a stored job (`key`: letters only, a JobDesk key such as `warning`; the
     * engine's setJobLabel keeps its live record the same). Throws for another key.
     */
    setLabel(id: number, key: string, value: string): void {
      if (!/^[A-Za-z]+$/.test(key)) throw new Error(`job label key ${JSON.stringify(key)} is not a JobDesk key`)
      changes.changed(id)
      setLabelRow.run(`$.${key}`, value, now(), id)
    },
    /** The state a `cancelling` job ends in once its stop is over, as saveJob stored it; null for a cancel, or a job not cancelling. */
    stopAs(id: number): StopStatus | null {
      return selectStopAs.get(id)?.stopAs ?? null
    },
    /**
     * How many jobs each submitter has queued and running now (sub-flows too: each is a job), by
     * username; a submitter with none is absent. What Settings → Users says disabling them stops.
     */
    unfinishedBySubmitter(): Map<string, { running: number; queued: number }> {
      const out = new Map<string, { running: number; queued: number }>()
      for (const r of countUnfinishedBySubmitter.all()) {
        const counts = out.get(r.submitter) ?? { running: 0, queued: 0 }
        counts[r.status] = r.n
        out.set(r.submitter, counts)
      }
      return out
    },
    /** Ids of the jobs queued, running or cancelling (what recovery takes up at start), in id order. */
    unfinishedIds(): number[] {
      return selectUnfinished.all().map((r) => r.id)
    },
    /**
     * The import jobs queued, running or cancelling, with their graphs (label `graph`), in id order: what
     * dropping a graph or changing its labels or data waits for (GraphHost.busyGraphs names the jobs).
     */
    unfinishedImportGraphs(): { graph: string; jobId: number }[] {
      return selectUnfinishedImportGraphs.all().flatMap((r) => (typeof r.graph === 'string' ? [{ graph: r.graph, jobId: r.id }] : []))
    },
    /**
     * Saves a job's row; `withContext: false` leaves the stored context as it is (a large
     * workflow context is rewritten only when it changed, not on every progress step);
     * `withResult: false` stores no result (a job whose result is its context, JobDriver.resultIsContext).
     * `stopAs`: the state the job ends in once its stop is over (StopStatus; null: none, or cancelled).
     * Throws StateNotStorableError (state-json.ts) when the context or result is too large or not JSON.
     */
    saveJob(j: JobRecord, withContext = true, withResult = true, stopAs: StopStatus | null = null): void {
      changes.changed(j.id)
      // their shapes as their depth checks counted them: a context of tiny lists or maps (what a wakeup's
      // output mappings or a redo's patch write into it) is held by its nodes, not its characters (048)
      const result = withResult ? stateJsonShaped(j.result, `the result of job ${j.id}`) : null
      const context = withContext ? stateJsonShaped(j.context ?? undefined, `the context of job ${j.id}`) : undefined
      updateJob.run({ id: j.id, status: j.status, progress: j.progress, error: j.error, startedAt: j.startedAt, finishedAt: j.finishedAt, stopAs, now: now() })
      writeValue(j.id, 'result', result?.text ?? null, j.result, result ? heldWeightPastChars(result) : 0)
      if (context !== undefined) writeValue(j.id, 'context', context.text, j.context, heldWeightPastChars(context))
    },
    /**
     * Deletes a job with its tasks, log lines and result sets; sub-jobs it started stay, unparented.
     * The job is gone for every reader on return; its other rows (millions of result rows, say) are
     * removed afterwards in short steps (row-sweeper.ts). Returns false when there is no such job.
     * @throws Error when called inside a transaction (RowSweeper.deleteJobRow)
     */
    delete(id: number): boolean {
      return rowSweeper(db).deleteJobRow(id, () => {
        // the job, the one it reran (its reruns list) and the sub-jobs it unparents all change
        changes.changed(id)
        const rerunOf = Number(selectRerunOf.get(id)?.rerunOf)
        if (Number.isInteger(rerunOf)) changes.changed(rerunOf)
        for (const child of selectChildren.all(id)) changes.changed(child.id)
        unparentJobs.run(id)
      })
    },
  }
}
