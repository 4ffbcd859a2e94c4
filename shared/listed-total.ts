// A page of a list answered as the plain array it always was (the Workflows pages and clients read
// GET /api/v1/workflows and /api/v1/graph-workflows as arrays), with how many rows there are in all
// carried beside it: the native route sends it as the X-Total-Count header (native/routes.ts), the
// renderer's HTTP transport puts it back on the array it read (api/http.ts), and IPC, whose structured
// clone drops symbol keys, leaves it out.

const TOTAL = Symbol('listed total')

/** `items` (the same array) carrying `total`, the rows of every page together. */
export function withTotal<T>(page: { items: T[]; total: number }): T[] {
  Object.defineProperty(page.items, TOTAL, { value: page.total, enumerable: false })
  return page.items
}

/** The total an answer carries (withTotal), or undefined for any other value. */
export function totalOf(value: unknown): number | undefined {
  return Array.isArray(value) ? ((value as unknown as Record<symbol, number | undefined>)[TOTAL] ?? undefined) : undefined
}

/** The response header that carries a page's total (as GitHub's and json-server's lists do). */
export const TOTAL_HEADER = 'x-total-count'
