// resultsetToExcel honours every option Linkis's filesystem service reads (#8.9), and openFile /
// openLog validate theirs (#9 §6): FsRestfulApi.resultsetToExcel, StorageCSVWriter, StorageExcelWriter.
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
let path: string // the table result set
let textPath: string // a shell job's stdout
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
  const sql = await linkis.submit(
    [
      'create table t(id integer, name text, note text)',
      `insert into t values (1, 'a,b', 'say "hi"'), (2, 'line1' || char(10) || 'line2', null), (3, '中文', '  ')`,
      'select * from t order by id',
    ].join(';\n'),
    'sql',
  )
  expect(await linkis.waitDone(sql.body.data.execID)).toBe('Succeed')
  path = `file:///jobdesk/admin/result/${sql.body.data.taskID}/_0.dolphin`
  const sh = await linkis.submit('echo "plain, line"; echo second', 'sh')
  expect(await linkis.waitDone(sh.body.data.execID)).toBe('Succeed')
  textPath = `file:///jobdesk/admin/result/${sh.body.data.taskID}/_0.dolphin`
})
afterAll(() => t.close())

const download = async (query: string, p = path) => {
  const res = await fetch(`${t.url}/api/rest_j/v1/filesystem/resultsetToExcel?path=${encodeURIComponent(p)}&${query}`, { headers: { cookie: linkis.cookie } })
  return { res, bytes: Buffer.from(await res.arrayBuffer()) }
}
const csv = async (query: string) => (await download(query)).bytes.toString('utf8')

describe('resultsetToExcel as CSV', () => {
  it('writes Linkis defaults: comma, NULL, line breaks in values folded to spaces, \\n line ends', async () => {
    expect(await csv('outputFileType=csv')).toBe('id,name,note\n1,"a,b","say ""hi"""\n2,line1 line2,NULL\n3,中文,  \n')
  })

  // `a,b` is quoted under every separator: a spreadsheet may split the file on `,` or `;` whatever it was written with (CSV injection, #9)
  it('csvSeparator: t and %09 are a tab; ; and | as given; the misspelt csvSeperator too', async () => {
    const tab = 'id\tname\tnote\n1\t"a,b"\t"say ""hi"""\n2\tline1 line2\tNULL\n3\t中文\t  \n'
    expect(await csv('csvSeparator=t')).toBe(tab)
    expect(await csv('csvSeparator=%09')).toBe(tab)
    expect(await csv('csvSeperator=t')).toBe(tab)
    expect(await csv('csvSeparator=%3B')).toBe('id;name;note\n1;"a,b";"say ""hi"""\n2;line1 line2;NULL\n3;中文;  \n')
    expect((await csv('csvSeparator=%7C&nullValue=BLANK')).split('\n')[2]).toBe('2|line1 line2|')
  })

  it('quoteRetouchEnable quotes every non-blank value; keepNewline keeps line breaks (quoted)', async () => {
    expect(await csv('quoteRetouchEnable=true')).toBe('"id","name","note"\n"1","a,b","say ""hi"""\n"2","line1 line2","NULL"\n"3","中文",  \n')
    expect((await csv('keepNewline=true')).split('\n').slice(2, 4)).toEqual(['2,"line1', 'line2",NULL'])
  })

  it('charset: a CSV asked for in gbk is gbk bytes under a gbk header', async () => {
    const { res, bytes } = await download('charset=gbk')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=gbk')
    expect(bytes.includes(Buffer.from([0xd6, 0xd0, 0xce, 0xc4]))).toBe(true) // 中文 in GBK
    expect(bytes.includes(Buffer.from('中文', 'utf8'))).toBe(false)
    expect(iconv.decode(bytes, 'gbk')).toBe(await csv('charset=utf-8'))
    expect(iconv.decode((await download('charset=utf-16le')).bytes, 'utf-16le')).toContain('3,中文')
  })

  it('limit, nullValue and maskedFieldNames; the answer states the rows, the cap and what was cut', async () => {
    const { res, bytes } = await download('limit=2&nullValue=-&maskedFieldNames=NAME')
    expect(bytes.toString()).toBe('id,note\n1,"say ""hi"""\n2,-\n')
    expect(res.headers.get('x-jobdesk-export-rows')).toBe('2')
    expect(res.headers.get('x-jobdesk-export-row-cap')).toBe('2')
    expect(res.headers.get('x-jobdesk-export-truncated')).toBe('true')
    expect(res.headers.get('x-jobdesk-result-state')).toBe('complete')
    const all = (await download('')).res
    expect([all.headers.get('x-jobdesk-export-rows'), all.headers.get('x-jobdesk-export-row-cap'), all.headers.get('x-jobdesk-export-truncated')]).toEqual(['3', '1000000', 'false'])
  })

  it('a text result set is written as its lines; the file name defaults to downloadResultset and may be any name', async () => {
    const { res, bytes } = await download('', textPath)
    expect(bytes.toString()).toBe('plain, line\nsecond\n')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="downloadResultset.csv"')
    const named = (await download('outputFileName=%E7%BB%93%E6%9E%9C%2F..')).res // 结果/..
    expect(named.headers.get('content-disposition')).toBe(`attachment; filename="___.."; filename*=UTF-8''${encodeURIComponent('结果_...csv')}`.replace('"___.."', '"___...csv"'))
  })
})

