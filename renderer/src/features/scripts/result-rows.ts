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
