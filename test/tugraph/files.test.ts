// Uploaded files over TuGraph's API (reference/tugraph.md §1.4–§1.6, §8 items 12–14, 27): chunks in
// order at their offsets (none past the file's end), Size checked against the body, names kept inside the caller's own
// folder, check_file by size and md5, clear_cache with its admin rules.
import { createHash } from 'node:crypto'
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CHUNK_BYTES, MAX_FILE_BYTES } from '../../electron/graph/upload-files'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { until } from '../support/until'
import { expectResponsive, probeWhile } from '../support/served-process'
import { CHUNK, expectError, expectOk, QUERY, tugraphClient, type TuGraphClient } from './support'

let t: TestApp
let admin: TuGraphClient
let bob: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  admin = tugraphClient(t.url)
  await admin.login()
  const u = await addUser(t, 'bob')
  bob = tugraphClient(t.url)
  await bob.login(u.username, u.password)
}, 30_000)
afterAll(() => t?.close())

const stored = (user: string, name: string) => join(t.dir, 'upload_files', user, name)

/** Makes the user's file `name` of `bytes` bytes, all a hole (no disk), straight in their upload folder; returns its path. */
function sparseFile(user: string, name: string, bytes: number): string {
  const path = stored(user, name)
  mkdirSync(join(t.dir, 'upload_files', user), { recursive: true })
  const fd = openSync(path, 'w')
  ftruncateSync(fd, bytes)
  closeSync(fd)
  return path
}

/** How many descriptors this process (the app runs in it) holds open on `path` (Linux: /proc/self/fd). */
function openFilesOf(path: string): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++
    } catch {
      // closed meanwhile
    }
  }
  return n
}


