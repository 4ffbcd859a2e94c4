// Attack (atk24): #9 refuses names with a control or invisible character where things are made
// (users, jobs, saved scripts, graphs, labels, workflows), but an uploaded file is named by the
// TuGraph File-Name header with no such check (http/dialects/tugraph/files.ts → upload-files.ts
// writeChunk). `invoice` + U+202E RIGHT-TO-LEFT OVERRIDE + `vsc.exe` is kept as named, and is what
// the Graph page's file lists and GES/TuGraph imports then show (drawn as `invoiceexe.csv`).
// Expected: refused, like every other new name, naming the character.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tugraphClient, type TuGraphClient } from './support'

let t: TestApp
let admin: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  admin = tugraphClient(t.url)
  await admin.login()
}, 30_000)
afterAll(() => t?.close())

it.each([
  ['a right-to-left override', 'invoice\u202Evsc.exe'],
  ['a zero-width space', 'da\u200Bta.csv'],
])('refuses an upload whose File-Name holds %s', async (_what, name) => {
  const header = Buffer.from(name, 'utf8').toString('latin1') // headers travel as bytes
  const res = await admin.post('upload_files', 'a', { 'File-Name': header, 'Begin-Pos': '0', Size: '1' })
  expect(res.body?.errorCode, JSON.stringify(res.body)).not.toBe('200')
  const folder = join(t.dir, 'upload_files', 'admin')
  expect(existsSync(folder) ? readdirSync(folder) : []).not.toContain(name)
})
