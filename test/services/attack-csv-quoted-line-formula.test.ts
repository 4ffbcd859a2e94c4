// CSV injection through a text result set's lines (#9, atk23): such a line is written unquoted and
// neutralised by neutralizeCells, which looks at the first character of each piece between list
// separators. A spreadsheet reads a piece that starts with `"` as a quoted field (RFC 4180) and takes
// the quotes off: `"=cmd|' /C calc'!A0"` is the cell =cmd|' /C calc'!A0, a live formula (quoting does
// not protect: OWASP's advice is the ' inside the quotes). Whatever separator the spreadsheet splits
// on, no cell of the written line may start with = + - @ tab or CR (plain numbers aside).
import { describe, expect, it } from 'vitest'
import { neutralizeCells } from '../../shared/csv-injection'
import { isLiveFormula, spreadsheetCells } from '../support/spreadsheet-cells'

describe('a text line with a quoted formula cell', () => {
  it.each([`"=cmd|' /C calc'!A0"`, `Oslo;"=HYPERLINK(""http://evil"",""x"")"`, `a,"+1+cmd|' /C calc'!A0",b`, `"@SUM(1+1)*cmd|' /C calc'!A0"`])('%s stays inert split on , and ;', (line) => {
    const written = neutralizeCells(line)
    for (const sep of [',', ';']) expect(spreadsheetCells(written, sep).filter(isLiveFormula)).toEqual([])
  })
})
