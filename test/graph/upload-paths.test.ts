// Uploaded files: a client's name resolves inside `<data>/upload_files/<user>/` or not at all.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveUploadPath, userUploadDir } from '../../electron/graph/upload-paths'
import { tempDir } from '../support/temp-store'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return (e as { code: string }).code
  }
  return 'resolved'
}

describe('upload paths', () => {
  it('resolves names with folders and a leading ./ inside the user folder', () => {
    dir = tempDir()
    const root = join(dir, 'upload_files', 'bob')
    expect(resolveUploadPath(dir, 'bob', 'movie/raw_data/x.csv')).toBe(join(root, 'movie', 'raw_data', 'x.csv'))
    expect(resolveUploadPath(dir, 'bob', './a.csv')).toBe(join(root, 'a.csv'))
  })

  it.each([
    ['../x', 'path_escapes'],
    ['a/../../x', 'path_escapes'],
    ['..\\x', 'path_escapes'],
    ['/etc/passwd', 'path_invalid'],
    ['C:\\x.csv', 'path_invalid'],
    ['', 'path_invalid'],
    ['./', 'path_invalid'],
    ['a\\b.csv', 'path_invalid'], // #9 §6: `\` as a separator overwrote a/b.csv: refused, never a folder
    ['con.csv', 'path_invalid'], // a Windows device name: no file there
    ['a/aux/b.csv', 'path_invalid'],
    // attack3: devices too (Windows' list and Python's ntpath.isreserved), and a device name before spaces and an extension
    ['CONIN$', 'path_invalid'],
    ['conout$.txt', 'path_invalid'],
    ['con .csv', 'path_invalid'],
    ['d/nul  .tar.gz', 'path_invalid'],
    ['data.csv:ads', 'path_invalid'], // an NTFS stream of data.csv
    ['a.csv.', 'path_invalid'], // a.csv on Windows
    ['dir /x.csv', 'path_invalid'], // dir/x.csv on Windows
    ['a?.csv', 'path_invalid'],
    ['a\0b', 'path_invalid'],
    ['a'.repeat(256), 'path_invalid'], // longer than a file system's name
    [`${'d/'.repeat(1100)}x`, 'path_invalid'], // longer than a path may be
  ])('refuses %j (%s)', (name, code) => {
    dir = tempDir()
    expect(codeOf(() => resolveUploadPath(dir, 'bob', name))).toBe(code)
  })

  it('refuses a symbolic link that leads out of the folder, dangling or not, and allows one that stays in', () => {
    dir = tempDir()
    const root = join(dir, 'upload_files', 'bob')
    mkdirSync(join(root, 'in'), { recursive: true })
    writeFileSync(join(dir, 'secret.csv'), 'x')
    writeFileSync(join(root, 'in', 'ok.csv'), 'x')
    symlinkSync(join(dir, 'secret.csv'), join(root, 'out.csv'))
    symlinkSync(dir, join(root, 'outdir'))
    symlinkSync(join(dir, 'nothing-yet.csv'), join(root, 'dangling.csv'))
    symlinkSync(join(root, 'in'), join(root, 'alias'))
    expect(codeOf(() => resolveUploadPath(dir, 'bob', 'out.csv'))).toBe('path_escapes')
    expect(codeOf(() => resolveUploadPath(dir, 'bob', 'outdir/secret.csv'))).toBe('path_escapes')
    expect(codeOf(() => resolveUploadPath(dir, 'bob', 'dangling.csv'))).toBe('path_escapes')
    expect(resolveUploadPath(dir, 'bob', 'alias/ok.csv', { mustExist: true })).toBe(join(root, 'alias', 'ok.csv'))
    expect(codeOf(() => resolveUploadPath(dir, 'bob', 'in/missing.csv', { mustExist: true }))).toBe('file_not_found')
  })

  it('writing, refuses a new file or folder whose name differs from an existing one only in case, naming it; the exact name and reading stay as they were', () => {
    dir = tempDir()
    const root = join(dir, 'upload_files', 'bob')
    mkdirSync(join(root, 'Movie', 'raw'), { recursive: true })
    writeFileSync(join(root, 'Movie', 'raw', 'x.csv'), 'x')
    writeFileSync(join(root, 'a.csv'), 'x')
    const messageOf = (name: string) => {
      try {
        resolveUploadPath(dir, 'bob', name, { writing: true })
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`
      }
      return 'resolved'
    }
    const twin = 'Windows and macOS ignore case, so there the two would be one; choose another name'
    expect(messageOf('A.csv')).toBe(`path_invalid: path "A.csv" would be a new file beside the file "a.csv": ${twin}`)
    expect(messageOf('movie/y.csv')).toBe(`path_invalid: path "movie/y.csv" would make a folder "movie" beside the folder "Movie": ${twin}`)
    expect(messageOf('Movie/RAW/y.csv')).toBe(`path_invalid: path "Movie/RAW/y.csv" would make a folder "Movie/RAW" beside the folder "Movie/raw": ${twin}`)
    expect(messageOf('Movie/raw/X.CSV')).toBe(`path_invalid: path "Movie/raw/X.CSV" would be a new file beside the file "Movie/raw/x.csv": ${twin}`)
    expect(messageOf('A.CSV/x.csv')).toBe(`path_invalid: path "A.CSV/x.csv" would make a folder "A.CSV" beside the file "a.csv": ${twin}`)
    for (const ok of ['a.csv', 'Movie/raw/x.csv', 'Movie/raw/y.csv', 'b.csv', 'new/A.csv']) expect(messageOf(ok), ok).toBe('resolved')
    // reading: no such file on a Linux file system, as before
    expect(codeOf(() => resolveUploadPath(dir, 'bob', 'A.csv', { mustExist: true }))).toBe('file_not_found')
    // both stored by an older version: each is still written by its own name
    writeFileSync(join(root, 'A.csv'), 'x')
    expect(messageOf('A.csv')).toBe('resolved')
  })

  it('writing, takes a name in either Unicode form for the one file (stored NFC), and refuses its case twins in either form', () => {
    dir = tempDir()
    const root = join(dir, 'upload_files', 'bob')
    mkdirSync(join(root, 'R\u00e9s'), { recursive: true })
    writeFileSync(join(root, 'caf\u00e9.csv'), 'x')
    const messageOf = (name: string) => {
      try {
        return resolveUploadPath(dir, 'bob', name, { writing: true })
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`
      }
    }
    // café typed as e + U+0301 is the file café.csv (as on macOS), not a second one beside it
    expect(messageOf('cafe\u0301.csv')).toBe(join(root, 'caf\u00e9.csv'))
    expect(messageOf('Re\u0301s/y.csv')).toBe(join(root, 'R\u00e9s', 'y.csv'))
    const twin = 'Windows and macOS ignore case, so there the two would be one; choose another name'
    expect(messageOf('CAFE\u0301.csv')).toBe(`path_invalid: path "CAF\u00c9.csv" would be a new file beside the file "caf\u00e9.csv": ${twin}`)
    expect(messageOf('r\u00e9s/y.csv')).toBe(`path_invalid: path "r\u00e9s/y.csv" would make a folder "r\u00e9s" beside the folder "R\u00e9s": ${twin}`)
  })

  it('refuses user names that are not one folder name', () => {
    dir = tempDir()
    for (const user of ['', '..', 'a/b', 'a\\b']) expect(codeOf(() => userUploadDir(dir, user))).toBe('path_invalid')
    // another user's folder on Windows or macOS (alice. and Alice are alice), or none (a device name)
    for (const user of ['alice.', 'alice ', 'Alice', 'con', 'nul.txt', 'COM1', 'lpt0.']) expect(codeOf(() => userUploadDir(dir, user)), user).toBe('path_invalid')
    expect(userUploadDir(dir, 'alice.b')).toBe(join(dir, 'upload_files', 'alice.b'))
  })
})
