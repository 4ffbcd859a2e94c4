// What a GES import-graph job reports: GES's job_detail entries, one per file, with its line counts
// (reference/ges-job-center-api.txt). Shared by the import executor and the GES dialect.
import type { ImportReport } from '../../../shared/graph'
import type { FailureCause } from '../errors'

/** One file of job_detail (GES's per-file import status). */
export interface GesFileDetail {
  path: string
  log: string | null
  status: 'success' | 'failed' | 'partFailed' | null
  cause: string | null
  total_lines: number
  failed_lines: number
  successful_lines: number
}

export interface GesJobDetail {
  schema_path: GesFileDetail[] | null
  edgeset_path: GesFileDetail[] | null
  vertexset_path: GesFileDetail[] | null
}

/** What a GES import-graph job keeps as its output: the report per GES file, beside the import's own. */
export interface GesImportOutput {
  ges: { schema: GesFileDetail[]; edges: GesFileDetail[]; vertices: GesFileDetail[] }
  report?: ImportReport
  /** Why it failed, when the cause is known (../errors.ts failureOf). */
  failure?: FailureCause
}

