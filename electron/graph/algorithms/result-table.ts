// An algorithm's result as a table read row by row, so vertex results stay in typed arrays until
// a page of rows is sent (no array per vertex for a million vertices).

export interface ResultColumn {
  name: string
  /** TuGraph type names, as result sets use: INT64, DOUBLE, STRING. */
  type: 'INT64' | 'DOUBLE' | 'STRING'
}

export interface ResultTable {
  columns: ResultColumn[]
  rows: number
  row(i: number): unknown[]
  /** Rows a result set cannot hold were not produced (ROW_CAP). */
  truncated: boolean
  /** Figures for the job's output: iterations, modularity, triangles, … */
  details: Record<string, number | string>
  /**
   * For per-vertex results (VID and one value): the value of vertex index i, to write back into
   * the graph; undefined when the table is not one value per vertex.
   */
  vertexValue?: { column: string; index(row: number): number; value(row: number): number | string }
}

/** Most rows an algorithm's result set keeps (APSP, triangle lists, Jaccard on every vertex can be huge). */
export const ROW_CAP = 5_000_000

/** Rows of small tuples collected as they are found, up to ROW_CAP. */
export class RowCollector {
  readonly rows: unknown[][] = []
  truncated = false

  add(row: unknown[]): void {
    if (this.rows.length >= ROW_CAP) {
      this.truncated = true
      return
    }
    this.rows.push(row)
  }

  get full(): boolean {
    return this.rows.length >= ROW_CAP
  }
}
