// #9 user trial (checkfix): the Imports page's "Checked in part" line said "its first 17.0 MB of
// 17.0 MB, 1 data lines" for a file Check had not read to its end: sizes that round alike read as
// the whole file, and the count took the plural. Sizes that round alike are given in bytes now.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { FileCheck, ImportCheck } from '../../shared/graph-api'
import { PartlyRead } from '../../renderer/src/features/imports/RunStep'

const file = (f: Partial<FileCheck>): FileCheck => ({ path: 'big.csv', label: 'v', kind: 'vertex', bytes: 0, bytesRead: 0, sampledLines: 0, failedLines: 0, failures: [], ...f })
const text = (files: FileCheck[]) => renderToStaticMarkup(createElement(PartlyRead, { check: { ok: true, problems: [], files } as ImportCheck })).replace(/<[^>]+>/g, '')

describe('the Check’s "read in part" line', () => {
  it('does not say "first X of X" for a part, and counts one data line', () => {
    const s = text([file({ bytes: 17_825_808, bytesRead: 17_825_796, sampledLines: 1 })])
    expect(s).toBe('Checked in part (the import reads every line): big.csv (vertex v): its first 17,825,796 bytes of 17,825,808 bytes, 1 data line.')
  })

  it('keeps rounded sizes where they differ', () => {
    expect(text([file({ bytes: 3_400_000, bytesRead: 1_048_600, sampledLines: 12_000 })])).toBe('Checked in part (the import reads every line): big.csv (vertex v): its first 1 MiB of 3.2 MiB, 12,000 data lines.')
  })
})