describe('upload_files (§8.12, §8.13)', () => {
  it('writes chunks at their offsets, answering data "" (also as upload_file, with lower-case headers)', async () => {
    const data = Buffer.from('id,name,age\n1,Ann,30\n2,Bob,41\n')
    const r = await admin.post('upload_file', data.subarray(0, 12), { 'file-name': 'p.csv', 'begin-pos': '0', size: '12', 'content-type': 'text/csv' })
    expect(expectOk(r)).toBe('')
    expect(expectOk(await admin.chunk('p.csv', 12, data.subarray(12)))).toBe('')
    // a chunk sent again (a client's retry) lands where it did
    expect(expectOk(await admin.chunk('p.csv', 12, data.subarray(12)))).toBe('')
    expect(readFileSync(stored('admin', 'p.csv'))).toEqual(data)
  })

  it('refuses a chunk that starts past the file’s end (a hole) with a 400 naming Begin-Pos, writing nothing', async () => {
    expectError(await admin.chunk('hole.bin', 2 * 2 ** 30, Buffer.from('x')), '400', 'Begin-Pos 2147483648 is past the end of hole.bin (0 bytes so far): send the chunks in order, from where the file ends')
    expect(existsSync(stored('admin', 'hole.bin'))).toBe(false)
    expectOk(await admin.chunk('hole.bin', 0, Buffer.from('abc')))
    expectError(await admin.chunk('hole.bin', 4, Buffer.from('x')), '400', /^Begin-Pos 4 is past the end of hole.bin \(3 bytes so far\)/)
    expect(readFileSync(stored('admin', 'hole.bin'), 'utf8')).toBe('abc')
    // the next chunk, from where the file ends, goes on
    expectOk(await admin.chunk('hole.bin', 3, Buffer.from('d')))
    expect(readFileSync(stored('admin', 'hole.bin'), 'utf8')).toBe('abcd')
  })

  it('takes a file in 1 MiB chunks, as TuGraph’s Python client sends them, into sub-folders', async () => {
    const data = Buffer.alloc(3 * CHUNK + 12345, 'abcdefghij\n')
    await admin.upload('movie/raw_data/big.csv', data)
    expect(createHash('md5').update(readFileSync(stored('admin', 'movie/raw_data/big.csv'))).digest('hex')).toBe(createHash('md5').update(data).digest('hex'))
  })

  it('keeps each user’s files in their own folder', async () => {
    await bob.upload('p.csv', 'bob’s own\n')
    expect(readFileSync(stored('bob', 'p.csv'), 'utf8')).toBe('bob’s own\n')
    expect(readFileSync(stored('admin', 'p.csv'), 'utf8')).toMatch(/^id,name,age/)
  })

  it('refuses a body that is not Size bytes, longer or shorter, before writing anything', async () => {
    expectError(await admin.chunk('size.csv', 0, Buffer.from('0123456789'), 5), '400', 'Size and content are not equal ')
    expectError(await admin.chunk('size.csv', 0, Buffer.from('0123'), 5), '400', 'Size and content are not equal ')
    expect(existsSync(stored('admin', 'size.csv'))).toBe(false)
  })

  it('refuses a chunk over 16 MiB, in the envelope', async () => {
    const big = Buffer.alloc(MAX_CHUNK_BYTES + 1, 1)
    const r = await admin.chunk('huge.bin', 0, big)
    expectError(r, '400', /too large/i)
    expect(existsSync(stored('admin', 'huge.bin'))).toBe(false)
  })

  it('wants File-Name, Begin-Pos and Size, as whole numbers', async () => {
    const missing = 'request header should has a fileName, a beginPos and a size parameter'
    expectError(await admin.post('upload_files', 'x', { 'File-Name': 'a.csv', Size: '1' }), '400', missing)
    expectError(await admin.post('upload_files', 'x', { 'File-Name': 'a.csv', 'Begin-Pos': '0' }), '400', missing)
    expectError(await admin.post('upload_files', 'x', { 'Begin-Pos': '0', Size: '1' }), '400', missing)
    expectError(await admin.post('upload_files', 'x', { 'File-Name': 'a.csv', 'Begin-Pos': '-1', Size: '1' }), '400', /Begin-Pos/)
    expectError(await admin.post('upload_files', 'x', { 'File-Name': 'a.csv', 'Begin-Pos': '0', Size: '1e3' }), '400', /Size/)
  })

  it('refuses a Begin-Pos past the largest file a disk holds with a 400 naming Begin-Pos, leaving no file', async () => {
    for (const begin of [2 ** 50, 9_007_199_254_740_993, MAX_FILE_BYTES]) {
      expectError(await admin.chunk('far.csv', begin, Buffer.from('x')), '400', /^Begin-Pos /)
    }
    // just inside the limit: past the end of the (missing) file, so refused as a hole
    expectError(await admin.chunk('far.csv', MAX_FILE_BYTES - 1, Buffer.from('x')), '400', /^Begin-Pos \d+ is past the end of far.csv \(0 bytes so far\)/)
    expect(existsSync(stored('admin', 'far.csv'))).toBe(false)
  })

  it('refuses names that are absolute, empty, start with the user’s own folder, or leave the folder (.., a symbolic link)', async () => {
    const x = Buffer.from('x')
    for (const name of ['/etc/x', 'C:\\x', '\\\\server\\x']) expectError(await admin.chunk(name, 0, x), '400', 'File-Name is not a relative path')
    expectError(await admin.chunk(' ', 0, x), '400', 'File-Name is empty: name a file in your upload folder') // as every route says it (#9 §6)
    expectError(await admin.chunk('admin/x.csv', 0, x), '400', 'invalid fileName')
    expectError(await admin.chunk(`${'n'.repeat(300)}.csv`, 0, x), '400', /too long/)
    for (const name of ['../x', 'a/../../x', '..\\bob\\p.csv']) expectError(await admin.chunk(name, 0, x), '400', /leaves your upload folder/)
    const outside = join(t.dir, 'outside')
    mkdirSync(outside)
    symlinkSync(outside, stored('admin', 'link'))
    expectError(await admin.chunk('link/x.csv', 0, x), '400', /symbolic link outside your upload folder/)
    expect(existsSync(join(outside, 'x.csv'))).toBe(false)
    expect(readFileSync(stored('bob', 'p.csv'), 'utf8')).toBe('bob’s own\n')
  })

  it('keeps a UTF-8 file name (headers travel as bytes) and strips a leading ./', async () => {
    const name = Buffer.from('数据.csv', 'utf8').toString('latin1')
    expectOk(await admin.post('upload_files', 'a', { 'File-Name': name, 'Begin-Pos': '0', Size: '1' }))
    expectOk(await admin.chunk('./dot.csv', 0, Buffer.from('b')))
    expect(readFileSync(stored('admin', '数据.csv'), 'utf8')).toBe('a')
    expect(readFileSync(stored('admin', 'dot.csv'), 'utf8')).toBe('b')
  })
})

