// How a spreadsheet reads a CSV line (what the CSV-injection tests check exports against): one helper,
// so every test splits cells the same way.

/**
 * The cells of one CSV line as Excel reads it with `separator` as the list separator: a field that
 * starts with `"` runs to its closing quote (`""` is a quote) and what follows up to the next
 * separator is appended; any other field runs to the next separator.
 */
export function spreadsheetCells(line: string, separator: string): string[] {
  const cells: string[] = []
  let i = 0
  for (;;) {
    let cell = ''
    if (line[i] === '"') {
      i++
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') (cell += '"'), (i += 2)
        else if (line[i] === '"') {
          i++
          break
        } else cell += line[i++]
      }
    }
    const end = line.indexOf(separator, i)
    cell += line.slice(i, end < 0 ? line.length : end)
    cells.push(cell)
    if (end < 0) return cells
    i = end + separator.length
  }
}

/** A plain number, which a spreadsheet reads as a number even with a leading + or -. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Whether a spreadsheet runs `cell` as a formula: it starts with = + - @ tab or CR and is not a plain number. */
export const isLiveFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell)
