// #9 §6: one wording and one status for each bad upload path, on every route that takes one (a
// new-user trial found the same path refused with different codes and words per route, a name with
// U+202E answered 404 on some, and `p\last.csv` overwrote `p/last.csv`). The wording is
// shared/upload-names.ts's, led by each route's own field, in each dialect's envelope: the native
// error envelope (field), imports/check's problem list (field, file), TuGraph's errorMessage (no field
// slot: the sentence names File-Name or fileName), GES's error_msg. Routes × bad paths, as a table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tugraphClient, type TuGraphClient } from '../tugraph/support'
import { gesToken } from '../ges/support'

let t: TestApp
let tg: TuGraphClient
let ges: string
const stored = (name: string) => join(t.dir, 'upload_files', 'admin', name)

beforeAll(async () => {
  t = await startTestApp()
  mkdirSync(stored('p'), { recursive: true })
  writeFileSync(stored('p/last.csv'), '1,kept\n')
  writeFileSync(stored('a.csv'), '1,kept\n')
  tg = tugraphClient(t.url)
  await tg.login()
  ges = await gesToken(t.url)
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'g' })).status).toBe(201)
  const person = { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }
  expect((await t.call('POST', '/api/v1/graphs/g/schema', { schema: [person] })).status).toBe(200)
}, 60_000)
afterAll(() => t?.close())

/** What a route answered, reduced to what the table compares: HTTP status, error code, field, message. */
interface Refusal {
  status: number
  code?: string
  field?: string
  message?: string
}

interface PathRoute {
  /** The field the route takes the name in (errors name it). */
  field: string
  /** Writes the file (a missing file is no error there). */
  writes?: boolean
  /** A folder stands for its files there (imports), so a folder is no error. */
  folders?: boolean
  /** Takes the name from a header or query string: never anything but a string. */
  textOnly?: boolean
  send(path: unknown): Promise<Refusal>
}

