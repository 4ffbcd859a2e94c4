// Result sets as the Scripts page names, sorts and filters them (the server sorts and filters the whole set: jobs.resultPage).

/** A result set's name, as its tab, its table and its exported files say: "Result 2" is the run's second result set. */
export const resultName = (position: number): string => `Result ${position}`

/** A sort by one column. */
export interface RowSort {
  column: number
  dir: 'asc' | 'desc'
}

/** How the shown result set is read: sorted by a column (or in its stored order) and filtered by text (or not). */
export interface ResultQueryView {
  sort: RowSort | null
  filter: string
}

export const NO_QUERY: ResultQueryView = { sort: null, filter: '' }

/** A header click: ascending first, then descending, then back to the stored order. */
export const nextSort = (sort: RowSort | null, column: number): RowSort | null =>
  sort?.column !== column ? { column, dir: 'asc' } : sort.dir === 'asc' ? { column, dir: 'desc' } : null

/** A view in words, for the export note: "sorted by pop (descending), filtered by “r”". */
export function describeView(view: ResultQueryView, columns: readonly { name: string }[]): string {
  const parts: string[] = []
  if (view.sort) parts.push(`sorted by ${columns[view.sort.column]?.name ?? `column ${view.sort.column + 1}`} (${view.sort.dir === 'asc' ? 'ascending' : 'descending'})`)
  if (view.filter.trim()) parts.push(`filtered by “${view.filter.trim()}”`)
  return parts.join(', ') || 'in the query\'s order'
}