describe('check_file (§8.14)', () => {
  it('compares the size (flag "2") and the md5 (flag "1"), numbers as strings or numbers', async () => {
    const content = 'id,name\n1,a\n'
    await admin.upload('c.csv', content)
    const md5 = createHash('md5').update(content).digest('hex')
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '2', fileSize: String(content.length) }))).toEqual({ pass: true })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: 2, fileSize: content.length }))).toEqual({ pass: true })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '2', fileSize: '3' }))).toEqual({ pass: false })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '1', checkSum: md5 }))).toEqual({ pass: true })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '1', checkSum: md5.toUpperCase() }))).toEqual({ pass: true })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '1', checkSum: 'd41d8cd98f00b204e9800998ecf8427e' }))).toEqual({ pass: false })
    expect(expectOk(await admin.post('check_file', { fileName: 'c.csv', flag: '5' }))).toBe('')
  })

  // #9 verification: the md5 of a 32 GiB file must not go on for minutes after the client left. upload_files
  // makes no holes now, so the file is made sparse on disk (as a large upload made in order would be, on disk)
  it.runIf(process.platform === 'linux')('stops reading a file for its md5 when the client hangs up, and keeps answering meanwhile', async () => {
    const path = sparseFile('admin', 'sparse.csv', 32 * 2 ** 30 + 1)
    const hashing = () => openFilesOf(path) > 0
    const { probe } = await probeWhile(t, async () => {
      for (let client = 0; client < 3; client++) {
        const hangUp = new AbortController()
        const check = fetch(`${t.url}${QUERY}/check_file`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: admin.token },
          body: JSON.stringify({ fileName: 'sparse.csv', flag: '1', checkSum: '00' }),
          signal: hangUp.signal,
        }).catch(() => 'hung up')
        await until(hashing, (on) => on, 'the server starts reading the file', 10_000)
        hangUp.abort() // as a closed tab or a client's own timeout would
        expect(await check).toBe('hung up')
        await until(hashing, (on) => !on, 'the server stops reading it', 3000)
      }
    })
    expectResponsive(probe, 1000)
    rmSync(path)
  })

  // #9 §2: hashing a 1 TB file would hold a thread for hours (upload_files makes no holes now: made on disk)
  it('refuses the md5 of a file over 64 GiB, naming the cap and the size check', async () => {
    sparseFile('admin', 'huge.csv', 1e12 + 1)
    expectError(await admin.post('check_file', { fileName: 'huge.csv', flag: '1', checkSum: '00' }), '400', /huge\.csv is 1000000000001 bytes; an md5 check hashes files up to 68719476736 bytes \(64 GiB\): compare its size \(flag 2\) instead/)
    expect(expectOk(await admin.post('check_file', { fileName: 'huge.csv', flag: '2', fileSize: '1000000000001' }))).toEqual({ pass: true })
    rmSync(stored('admin', 'huge.csv'))
  })

  it('answers 400 for an unknown file, a missing field, a wrong type, and another user’s file', async () => {
    expectError(await admin.post('check_file', { fileName: 'nope.csv', flag: '2', fileSize: '1' }), '400', /nope\.csv/)
    expectError(await admin.post('check_file', { flag: '2', fileSize: '1' }), '400', '`fileName` is not specified.')
    expectError(await admin.post('check_file', { fileName: 'c.csv', flag: '2' }), '400', '`fileSize` is not specified.')
    expectError(await admin.post('check_file', { fileName: 'c.csv', flag: '1' }), '400', '`checkSum` is not specified.')
    expectError(await admin.post('check_file', { fileName: 'c.csv', flag: true, fileSize: '1' }), '400', /`flag`/)
    expectError(await admin.post('check_file', { fileName: 'c.csv', flag: 'two', fileSize: '1' }), '400', /`flag`/)
    expectError(await admin.post('check_file', { fileName: ['c.csv'], flag: '2', fileSize: '1' }), '400', /`fileName`/)
    expectError(await bob.post('check_file', { fileName: 'c.csv', flag: '2', fileSize: '12' }), '400', /c\.csv/) // bob has no c.csv
    expectError(await admin.post('check_file', { fileName: '../bob/p.csv', flag: '2', fileSize: '1' }), '400', /leaves your upload folder/)
  })
})

