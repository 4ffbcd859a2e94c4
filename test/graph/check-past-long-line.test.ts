// #9 user trial (checkfix): a Check that met a line longer than an import reads stopped there and
// answered ok for the file (sampledLines 0, no word of the lines after it), and the import then failed
// on line 3. Now Check measures such a line to its end within its scan budget, reads on past it as the
// import does, and judges the lines after it; where the budget ran out first, it says so and that the
// lines after it were not checked. The boundary of "too long input line" is the import's, on both sides,
// and a line's size is said one way whatever the budget left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { IMPORT_LINE_BYTES } from '../../electron/graph/import/packages'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('past', ADMIN)
}, 30_000)
afterAll(() => t?.close())

const def = (label: string): LabelDef => ({ label, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING', optional: true }] })
const mapping = (path: string, label: string) => ({ path, format: 'CSV' as const, label, columns: ['id', 'name'] })
/** `1,a`, then one field of `longBytes` x's (and its newline), then `notanint,bad`. */
const withLongLine = (longBytes: number) => Buffer.concat([Buffer.from('1,a\n'), Buffer.alloc(longBytes, 'x'), Buffer.from('\nnotanint,bad\n')])

let labels = 0
async function check(files: { path: string; bytes: Buffer }[], continueOnError: boolean) {
  const label = `v${++labels}`
  for (const f of files) upload(t.dir, f.path, f.bytes)
  return t.app.graph.checkImport({ graph: 'past', schema: [def(label)], files: files.map((f) => mapping(f.path, label)), delimiter: ',', continueOnError }, ADMIN)
}

describe('Check past a line longer than an import reads', () => {
  it('the trial’s file: names line 2 and judges line 3 as the import does', async () => {
    const c = await check([{ path: 'trial.csv', bytes: withLongLine(IMPORT_LINE_BYTES) }], true)
    expect(c.problems).toContainEqual(expect.objectContaining({ code: 'line_too_long', severity: 'warning', file: 'trial.csv', line: 2 }))
    // line 3 does not parse: Check says so, as the import lists it
    expect(c.problems).toContainEqual(expect.objectContaining({ code: 'invalid_value', file: 'trial.csv', line: 3 }))
    expect(c.files[0]).toMatchObject({ path: 'trial.csv', sampledLines: 2, failedLines: 1, bytesRead: c.files[0].bytes })
    expect(c.files[0].failures.map((f) => f.line)).toEqual([3])
    // a line's size is what was measured: no "more than" a figure that is the line's own size
    const long = c.problems.find((p) => p.code === 'line_too_long')!
    expect(long.message).toContain(`${IMPORT_LINE_BYTES + 1} bytes with its line end`)
    expect(long.message).not.toMatch(/more than/)
  }, 60_000)

  it('the boundary is the import’s: a line that takes 17 MiB with its line end fails, one byte less is read', async () => {
    // content IMPORT_LINE_BYTES - 1 and its newline: a package of 17 MiB, which the import fails
    const over = await check([{ path: 'at.csv', bytes: withLongLine(IMPORT_LINE_BYTES - 1) }], false)
    expect(over.problems).toContainEqual(expect.objectContaining({ code: 'line_too_long', severity: 'error', file: 'at.csv', line: 2 }))
    const under = await check([{ path: 'below.csv', bytes: withLongLine(IMPORT_LINE_BYTES - 2) }], false)
    expect(under.problems.filter((p) => p.code === 'line_too_long')).toEqual([])
    expect(under.problems).toContainEqual(expect.objectContaining({ code: 'long_line', severity: 'warning', file: 'below.csv', line: 2 }))
    // and the import agrees on both sides
    for (const [path, fails] of [['at.csv', true], ['below.csv', false]] as const) {
      const label = `imp${++labels}`
      await t.app.graph.importSchema('past', { schema: [def(label)] }, ADMIN)
      upload(t.dir, path, withLongLine(IMPORT_LINE_BYTES - (fails ? 1 : 2)))
      const { taskId } = await t.app.graph.startImport({ graph: 'past', files: [mapping(path, label)], continueOnError: true }, ADMIN)
      const s = await finished(t.app, taskId)
      const failures = s.report!.files[0].failures.map((f) => [f.line, /^too long input line/.test(f.reason)])
      expect(failures, path).toEqual(fails ? [[2, true], [3, false]] : [[2, false], [3, false]])
    }
  }, 120_000)

  it('one wording over files as the scan budget runs down; a line not measured to its end says why and that what follows was not checked', async () => {
    const files = ['b1.csv', 'b2.csv', 'b3.csv'].map((path) => ({ path, bytes: withLongLine(IMPORT_LINE_BYTES) }))
    const c = await check(files, true)
    const about = (path: string) => c.problems.find((p) => p.file === path && p.line === 2)!.message
    expect(about('b1.csv')).toMatch(new RegExp(`^b1\\.csv line 2: too long input line: it takes ${IMPORT_LINE_BYTES + 1} bytes with its line end`))
    for (const path of ['b2.csv', 'b3.csv']) {
      expect(about(path)).toMatch(new RegExp(`^${path.replace('.', '\\.')} line 2 takes at least \\d+ bytes: the check stopped measuring it there, as it measures long lines up to 32 MiB in all, and they were spent; it did not read past it, so the lines after it were not checked`))
    }
    expect(c.problems.map((p) => p.message).join('\n')).not.toMatch(/more than \d+ bytes/)
  }, 120_000)
})
