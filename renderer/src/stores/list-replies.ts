/**
 * A list that is both fetched and patched by pushed events (the Jobs page's rows, a workflow's recent
 * runs) races them: the server reads the rows, a job changes (its event comes at once over the event
 * stream), then the reply arrives with the older row. A reply is older than every row pushed while it
 * was out, and than any later request's reply.
 */
export interface ReplyGuard<T extends { id: number }> {
  /** Notes a row pushed by an event (call it for every pushed row, whether shown or not). */
  pushed(row: T): void
  /**
   * Starts a request: `current()` says whether it is still the latest (a newer one's reply wins), and
   * `merge(rows)` gives its reply's rows with the rows pushed since it went out in their place.
   */
  start(): { current(): boolean; merge(rows: T[]): T[] }
  /** Rows pushed since the latest request went out (e.g. new jobs the reply cannot know yet). */
  pushedSince(): T[]
}

/** A ReplyGuard for one list (ids are job ids). */
export function createReplyGuard<T extends { id: number }>(): ReplyGuard<T> {
  let request = 0
  let pushedDuring = new Map<number, T>()
  return {
    pushed: (row) => void pushedDuring.set(row.id, row),
    start() {
      const mine = ++request
      pushedDuring = new Map()
      return { current: () => mine === request, merge: (rows) => rows.map((r) => pushedDuring.get(r.id) ?? r) }
    },
    pushedSince: () => [...pushedDuring.values()],
  }
}
