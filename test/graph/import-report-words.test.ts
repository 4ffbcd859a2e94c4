// #9, importwords: an import's failure reason in JobDesk's own words counts data lines (no header)
// and says what a rolled-back package was, where a new-user trial read "big/mid.csv was imported
// 85599 lines" beside "85,598 imported" (TuGraph's text counts the header line) and "Rolled back
// 85,598" for the failing package, not the import. TuGraph's exact text stays in its dialect's
// import_progress `reason` (reference/tugraph.md §1.8, §8 item 18), which its clients show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { expectOk, tugraphClient } from '../tugraph/support'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `${from + i},p${from + i},${20 + i}`).join('\n') + '\n'

describe('an import that a line stopped, in its report', () => {
  it('counts data lines imported (no header) and names the rolled-back package by its lines; TuGraph’s dialect keeps TuGraph’s text', async () => {
    const graph = await graphWithSchema(t.app, 'words')
    // a header, 12 good lines, a bad one (file line 14), 3 more: small packages, so earlier ones commit
    upload(t.dir, 'words.csv', 'id,name,age\n' + lines(12) + '13,Bad,x\n' + lines(3, 14))
    const { taskId } = await t.app.graph.startImport({ graph, files: [personFile('words.csv', { header: 1 })], packageBytes: 40 }, ADMIN)
    await finished(t.app, taskId)
    const res = await t.call('GET', `/api/v1/imports/${taskId}`)
    expect(res.status).toBe(200)
    const s = res.body
    expect(s.status).toBe('failed')
    const f = s.report.files[0]
    expect(f.imported).toBeGreaterThan(0)
    expect(f.rolledBack).toBeGreaterThan(0)
    // the failing package: from the first data line not imported to its last line, the bad line 14 among them
    const first = f.imported + 2 // header, then the imported data lines
    const last = first + f.rolledBack // its data lines: the failed one and the rolled-back ones
    const range = `${first}–${last}`
    const rolled = `the package of its lines ${range} was rolled back: its line 14 failed and its other ${f.rolledBack} data lines were not imported`
    expect(s.report.reason).toBe(
      `words.csv line 14: Failed to parse column 3 [age] into type INT32: the error item is "x"\n>Error line:\n\t13,Bad,x\n` +
        `words.csv: ${f.imported} data lines imported; ${rolled}.\n`,
    )
    expect(s.error).toContain(`words.csv: ${f.imported} data lines imported; ${rolled}.`)
    expect(s.report.reason).not.toMatch(/was imported|were not imported successfully/)
    // the file's own note says what its "rolled back" count was
    expect(f.notes).toContain(rolled)

    // TuGraph's import_progress: TuGraph's own text, its line count with the header line (as TuGraph counts)
    const c = tugraphClient(t.url)
    await c.login()
    const data = expectOk(await c.post('import_progress', { taskId }))
    expect(data.state).toBe('3')
    expect(data.reason).toBe(
      `words.csv line 14: Failed to parse column 3 [age] into type INT32: the error item is "x"\n>Error line:\n\t13,Bad,x\n were not imported successfully.\nwords.csv was imported ${f.imported + 1} lines.\n`,
    )
  })

  it('names the files imported in full before the one that stopped it', async () => {
    const graph = await graphWithSchema(t.app, 'words2')
    upload(t.dir, 'good.csv', lines(3, 100))
    upload(t.dir, 'bad.csv', lines(2, 200) + '202,Bad,x\n')
    const { taskId } = await t.app.graph.startImport({ graph, files: [personFile('good.csv'), personFile('bad.csv')] }, ADMIN)
    const s = await finished(t.app, taskId)
    expect(s.report!.reason).toBe(
      `bad.csv line 3: Failed to parse column 3 [age] into type INT32: the error item is "x"\n>Error line:\n\t202,Bad,x\n` +
        `Imported in full: good.csv.\nbad.csv: 0 data lines imported; the package of its lines 1–3 was rolled back: its line 3 failed and its other 2 data lines were not imported.\n`,
    )
  })
})
