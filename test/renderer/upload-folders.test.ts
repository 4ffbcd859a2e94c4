// #9 impjobs: the folders the Imports page offers as a mapping's source (uploadFolders): those holding
// files directly, each with its count and bytes, and its first file as the server orders a folder's
// files (resolveImportFiles: code-unit order, so "B.csv" before "a.csv"), the one its preview reads.
import { expect, it } from 'vitest'
import { SKIP_LINES_LABEL, draftFromMapping, inPageWords, locateFile, newFileDraft, tooManyFilesText, uploadFolders } from '../../renderer/src/features/imports/mapping'

it('lists folders holding files directly, with their count, bytes and first file by name', () => {
  const uploads = [
    { path: 'top.csv', bytes: 5 },
    { path: 'p/a.csv', bytes: 10 },
    { path: 'p/B.csv', bytes: 20 },
    { path: 'p/q/c.jsonl', bytes: 7 },
  ]
  expect(uploadFolders(uploads)).toEqual([
    { path: 'p', files: 2, bytes: 30, first: 'p/B.csv' },
    { path: 'p/q', files: 1, bytes: 7, first: 'p/q/c.jsonl' },
  ])
  // a folder's format is its first file's
  expect(newFileDraft('p/q', 7, 'uploaded', { files: 1, first: 'p/q/c.jsonl' })).toMatchObject({ path: 'p/q', format: 'JSON', folder: { files: 1, first: 'p/q/c.jsonl' } })
})

// #9 last check: a saved folder mapping read "not uploaded" once its config was loaded again
it('finds a config\'s folder among the uploads, before a file of the same base name elsewhere', () => {
  const uploads = [
    { path: 'crew/a.csv', bytes: 10, modifiedAt: 0 },
    { path: 'crew/b.csv', bytes: 20, modifiedAt: 0 },
    { path: 'old/crew', bytes: 3, modifiedAt: 0 },
  ]
  const found = { path: 'crew', bytes: 30, state: 'uploaded', folder: { files: 2, first: 'crew/a.csv' } }
  expect(locateFile('crew', new Map(), uploads)).toEqual(found)
  expect(locateFile('crew/', new Map(), uploads)).toEqual(found)
  const m = { path: 'crew', format: 'CSV' as const, label: 'p', columns: ['id'], header: 1 }
  expect(draftFromMapping(m, undefined, found as ReturnType<typeof locateFile>)).toMatchObject({ path: 'crew', folder: { files: 2, first: 'crew/a.csv' }, upload: { state: 'uploaded' } })
  expect(locateFile('gone', new Map(), uploads)).toEqual({ path: 'gone', bytes: 0, state: 'missing' })
  // an uploaded folder with no files directly in it (files.list's folders with 0 files): empty, not missing (importsui3)
  expect(locateFile('hollow/', new Map(), uploads, ['hollow'])).toEqual({ path: 'hollow', bytes: 0, state: 'empty' })
  expect(locateFile('gone', new Map(), uploads, ['hollow'])).toEqual({ path: 'gone', bytes: 0, state: 'missing' })
  // `./` and doubled slashes name what the import reads (the API's check took './crew'; the page read "not uploaded")
  expect(locateFile('./crew', new Map(), uploads)).toEqual(found)
  expect(locateFile('.//crew/', new Map(), uploads)).toEqual(found)
  expect(locateFile('./hollow', new Map(), uploads, ['hollow'])).toEqual({ path: 'hollow', bytes: 0, state: 'empty' })
})

it('says the file bound in the page\'s words: the folder, how many, the limit, what to do', () => {
  const many = newFileDraft('many', 1, 'uploaded', { files: 1001, first: 'many/a.csv' })
  expect(tooManyFilesText([many], [])).toBe('The folder "many/" holds 1,001 files, and one import takes at most 1,000 files. Move some of its files into another folder and import each folder on its own.')
  const six = newFileDraft('six', 1, 'uploaded', { files: 600, first: 'six/a.csv' })
  expect(tooManyFilesText([six, { ...six, path: 'six2' }], [])).toBe(`This import's files and folders hold 1,200 files in all ("six/" 600, "six2/" 600), and one import takes at most 1,000 files. Remove some from this import and import them in another one.`)
  expect(tooManyFilesText([newFileDraft('a.csv', 1, 'uploaded'), { ...six, folder: { files: 999, first: 'six/a.csv' } }], [])).toBeNull()
})

it('names continueOnError as the page\'s checkbox reads', () => {
  expect(inPageWords('3 lines will not import, and without continueOnError the first one stops the import')).toBe(`3 lines will not import, and without "${SKIP_LINES_LABEL}" the first one stops the import`)
})
