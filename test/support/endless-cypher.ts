/**
 * A read-only statement that keeps a query worker busy until it is stopped or times out (10^10 rows,
 * counted without holding any), for tests of stopping, hang-ups, timeouts and the queue. Its inner
 * list's size depends on the row, so the UNWIND estimate (electron/graph/cypher/unwind-rows.ts), which
 * counts only sizes known before running, lets it run; a product of constant ranges this size is refused.
 */
export const ENDLESS_CYPHER = 'UNWIND range(1, 100000) AS x UNWIND range(x, x + 99999) AS y RETURN count(*) AS n'