describe('clear_cache (§8.27)', () => {
  it('flag "0" deletes one file of the caller; a missing one "does not exist in your upload folder", as every route says it', async () => {
    await admin.upload('gone.csv', 'x\n')
    expect(expectOk(await admin.post('clear_cache', { flag: '0', fileName: 'gone.csv' }))).toBe('')
    expect(existsSync(stored('admin', 'gone.csv'))).toBe(false)
    expectError(await admin.post('clear_cache', { flag: '0', fileName: 'gone.csv' }), '400', 'fileName "gone.csv" does not exist in your upload folder')
    expectError(await admin.post('clear_cache', { flag: '0', fileName: 'movie' }), '400', /folder/)
    expectError(await admin.post('clear_cache', { flag: '0' }), '400', '`fileName` is not specified.')
    expectError(await admin.post('clear_cache', { flag: '-1' }), '400', /`flag`/)
  })

  it('flag "1": a user may clear their own folder, not another’s; an admin anyone’s', async () => {
    expectError(await bob.post('clear_cache', { flag: '1', userName: 'admin' }), '400', "bob is not admin user, can't remove other people's file directories")
    expect(existsSync(stored('admin', 'p.csv'))).toBe(true)
    expectOk(await bob.post('clear_cache', { flag: '1', userName: 'bob' }))
    expect(existsSync(stored('bob', 'p.csv'))).toBe(false)
    expectError(await bob.post('clear_cache', { flag: '1', userName: 'bob' }), '400', 'bob not exists')
    await bob.upload('again.csv', 'x\n')
    expectOk(await admin.post('clear_cache', { flag: '1', userName: 'bob' }))
    expect(existsSync(stored('bob', 'again.csv'))).toBe(false)
    expectError(await admin.post('clear_cache', { flag: '1', userName: '..' }), '400')
    expect(existsSync(t.dir)).toBe(true)
  })

  it('flag "2" is for admins: it removes every upload; flags above 2 do nothing', async () => {
    await bob.upload('mine.csv', 'x\n')
    expectError(await bob.post('clear_cache', { flag: '2' }), '400', "bob is not admin user, can't remove all directories")
    expect(existsSync(stored('bob', 'mine.csv'))).toBe(true)
    expectOk(await admin.post('clear_cache', { flag: 3 }))
    expect(existsSync(stored('bob', 'mine.csv'))).toBe(true)
    expect(expectOk(await admin.post('clear_cache', { flag: '2' }))).toBe('')
    expect(existsSync(join(t.dir, 'upload_files'))).toBe(false)
    expect(existsSync(join(t.dir, 'jobdesk.db'))).toBe(true) // the data folder itself is untouched
  })
})
