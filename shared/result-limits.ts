// Bounds of what one job keeps of its result rows, shared by the writer (the SQL worker, through
// store/result.repository.ts) and the renderer, which names them where a cut result is shown.

/**
 * Characters of stored row JSON (ResultSetMeta.bytes, what result_rows keeps) one job keeps at most
 * across all its result sets: 256 MiB. Past it the set being written is cut as at its row cap
 * (`truncated`) and later sets keep no rows. Each row is capped (MAX_ROW_CHARS) and each set
 * (its row cap), but one statement of 1,200 rows of 256 KiB kept ~300 MiB in jobdesk.db (550 MiB
 * with its WAL) in 5 s, for a user granted nothing (#9, attack-sql-disk-fill).
 */
export const MAX_RESULT_BYTES_PER_JOB = 256 * 1024 * 1024
