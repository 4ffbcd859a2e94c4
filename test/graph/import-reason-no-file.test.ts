// An import that fails before it reaches any file (a file missing at the run, #9 new-user trial)
// says so in one sentence, not TuGraph's two lines with their subjects left empty.
import { describe, expect, it } from 'vitest'
import { tugraphReason } from '../../electron/graph/import/report'

describe('the failure reason of an import that reached no file', () => {
  it('says that no file was reached, with no line missing its subject', () => {
    const reason = tugraphReason('Path [gone.csv] does not exist in json {}', [], '', 0)
    expect(reason).toBe('Path [gone.csv] does not exist in json {}\nNo file was imported: the import stopped before it reached any.\n')
    expect(reason).not.toMatch(/\n were not|\n was imported/)
  })

  it('keeps TuGraph’s wording once a file was reached', () => {
    expect(tugraphReason('HEADER too large.', [], 'p.csv', 0)).toBe('HEADER too large.\n were not imported successfully.\np.csv was imported 0 lines.\n')
  })
})
