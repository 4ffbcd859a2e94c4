// The Workflows editor's warning list (#9 warnfold, user trial): two warnings on one line were two
// boxes under the editor; they are one entry per line, in line order.
import { expect, it } from 'vitest'
import { warningEntries } from '../../renderer/src/features/workflows/warning-list'

it('merges the warnings of one line into one entry, ordered by line, those without a line last', () => {
  expect(
    warningEntries([
      { message: 'b reads $.input.x', line: 12 },
      { message: 'a reads $.input.y', line: 7 },
      { message: 'somewhere' },
      { message: 'b reads $.input.z', line: 12 },
    ]),
  ).toEqual([
    { line: 7, messages: ['a reads $.input.y'] },
    { line: 12, messages: ['b reads $.input.x', 'b reads $.input.z'] },
    { messages: ['somewhere'] },
  ])
  expect(warningEntries([])).toEqual([])
})
