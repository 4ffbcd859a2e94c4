// #9 impjobs: the folders the Imports page offers as a mapping's source (uploadFolders): those holding
// files directly, each with its count and bytes, and its first file as the server orders a folder's
// files (resolveImportFiles: code-unit order, so "B.csv" before "a.csv"), the one its preview reads.
import { expect, it } from 'vitest'
import { newFileDraft, uploadFolders } from '../../renderer/src/features/imports/mapping'

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
