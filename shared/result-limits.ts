// Bounds of what one job keeps of its result rows, shared by the writer (store/result.repository.ts,
// for every executor) and the renderer, which names them where a cut result is shown.

import { formatSize } from './number-format'
import { KEPT_BYTES_COUNTS } from './quotas'

/**
 * UTF-8 bytes of stored row JSON (ResultSetMeta.bytes, what result_rows keeps) one job keeps at most
 * across all its result sets: 256 MiB. Past it the set being written is cut as at its row cap
 * (`truncated`) and later sets keep no rows. Each row is capped (MAX_ROW_CHARS) and each set
 * (its row cap), but one statement of 1,200 rows of 256 KiB kept ~300 MiB in jobdesk.db (550 MiB
 * with its WAL) in 5 s, for a user granted nothing (#9, attack-sql-disk-fill).
 */
export const MAX_RESULT_BYTES_PER_JOB = 256 * 1024 * 1024

/** Why a result set was cut short of its rows: the job's budget (MAX_RESULT_BYTES_PER_JOB) or its submitter's quota (shared/quotas.ts). */
export type ResultCut =
  /** `keptBytes`: characters of row JSON the job keeps now. */
  | { by: 'job'; keptBytes: number }
  /** `keptBytes`: what all of `submitter`'s jobs keep now (shared/quotas.ts MAX_KEPT_BYTES_PER_USER), against `maxBytes`. */
  | { by: 'user'; submitter: string; maxBytes: number; keptBytes: number }

/**
 * The WARN a job's log gets where a set was cut at `rows` rows by `cut`, naming the bound and what is
 * kept; every executor writes the same words (a SQL job prefixes its statement).
 */
export function resultCutText(rows: number, cut: ResultCut): string {
  return cut.by === 'job'
    ? `result cut at ${rows} rows: a job keeps at most ${formatSize(MAX_RESULT_BYTES_PER_JOB)} of result rows, and it keeps ${formatSize(cut.keptBytes)}`
    : `result cut at ${rows} rows: a user's jobs keep at most ${formatSize(cut.maxBytes)} in all (${KEPT_BYTES_COUNTS}), and ${cut.submitter}'s keep ${formatSize(cut.keptBytes)}: delete some finished jobs to keep more`
}