describe('resultsetToExcel as xlsx', () => {
  it('honours sheetName and autoFormat (numbers as numbers, else all text)', async () => {
    const read = async (query: string) => {
      const book = new ExcelJS.Workbook()
      await book.xlsx.load((await download(`outputFileType=xlsx&${query}`)).bytes as unknown as ArrayBuffer)
      return book
    }
    const plain = await read('sheetName=Q3%20numbers')
    const sheet = plain.getWorksheet('Q3 numbers')!
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', 'name', 'note'])
    expect(sheet.getRow(1).font?.bold).toBe(true)
    expect(sheet.getRow(2).values).toEqual([undefined, '1', 'a,b', 'say "hi"'])
    expect(sheet.getRow(3).values).toEqual([undefined, '2', 'line1\nline2', 'NULL'])
    expect(plain.worksheets.map((w) => w.name)).toEqual(['Q3 numbers']) // no notes sheet when there is nothing to say
    const typed = (await read('autoFormat=true')).getWorksheet('result')!
    expect(typed.getRow(2).getCell(1).value).toBe(1)
  })

  it('refuses a text result set with 80024, as upstream', async () => {
    const { res, bytes } = await download('outputFileType=xlsx', textPath)
    expect(res.status).toBe(400)
    expect(JSON.parse(bytes.toString())).toMatchObject({ status: 1, message: expect.stringContaining('errCode: 80024') })
  })
})

describe('option values that cannot be honoured get an envelope naming the option', () => {
  it.each([
    ['outputFileType=pdf', 'outputFileType must be one of csv, xlsx, not "pdf"'],
    ['charset=klingon', 'charset "klingon" is not an encoding'],
    ['csvSeparator=%22', 'csvSeparator must be 1 to 4 characters without quotes or line breaks'],
    ['csvSeparator=%0A', 'csvSeparator must be 1 to 4'],
    ['csvSeparator=abcde', 'csvSeparator must be 1 to 4'],
    ['quoteRetouchEnable=maybe', 'quoteRetouchEnable must be true or false, not "maybe"'],
    ['keepNewline=2', 'keepNewline must be true or false'],
    ['autoFormat=yes%3F', 'autoFormat must be true or false'],
    ['limit=1e20', 'limit must be an integer'],
    ['limit=1&limit=2', '"limit" is given more than once'],
    ['sheetName=a%2Fb', 'sheetName must be 1 to 31 characters'],
  ])('%s', async (query, message) => {
    const { res, bytes } = await download(query)
    expect(res.status).toBe(412)
    const body = JSON.parse(bytes.toString())
    expect(body).toMatchObject({ method: '/api/filesystem/resultsetToExcel', status: 2, data: {} })
    expect(body.message).toContain(message)
  })
})

describe('CSV injection (#9): formula-like text is inert in every export', () => {
  let formulaPath: string
  beforeAll(async () => {
    const sql = await linkis.submit(`select '=1+1' as "=f", -5 as n, '-5' as t, '@SUM(A1)' as a, 'ok' as o`, 'sql')
    expect(await linkis.waitDone(sql.body.data.execID)).toBe('Succeed')
    formulaPath = `file:///jobdesk/admin/result/${sql.body.data.taskID}/_0.dolphin`
  })

  it('CSV: text starting with = + - @ gets a leading quote, numbers stay as they are', async () => {
    expect((await download('outputFileType=csv', formulaPath)).bytes.toString()).toBe("'=f,n,t,a,o\n'=1+1,-5,-5,'@SUM(A1),ok\n")
  })

  it('xlsx: =1+1 is a string cell, never a formula (exceljs writes text as strings)', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await download('outputFileType=xlsx&autoFormat=true', formulaPath)).bytes as unknown as ArrayBuffer)
    const row = book.getWorksheet('result')!.getRow(2)
    expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String)
    expect(row.getCell(1).value).toBe('=1+1')
    expect(row.getCell(1).formula).toBeUndefined()
    expect(row.getCell(2).value).toBe(-5)
  })
})
