// newuser trial (issue #9 LOW): the import report named a file's encoding only when a byte-order mark
// chose it; a GBK file read as GBK, or a file read as UTF-8 by default, said nothing. Now every file's
// Notes and the job log say the encoding it was read as, and why (given, the default, its mark).
// Stop 37 (#9): "given" did not tell an encoding the person chose from one the page's preview guessed
// and sent along (encodingGuessed): now "read as GBK (chosen)" or "read as GBK (guessed)".
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, finished, graphWithSchema, personFile, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

describe('the encoding each file was read as', () => {
  it('is in the report notes and the job log, for a file given an encoding (chosen or guessed), one by default and one by its mark', async () => {
    const g = await graphWithSchema(t.app, 'readas')
    upload(t.dir, 'gbk.csv', iconv.encode('1,张伟,30\n', 'gbk'))
    upload(t.dir, 'guessed.csv', iconv.encode('4,李娜,28\n', 'gbk'))
    upload(t.dir, 'plain.csv', '2,Ann,31\n')
    upload(t.dir, 'mark.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('3,Bo,32\n', 'utf16le')]))
    const { taskId, jobId } = await t.app.graph.startImport({ graph: g, files: [personFile('gbk.csv', { encoding: 'gbk' }), personFile('guessed.csv', { encoding: 'gbk', encodingGuessed: true }), personFile('plain.csv'), personFile('mark.csv')] }, ADMIN)
    const s = await finished(t.app, taskId)
    expect(s.status, s.error ?? '').toBe('succeeded')
    const notes = Object.fromEntries(s.report!.files.map((f) => [f.path, f.notes]))
    expect(notes['gbk.csv']).toEqual(['read as GBK (chosen)'])
    expect(notes['guessed.csv']).toEqual(['read as GBK (guessed)'])
    expect(notes['plain.csv']).toEqual(['read as UTF-8 (no encoding given)'])
    expect(notes['mark.csv']).toEqual(['a UTF-16LE byte-order mark: the file is read as UTF-16LE'])
    const logs = (await t.call('GET', `/api/v1/jobs/${jobId}/logs?from=0&size=100`)).body.lines.map((l: { text: string }) => l.text)
    expect(s.report!.imported).toBe(4)
    expect(logs).toEqual(expect.arrayContaining(['reading gbk.csv as GBK (chosen)', 'reading guessed.csv as GBK (guessed)', 'reading plain.csv as UTF-8 (no encoding given)', 'reading mark.csv as UTF-16LE (its byte-order mark)']))
  })

  it('refuses an encodingGuessed that is not true or false, naming the field', async () => {
    await expect(t.app.graph.startImport({ graph: 'readas', files: [personFile('gbk.csv', { encoding: 'gbk', encodingGuessed: 'yes' })] }, ADMIN)).rejects.toMatchObject({ code: 'invalid_mapping', field: 'files[0].encodingGuessed' })
  })
})
