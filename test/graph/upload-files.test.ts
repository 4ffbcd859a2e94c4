// Uploaded files: chunks in order land at their offsets (none past the file's end), sizes are checked against the body,
// checks and deletes stay inside the user's folder.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deleteAllUploads, deleteFile, deleteUserFolder, fileMd5, fileSize, listFiles, MD5_STEP_BYTES, writeChunk } from '../../electron/graph/upload-files'
import { tempDir } from '../support/temp-store'

const text = 'id,name\n1,Ann\n2,Bob\n'

describe('uploaded files', () => {
  it('puts chunks sent in order at their offsets, into folders', async () => {
    const dir = tempDir()
    const bytes = Buffer.from(text)
    await writeChunk(dir, 'admin', 'movie/raw/p.csv', 0, 8, bytes.subarray(0, 8))
    await writeChunk(dir, 'admin', 'movie/raw/p.csv', 8, bytes.length - 8, bytes.subarray(8))
    expect(readFileSync(join(dir, 'upload_files/admin/movie/raw/p.csv'), 'utf8')).toBe(text)
    expect(await fileSize(dir, 'admin', 'movie/raw/p.csv')).toBe(bytes.length)
    expect(await fileMd5(dir, 'admin', './movie/raw/p.csv')).toBe(createHash('md5').update(text).digest('hex'))
    expect(await listFiles(dir, 'admin')).toMatchObject([{ path: 'movie/raw/p.csv', bytes: bytes.length }])
  })

  it('refuses a chunk that starts past the file’s end (a hole), naming the offset field, for admins too', async () => {
    const dir = tempDir()
    await expect(writeChunk(dir, 'admin', 'h.bin', 8 * 2 ** 30, 1, Buffer.from('x'), { admin: true })).rejects.toMatchObject({
      code: 'invalid_request',
      field: 'Begin-Pos',
      message: 'Begin-Pos 8589934592 is past the end of h.bin (0 bytes so far): send the chunks in order, from where the file ends',
    })
    await expect(fileSize(dir, 'admin', 'h.bin')).rejects.toMatchObject({ code: 'file_not_found' })
    await writeChunk(dir, 'bob', 'h.bin', 0, 2, Buffer.from('ab'))
    await expect(writeChunk(dir, 'bob', 'h.bin', 3, 1, Buffer.from('x'), { offsetField: 'offset' })).rejects.toMatchObject({ field: 'offset', message: /^offset 3 is past the end of h.bin \(2 bytes so far\)/ })
    await writeChunk(dir, 'bob', 'h.bin', 2, 1, Buffer.from('c'))
    expect(await fileMd5(dir, 'bob', 'h.bin')).toBe(createHash('md5').update('abc').digest('hex'))
  })

  it('refuses a body whose length is not the declared Size, before writing anything', async () => {
    const dir = tempDir()
    await expect(writeChunk(dir, 'admin', 'a.csv', 0, 10, Buffer.from('short'))).rejects.toMatchObject({ code: 'invalid_request', message: 'Size and content are not equal ' })
    await expect(fileSize(dir, 'admin', 'a.csv')).rejects.toMatchObject({ code: 'file_not_found' })
  })

  it('makes one of twin names sent at the same time, refusing the others (attack3: 3 of 4 case twins were made); both Unicode forms of a name write one file', async () => {
    const dir = tempDir()
    const send = (name: string) => writeChunk(dir, 'bob', name, 0, 1, Buffer.from('x')).then(
      () => 'made',
      (e: { code?: string }) => e.code,
    )
    for (const names of [['Twin.csv', 'twin.csv', 'TWIN.csv', 'tWin.csv'], ['Fold/a.csv', 'fold/b.csv', 'FOLD/c.csv']]) {
      const answers = await Promise.all(names.map(send))
      expect(answers.filter((a) => a === 'made'), names.join(' ')).toHaveLength(1)
      expect(answers.filter((a) => a !== 'made'), names.join(' ')).toEqual(Array(names.length - 1).fill('path_invalid'))
    }
    expect(await Promise.all(['n\u00e9w.csv', 'ne\u0301w.csv'].map(send))).toEqual(['made', 'made'])
    expect((await listFiles(dir, 'bob')).map((f) => f.path).sort()).toEqual(['Fold/a.csv', 'Twin.csv', 'n\u00e9w.csv'].sort())
  })

  it('keeps every name inside the user folder', async () => {
    const dir = tempDir()
    const outside = join(dir, 'secret.txt')
    writeFileSync(outside, 'secret')
    mkdirSync(join(dir, 'upload_files/bob'), { recursive: true })
    symlinkSync(outside, join(dir, 'upload_files/bob/link.csv'))
    for (const name of ['../x.csv', '/etc/passwd', 'a/../../x', '', 'C:\\x.csv']) {
      await expect(writeChunk(dir, 'bob', name, 0, 1, Buffer.from('x'))).rejects.toMatchObject({ kind: expect.stringMatching(/invalid|forbidden/) })
    }
    await expect(writeChunk(dir, 'bob', 'link.csv', 0, 1, Buffer.from('x'))).rejects.toMatchObject({ code: 'path_escapes' })
    await expect(fileSize(dir, 'bob', 'link.csv')).rejects.toMatchObject({ code: 'path_escapes' })
    await expect(deleteFile(dir, 'bob', 'link.csv')).rejects.toMatchObject({ code: 'path_escapes' })
    expect(readFileSync(outside, 'utf8')).toBe('secret')
  })

  it('deletes a file, a user folder or every upload, saying "<path> does not exist in your upload folder" when there is nothing', async () => {
    const dir = tempDir()
    await writeChunk(dir, 'ann', 'a.csv', 0, 1, Buffer.from('1'))
    await writeChunk(dir, 'bob', 'b.csv', 0, 1, Buffer.from('2'))
    await expect(deleteFile(dir, 'ann', 'nope.csv')).rejects.toMatchObject({ code: 'file_not_found', field: 'path', message: 'path "nope.csv" does not exist in your upload folder' })
    await deleteFile(dir, 'ann', 'a.csv')
    expect(await listFiles(dir, 'ann')).toEqual([])
    await deleteUserFolder(dir, 'ann')
    await expect(deleteUserFolder(dir, 'ann')).rejects.toMatchObject({ message: 'ann not exists' })
    await deleteAllUploads(dir)
    expect(await listFiles(dir, 'bob')).toEqual([])
  })

  it('hashes a file of several md5 steps whole: a step boundary at the end, or just before it', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'upload_files/ann'), { recursive: true })
    for (const bytes of [0, MD5_STEP_BYTES, 2 * MD5_STEP_BYTES + 5]) {
      const data = Buffer.alloc(bytes)
      for (let i = 0; i < bytes; i += 4096) data.writeUInt32LE(i, i) // no two steps alike
      writeFileSync(join(dir, 'upload_files/ann/s.bin'), data)
      expect(await fileMd5(dir, 'ann', 's.bin')).toBe(createHash('md5').update(data).digest('hex'))
    }
  })

  it('answers a small file’s check while another user’s long checks hash (a step apart, not a whole hash)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'upload_files/bob'), { recursive: true })
    writeFileSync(join(dir, 'upload_files/bob/big.bin'), '')
    truncateSync(join(dir, 'upload_files/bob/big.bin'), 4 * 2 ** 30) // 4 GiB of hole: 128 steps, many seconds
    await writeChunk(dir, 'ann', 'small.csv', 0, 3, Buffer.from('abc'))
    const hangUp = new AbortController()
    const bobs = [fileMd5(dir, 'bob', 'big.bin', hangUp.signal), fileMd5(dir, 'bob', 'big.bin', hangUp.signal)].map((p) => p.catch((e: Error) => e.message))
    await new Promise((r) => setTimeout(r, 300)) // bob's checks hold the line
    const started = performance.now()
    expect(await fileMd5(dir, 'ann', 'small.csv')).toBe(createHash('md5').update('abc').digest('hex'))
    const ms = performance.now() - started
    hangUp.abort(new Error('bob hung up'))
    expect(ms).toBeLessThan(3000) // before: after both of bob's hashes (44.9 s in all here)
    expect(await Promise.all(bobs)).toEqual(['bob hung up', 'bob hung up']) // stopped between steps or in one
  }, 60_000)
})
