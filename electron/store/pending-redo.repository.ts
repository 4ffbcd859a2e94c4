import type { Db } from './connection'

export type PendingRedoRepository = ReturnType<typeof createPendingRedoRepository>

/**
 * A redo taken while its job is cancelling, kept until it has run (table pending_redos, migration 047).
 * `names`: the task names asked for, null for every unfinished one; `context`: the JSON text of the
 * context patch, null for none, with what it weighs (engine ContextPatchWeight: chars, extra).
 */
export interface PendingRedo {
  id: number
  jobId: number
  names: string[] | null
  context: string | null
  patch: { chars: number; extra: number } | undefined
}

interface Row {
  id: number
  job_id: number
  names: string | null
  context: string | null
  patch_chars: number
  patch_extra: number
}

const fromRow = (r: Row): PendingRedo => ({
  id: r.id,
  jobId: r.job_id,
  names: r.names === null ? null : (JSON.parse(r.names) as string[]),
  context: r.context,
  patch: r.context === null ? undefined : { chars: r.patch_chars, extra: r.patch_extra },
})

/** Redos waiting for their job's cancel to end, in the order they were taken. */
export function createPendingRedoRepository(db: Db, now: () => number) {
  const insert = db.prepare('INSERT INTO pending_redos (job_id, names, context, patch_chars, patch_extra, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const count = db.prepare<[number], number>('SELECT count(*) FROM pending_redos WHERE job_id = ?').pluck()
  const ofJob = db.prepare<[number], Row>('SELECT * FROM pending_redos WHERE job_id = ? ORDER BY id')
  const jobs = db.prepare<[], number>('SELECT DISTINCT job_id FROM pending_redos ORDER BY job_id').pluck()
  const remove = db.prepare('DELETE FROM pending_redos WHERE id = ?')
  const patchesOf = db.prepare<[string], number>(
    'SELECT coalesce(sum(p.patch_chars + p.patch_extra), 0) FROM pending_redos p JOIN jobs j ON j.id = p.job_id WHERE j.submitter = ?',
  ).pluck()
  return {
    /** Stores a redo of `jobId`; its id. */
    add(jobId: number, names: string[] | null, context: string | null, patch?: { chars: number; extra: number }): number {
      return Number(insert.run(jobId, names && JSON.stringify(names), context, patch?.chars ?? 0, patch?.extra ?? 0, now()).lastInsertRowid)
    },
    /** How many redos of `jobId` wait. */
    count(jobId: number): number {
      return count.get(jobId) ?? 0
    },
    /** The redos of `jobId` that wait, oldest first. */
    ofJob(jobId: number): PendingRedo[] {
      return ofJob.all(jobId).map(fromRow)
    },
    /** The jobs that have redos waiting. */
    jobIds(): number[] {
      return jobs.all()
    },
    /** What the context patches of `submitter`'s waiting redos weigh together (ContextPatchWeight chars + extra; 0 for none). */
    patchBytesOf(submitter: string): number {
      return patchesOf.get(submitter) ?? 0
    },
    /** Forgets a redo (run, or failed to run). */
    remove(id: number): void {
      remove.run(id)
    },
  }
}