const native = async (method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Refusal> => {
  const r = await t.call(method, url, body, headers)
  return { status: r.status, code: r.body?.error?.code, field: r.body?.error?.field, message: r.body?.error?.message }
}
const tugraph = async (method: string, body: unknown, headers?: Record<string, string>): Promise<Refusal> => {
  const r = await tg.post(method, body, headers)
  // TuGraph answers HTTP 200 with its errorCode: the table compares that
  return { status: Number(r.body?.errorCode), message: r.body?.errorMessage }
}
const mapping = (path: unknown) => ({ path, format: 'CSV', label: 'person', columns: ['id', 'name'] })

const ROUTES: Record<string, PathRoute> = {
  'native files/upload': {
    field: 'path',
    writes: true,
    textOnly: true,
    send: (p) => native('POST', `/api/v1/files/upload?path=${encodeURIComponent(String(p))}&offset=0`, 'x', { 'content-type': 'application/octet-stream' }),
  },
  'native imports/preview': { field: 'path', send: (p) => native('POST', '/api/v1/imports/preview', { path: p, format: 'CSV' }) },
  'native imports/check': {
    field: 'files[0].path',
    folders: true,
    async send(p) {
      const r = await t.call('POST', '/api/v1/imports/check', { graph: 'g', files: [mapping(p)] })
      // the check lists a file's problem in its body (200, ok false): its envelope is the problem
      const problem = r.body?.problems?.[0]
      return { status: r.status === 200 && problem ? ({ file_not_found: 404, path_escapes: 403 }[problem.code as string] ?? 400) : r.status, code: problem?.code, field: problem?.field, message: problem?.message }
    },
  },
  'native files/delete': { field: 'path', send: (p) => native('POST', '/api/v1/files/delete', { path: p }) },
  'native imports (start)': { field: 'files[0].path', folders: true, send: (p) => native('POST', '/api/v1/imports', { graph: 'g', files: [mapping(p)] }) },
  'TuGraph upload_files': {
    field: 'File-Name',
    writes: true,
    textOnly: true,
    send: (p) => tugraph('upload_files', Buffer.from('x'), { 'content-type': 'application/octet-stream', 'File-Name': Buffer.from(String(p)).toString('latin1'), 'Begin-Pos': '0', Size: '1' }),
  },
  'TuGraph check_file': { field: 'fileName', textOnly: true, send: (p) => tugraph('check_file', { fileName: p, flag: '2', fileSize: '1' }) },
  'TuGraph clear_cache': { field: 'fileName', textOnly: true, send: (p) => tugraph('clear_cache', { fileName: p, flag: '0' }) },
}

/** Why a name Windows cannot hold, or would take for another, is refused (shared/upload-names.ts). */
const BAD_CHAR = (c: string) => `contains ${JSON.stringify(c)}, a character Windows does not allow in a file or folder name (< > : " | ? *): choose another name`
const DROPPED = (end: string, there: string) => `ends with ${end}: Windows drops a name's trailing dots and spaces, so there it would be ${JSON.stringify(there)}; choose another name`
const TWIN = 'Windows and macOS ignore case, so there the two would be one; choose another name'
const TOO_LONG = ' is too long: at most 255 bytes (UTF-8) per folder or file name and 2048 in all'
const RESERVED = 'is a name Windows reserves (CON, CONIN$, CONOUT$, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, with or without an extension): choose another name'

/** A bad path, and what every route answers for it: the status, the code, and the sentence after the field's name. */
interface BadPath {
  path: unknown
  status: number
  code: string
  tail: string
  /** Routes it does not apply to (why in the row's comment). */
  skip?: (r: PathRoute) => boolean
}

const BAD: Record<string, BadPath> = {
  empty: { path: '', status: 400, code: 'path_invalid', tail: ' is empty: name a file in your upload folder' },
  'a name past 255 bytes': { path: 'a'.repeat(300), status: 400, code: 'path_invalid', tail: TOO_LONG },
  'a path past 2048 bytes (and 4096 characters)': { path: `${'d/'.repeat(2100)}x.csv`, status: 400, code: 'path_invalid', tail: TOO_LONG },
  'U+202E (right-to-left override)': { path: 'x\u202Ecsv.txt', status: 400, code: 'path_invalid', tail: ' contains U+202E RIGHT-TO-LEFT OVERRIDE at position 2' },
  'a folder': { path: 'p', status: 400, code: 'path_invalid', tail: ' "p" is a folder, not a file', skip: (r) => !!r.folders },
  'a missing file': { path: 'nothere.csv', status: 404, code: 'file_not_found', tail: ' "nothere.csv" does not exist in your upload folder', skip: (r) => !!r.writes },
  'a number': { path: 42, status: 400, code: 'path_invalid', tail: ' must be a string', skip: (r) => !!r.textOnly },
  // quoted for people, as typed: JSON's quoting doubled a Windows path's backslashes ("C:\\Windows…")
  'a Windows drive path': { path: 'C:\\Windows\\win.ini', status: 400, code: 'path_invalid', tail: ' "C:\\Windows\\win.ini" is an absolute path; give a path relative to your upload folder', skip: (r) => r.field === 'File-Name' }, // upload_files says TuGraph's own "File-Name is not a relative path" (electron/graph/README.md)
  'a Windows path up and out': { path: '..\\x.csv', status: 403, code: 'path_escapes', tail: ' "..\\x.csv" leaves your upload folder ("..")' },
  'a backslash': { path: 'p\\last.csv', status: 400, code: 'path_invalid', tail: ' contains a backslash (\\): use "/" between folders, as in p/last.csv' },
  'con.csv': { path: 'con.csv', status: 400, code: 'path_invalid', tail: ` "con.csv" ${RESERVED}` },
  nul: { path: 'nul', status: 400, code: 'path_invalid', tail: ` "nul" ${RESERVED}` },
  'aux.txt': { path: 'aux.txt', status: 400, code: 'path_invalid', tail: ` "aux.txt" ${RESERVED}` },
  com1: { path: 'com1', status: 400, code: 'path_invalid', tail: ` "com1" ${RESERVED}` },
  'a folder named lpt1': { path: 'lpt1/x.csv', status: 400, code: 'path_invalid', tail: ` "lpt1/x.csv" holds "lpt1", which ${RESERVED}` },
  'LPT9.TXT': { path: 'LPT9.TXT', status: 400, code: 'path_invalid', tail: ` "LPT9.TXT" ${RESERVED}` },
  // attack3: uploaded as files before; Windows opens the console for these
  CONIN$: { path: 'CONIN$', status: 400, code: 'path_invalid', tail: ` "CONIN$" ${RESERVED}` },
  'con .csv (spaces before the extension)': { path: 'con .csv', status: 400, code: 'path_invalid', tail: ` "con .csv" ${RESERVED}` },
  // Windows' own rules for a name, on every platform, so a data folder moved to Windows stays sound
  'an NTFS alternate data stream (data.csv:ads)': { path: 'data.csv:ads', status: 400, code: 'path_invalid', tail: ` "data.csv:ads" ${BAD_CHAR(':')}` },
  'a trailing dot (a.csv.)': { path: 'a.csv.', status: 400, code: 'path_invalid', tail: ` "a.csv." ${DROPPED('"."', 'a.csv')}` },
  'a trailing space (a.csv )': { path: 'a.csv ', status: 400, code: 'path_invalid', tail: ` "a.csv " ${DROPPED('a space', 'a.csv')}`, skip: (r) => r.field === 'File-Name' }, // HTTP drops a header's trailing spaces: File-Name arrives as a.csv
  'a folder with a trailing dot (dir./x.csv)': { path: 'dir./x.csv', status: 400, code: 'path_invalid', tail: ` "dir./x.csv" holds "dir.", which ${DROPPED('"."', 'dir')}` },
  'only dots (...)': { path: '...', status: 400, code: 'path_invalid', tail: ` "..." ${DROPPED('"."', '')}` },
  'a double quote': { path: 'a"b.csv', status: 400, code: 'path_invalid', tail: ` "a\\"b.csv" ${BAD_CHAR('"')}` },
  '<': { path: 'a<b.csv', status: 400, code: 'path_invalid', tail: ` "a<b.csv" ${BAD_CHAR('<')}` },
  '>': { path: 'a>b.csv', status: 400, code: 'path_invalid', tail: ` "a>b.csv" ${BAD_CHAR('>')}` },
  '|': { path: 'a|b.csv', status: 400, code: 'path_invalid', tail: ` "a|b.csv" ${BAD_CHAR('|')}` },
  '?': { path: 'a?.csv', status: 400, code: 'path_invalid', tail: ` "a?.csv" ${BAD_CHAR('?')}` },
  '* in a folder': { path: 'd*/x.csv', status: 400, code: 'path_invalid', tail: ` "d*/x.csv" holds "d*", which ${BAD_CHAR('*')}` },
  'a control character (TAB)': { path: 'a\tb.csv', status: 400, code: 'path_invalid', tail: ' contains U+0009 TAB at position 2' },
  // a new file: a reader of A.CSV finds no such file (on Linux), as before
  'A.CSV beside a.csv': { path: 'A.CSV', status: 400, code: 'path_invalid', tail: ` "A.CSV" would be a new file beside the file "a.csv": ${TWIN}`, skip: (r) => !r.writes },
  'P/x.csv beside the folder p': { path: 'P/x.csv', status: 400, code: 'path_invalid', tail: ` "P/x.csv" would make a folder "P" beside the folder "p": ${TWIN}`, skip: (r) => !r.writes },
  'p/LAST.csv beside p/last.csv': { path: 'p/LAST.csv', status: 400, code: 'path_invalid', tail: ` "p/LAST.csv" would be a new file beside the file "p/last.csv": ${TWIN}`, skip: (r) => !r.writes },
}

const cases = Object.entries(ROUTES).flatMap(([route, r]) =>
  Object.entries(BAD)
    .filter(([, b]) => !b.skip?.(r))
    .map(([bad, b]) => [route, bad, r, b] as const),
)

describe('a bad upload path gets one status and one wording on every route (#9 §6)', () => {
  it.each(cases)('%s: %s', async (route, _bad, r, b) => {
    const got = await r.send(b.path)
    // TuGraph has one error status, 400, for a missing file too (reference/tugraph.md §1.5, §1.6)
    const want: Refusal = { status: route.startsWith('TuGraph') ? 400 : b.status, message: `${r.field}${b.tail}` }
    if (route.startsWith('native')) {
      // Ajv's type check answers a number before the shared rule, in the same words (invalid_request)
      Object.assign(want, { code: b.path === 42 && got.code === 'invalid_request' ? 'invalid_request' : b.code, field: r.field })
    }
    expect(got).toEqual(want)
  })

  it('uploading p\\last.csv leaves p/last.csv as it was (it overwrote it)', async () => {
    await ROUTES['native files/upload'].send('p\\last.csv')
    await ROUTES['TuGraph upload_files'].send('p\\last.csv')
    expect(readFileSync(stored('p/last.csv'), 'utf8')).toBe('1,kept\n')
  })

  it('legitimate names still upload on both upload routes: CJK, spaces and dots inside, the exact spelling of a file that exists', async () => {
    const names = ['数据 文件.v2.csv', 'my data/2024.01 report.csv', '.hidden.csv', 'ｆｕｌｌ　ｗｉｄｔｈ.csv', 'a.csv', 'p/last.csv', 'P2/x.csv', 'con-tacts.csv', 'console.csv']
    for (const name of names) {
      const r = await ROUTES['native files/upload'].send(name)
      expect({ name, status: r.status }, JSON.stringify(r)).toEqual({ name, status: 200 })
    }
    // TuGraph's upload writes at Begin-Pos 0 over the native upload's first byte: the names all resolve alike
    for (const name of names) expect({ name, ...(await ROUTES['TuGraph upload_files'].send(name)) }).toEqual({ name, status: 200, message: '' })
    expect(readFileSync(stored('p/last.csv'), 'utf8')).toBe('x,kept\n')
  })

  it('a file an older version stored under a name now refused stays reachable to check and delete', async () => {
    writeFileSync(stored('aux.csv'), 'x')
    writeFileSync(stored('old\u202Ename.csv'), 'x')
    // stored on Linux before Windows' rules applied there: still checked and deleted by their own names
    writeFileSync(stored('data.csv:ads'), 'x')
    writeFileSync(stored('trail.csv.'), 'x')
    expect(await tugraph('check_file', { fileName: 'data.csv:ads', flag: '2', fileSize: '1' })).toEqual({ status: 200, message: '' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'data.csv:ads' })).body).toEqual({ path: 'data.csv:ads' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'trail.csv.' })).body).toEqual({ path: 'trail.csv.' })
    expect(await tugraph('check_file', { fileName: 'aux.csv', flag: '2', fileSize: '1' })).toEqual({ status: 200, message: '' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'aux.csv' })).body).toEqual({ path: 'aux.csv' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'old\u202Ename.csv' })).body).toEqual({ path: 'old\u202Ename.csv' })
  })

  it('saved scripts (a tree of names in the database, not files: their own limits and words) refuse theirs 400 naming path', async () => {
    // a Windows device name is no problem there: no file is made of it
    for (const path of ['', 'a'.repeat(300), 'x\u202Ey', 'p\\last', 42]) {
      const r = await t.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code: 'select 1' })
      expect({ status: r.status, field: r.body?.error?.field }, JSON.stringify(r.body)).toEqual({ status: 400, field: 'path' })
    }
  })

  it('GES import-graph refuses them as 400 in its envelope, in the same words', async () => {
    for (const [bad, b] of Object.entries(BAD)) {
      // GES takes "" as a path not given; a folder stands for its files; GES field naming is its own (ges-import.service.ts)
      if (bad === 'empty' || bad === 'a folder' || bad === 'a number') continue
      if (b.skip?.({ field: 'edgeset_path', folders: true, send: async () => ({ status: 0 }) })) continue // a new file's rows: GES only reads
      const res = await fetch(`${t.url}/v2/p1/graphs/g/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': ges }, body: JSON.stringify({ edgeset_path: b.path }) })
      const body = await res.json()
      expect({ bad, status: res.status, tail: String(body.error_msg ?? body.errorMessage ?? JSON.stringify(body)).endsWith(b.tail) }, JSON.stringify(body)).toEqual({ bad, status: b.status, tail: true })
    }
  })
})
