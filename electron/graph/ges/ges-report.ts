// What a GES import-graph job reports: GES's job_detail entries, one per file, with its line counts
// (reference/ges-job-center-api.txt). Shared by the import executor and the GES dialect.
import type { GesFileDetail, GesImportFiles, ImportPhase, ImportReport } from '../../../shared/graph'
import type { FailureCause } from '../errors'

/** One file of job_detail (GES's per-file import status): shared with the Imports page. */
export type { GesFileDetail } from '../../../shared/graph'

export interface GesJobDetail {
  schema_path: GesFileDetail[] | null
  edgeset_path: GesFileDetail[] | null
  vertexset_path: GesFileDetail[] | null
}

/** What a GES import-graph job keeps as its output: the report per GES file, beside the import's own. */
export interface GesImportOutput {
  ges: GesImportFiles
  report?: ImportReport
  /** Why it failed, when the cause is known (../errors.ts failureOf). */
  failure?: FailureCause
  /**
   * Bytes of the job's GES data files (ges-split.ts GesSplitResult.bytes), once they were split: `bytesTotal`
   * of every vertex and edge file (a file whose every line failed, one not reached), `bytesDone` of them
   * read (the file it ended in as far as it was read). `report`'s are of the split parts, which leave out
   * the lines that failed in the split; the job's read/total figures are these (importStatus).
   */
  bytes?: { bytesDone: number; bytesTotal: number }
}


/** How many errors a failure's reason quotes. */
const QUOTED_ERRORS = 3

/**
 * Why an import-graph job that imported none of its files' lines while every one failed fails (#9):
 * "none of the N lines of the files was imported: all N failed; first: <error>; <error>…" (the first
 * QUOTED_ERRORS of `errors`, each naming its GES file).
 */
export function nothingImportedReason(details: GesFileDetail[], errors: string[]): string {
  const lines = details.reduce((n, d) => n + Math.max(0, d.total_lines), 0)
  const failed = details.reduce((n, d) => n + Math.max(0, d.failed_lines), 0)
  return `none of the ${lines} lines of the files was imported: all ${failed} failed; first: ${errors.slice(0, QUOTED_ERRORS).join('; ')}`
}

/** Whether an import-graph job took none of its files' lines and at least one of them failed. */
export const nothingImported = (details: GesFileDetail[]): boolean => details.every((d) => d.successful_lines <= 0) && details.some((d) => d.failed_lines > 0)

/**
 * The share of a GES import-graph job's progress its split takes: the split reads the user's files and
 * writes the parts, the import reads the parts and writes the graph. Measured on 2 cores under load
 * (8-13): 1,500,000 vertex lines of one label split in 6.1 s, imported in 12.4 s (33%); the PERFORMANCE.md
 * bench's shape (200,000 vertices, 1,000,000 edges) 9.4 s and 10.5 s (47%). 0.4 lies between: the bar
 * is off by at most ~7 points of the job at the switch, and never goes back.
 */
export const SPLIT_SHARE = 0.4

/**
 * A running GES import-graph job's progress, 0..1, from its phase and that phase's `fraction` (0..1,
 * bytes read of all): the split counts 0..SPLIT_SHARE, the import the rest, so it never goes back as
 * the import starts; between the two (`preparing`, `waiting`) it stands at SPLIT_SHARE, whatever
 * `fraction` (those phases keep the split's figures). The executor's job progress and the import status's both use it.
 */
export function gesImportProgress(phase: ImportPhase, fraction: number): number {
  const f = Math.max(0, Math.min(1, fraction))
  if (phase === 'preparing' || phase === 'waiting') return SPLIT_SHARE
  return phase === 'splitting' ? SPLIT_SHARE * f : SPLIT_SHARE + (1 - SPLIT_SHARE) * f
}

