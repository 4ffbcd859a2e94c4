/**
 * A read-only statement that keeps a query worker busy until it is stopped or times out (10^12 steps
 * of any(), holding nothing but one list of a million), for tests of stopping, hang-ups, timeouts and
 * the queue. Its UNWIND makes a million rows only: the UNWIND rows are bounded before and while a
 * statement runs (electron/graph/cypher/unwind-rows.ts, 100,000,000), so a product of UNWINDs would
 * end in query_too_large within a minute; any() ticks the budget per element, so a stop ends it at once.
 */
export const ENDLESS_CYPHER = 'WITH range(1, 1000000) AS l UNWIND range(1, 1000000) AS x WITH l, x WHERE any(y IN l WHERE y < 0) RETURN count(*) AS n'
