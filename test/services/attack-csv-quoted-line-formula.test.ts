// CSV injection through a text result set's lines (#9, atk23): such a line is written unquoted and
// neutralised by neutralizeCells, which looks at the first character of each piece between list
// separators. A spreadsheet reads a piece that starts with `"` as a quoted field (RFC 4180) and takes
// the quotes off: `"=cmd|' /C calc'!A0"` is the cell =cmd|' /C calc'!A0, a live formula (quoting does
// not protect: OWASP's advice is the ' inside the quotes). Whatever separator the spreadsheet splits
// on, no cell of the written line may start with = + - @ tab or CR (plain numbers aside).
import { describe, expect, it } from 'vitest'
import { neutralizeCells } from '../../shared/csv-injection'

/** The cells of one CSV line as a spreadsheet splits it on `sep`, quoted fields unquoted (RFC 4180). */
function cellsOf(line: string, sep: string): string[] {
  const cells: string[] = []
  let i = 0
  for (;;) {
    let cell = ''
    if (line[i] === '"') {
      i++
      for (; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') (cell += '"'), i++
        else if (line[i] === '"') {
          i++
          break
        } else cell += line[i]
      }
      while (i < line.length && line[i] !== sep) cell += line[i++]
    } else while (i < line.length && line[i] !== sep) cell += line[i++]
    cells.push(cell)
    if (i >= line.length) return cells
    i++ // the separator
  }
}

const live = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)

describe('a text line with a quoted formula cell', () => {
  it.each([`"=cmd|' /C calc'!A0"`, `Oslo;"=HYPERLINK(""http://evil"",""x"")"`, `a,"+1+cmd|' /C calc'!A0",b`, `"@SUM(1+1)*cmd|' /C calc'!A0"`])('%s stays inert split on , and ;', (line) => {
    const written = neutralizeCells(line)
    for (const sep of [',', ';']) expect(cellsOf(written, sep).filter(live)).toEqual([])
  })
})
