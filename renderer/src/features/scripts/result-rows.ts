// Sorting and filtering a page of result rows in the browser (the server pages; these act on the page shown).

/** A result set's name, as its tab, its table and its exported files say: "Result 2" is the run's second result set. */
export const resultName = (position: number): string => `Result ${position}`

export interface RowSort {
  column: number
  dir: 'asc' | 'desc'
}

/** A cell as the filter reads it: NULL as "NULL", objects as JSON. */
export const cellText = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v))

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** Orders values as a spreadsheet does: NULLs last (either way), numbers by value, text naturally ("a2" before "a10"). */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return collator.compare(cellText(a), cellText(b))
}

/** A stable sort of `rows` by one column; NULLs stay last in both directions. */
export function sortRows<T extends { row: unknown[] }>(rows: readonly T[], sort: RowSort): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const a = x.r.row[sort.column]
      const b = y.r.row[sort.column]
      const aNull = a === null || a === undefined
      const bNull = b === null || b === undefined
      if (aNull || bNull) return aNull === bNull ? x.i - y.i : aNull ? 1 : -1
      return sign * compare(a, b) || x.i - y.i
    })
    .map(({ r }) => r)
}
