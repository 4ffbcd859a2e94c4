// How far a list read from the server has come, kept by the store that reads it and shown by
// ListStatus (features/shell/ListStatus.tsx): an empty list before its first answer is not known
// to be empty.

/** Where a list read from the server stands. */
export interface ListLoad {
  /** It has had an answer (rows, or none). */
  answered: boolean
  /** Why its reading failed before it ever answered (ListStatus says it, with Retry); null otherwise. */
  error: string | null
}

/** A list not read yet, or read again from scratch (another filter): its first answer is awaited. */
export const NOT_ANSWERED: ListLoad = { answered: false, error: null }

/** A list whose reading answered. */
export const ANSWERED: ListLoad = { answered: true, error: null }

/**
 * What a store sets when a reading of its list failed with `text`: before the list's first answer the
 * list itself says so (in `list`, shown by ListStatus with Retry); after it, the rows it showed stay
 * and the page's error line says it (`error`).
 */
export function listFailed(load: ListLoad, text: string): { list: ListLoad } | { error: string } {
  return load.answered ? { error: text } : { list: { answered: false, error: text } }
}
