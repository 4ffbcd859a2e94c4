// A line too long for a package is told by its error code, line_too_long, keeping TuGraph's text
// ("too long input line"): the file preview matched the message text to tell it from other read
// errors (#9 code health).
import { closeSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PackageReader, TOO_LONG_LINE } from '../../electron/graph/import/packages'
import { tempDir } from '../support/temp-store'

describe('import packages', () => {
  it('refuses a line longer than a package (past its 1 MiB allowance) with line_too_long and TuGraph\'s text', () => {
    const file = join(tempDir(), 'long.csv')
    writeFileSync(file, `${'x'.repeat(1_200_000)}\n1\n`)
    const fd = openSync(file, 'r')
    try {
      expect(() => new PackageReader(fd, 1000).next()).toThrow(expect.objectContaining({ code: 'line_too_long', message: TOO_LONG_LINE }))
    } finally {
      closeSync(fd)
    }
  })
})
