// JobDesk's import states in TuGraph's words (DESIGN.md's state table; reference/tugraph.md §1.9).

import type { ImportStatus } from '../../../../shared/graph'
import type { JobStatus } from '../../../../shared/status'

/** TuGraph's import_progress states: "1" running (also while queued: TuGraph's "0" reads as failure to its browser), "2" done, "3" failed. */
const STATE_OF: Record<JobStatus, '1' | '2' | '3'> = {
  queued: '1',
  running: '1',
  cancelling: '1',
  succeeded: '2',
  failed: '3',
  cancelled: '3',
  timed_out: '3',
}

/**
 * import_progress's data: TuGraph's `state`, `progress` (a fraction 0..1 as a string, while "1")
 * and `reason` (when "3"), then JobDesk's additions, which TuGraph's clients ignore: the job id and
 * status, the line totals, the packages committed and skipped (what skipPackages counts), per
 * file its line counts and first failed lines (issue #166's ask), and while it runs its phase
 * (`splitting` a GES import's files, `preparing` its labels, `waiting` for another import into the
 * graph, `importing`), bytes read of all in that phase (the last known ones while preparing or
 * waiting) and the file split.
 */
export function progressData(s: ImportStatus): Record<string, unknown> {
  const state = STATE_OF[s.status as JobStatus] ?? '3'
  const data: Record<string, unknown> = { state }
  if (state === '1') data.progress = String(s.status === 'queued' ? 0 : s.progress)
  if (state === '3') data.reason = s.report?.tugraphReason ?? s.report?.reason ?? s.error ?? s.status // TuGraph's own text where JobDesk's differs
  return {
    ...data,
    jobId: s.jobId,
    status: s.status,
    graph: s.graph,
    // the report's totals: committed, over every run of the task (live figures count this run only)
    imported: s.report?.imported ?? 0,
    failed: s.report?.failed ?? 0,
    packagesDone: s.report?.packagesDone ?? 0,
    packagesSkipped: s.report?.packagesSkipped ?? 0,
    files: s.report?.files ?? [],
    // while it runs: what it does (a GES import-graph's split of its files first, a wait for the graph), its bytes read of all in that phase, the file the split reads
    ...(s.live ? { phase: s.live.phase, bytesDone: s.live.bytesDone, bytesTotal: s.live.bytesTotal, file: s.live.file } : {}),
  }
}
