// Attack (#9 §3, files across users): a user's uploads live in `<data>/upload_files/<username>/`
// (upload-paths.ts userUploadDir), and user names may end with a dot (USERNAME in
// users.service.ts: /^[a-z0-9][a-z0-9._-]{0,63}$/). JobDesk ships for Windows (electron-builder.yml,
// nsis), where Win32 paths drop a component's trailing dots: `upload_files\alice.\x.csv` IS
// `upload_files\alice\x.csv`. So a user named `alice.` (or `alice..`) reads, overwrites, imports and
// deletes alice's files through every dialect (TuGraph upload_files/clear_cache, GES import-graph
// paths, the Imports page). Over real HTTP (node out/main/serve.js on Linux) POST /api/v1/users
// {username: "alice."} answered 201 while alice existed; the names differing only in case were
// refused (409 user_exists), so the rule knows names can collide, but not this way. Windows'
// device names (`con`, `nul`, `aux`, `com1`) cannot name a folder at all. Expected: a name that
// would share another user's folder, or name none, is refused with a clear 4xx naming the field.
// This test FAILS until such names are refused (or folders are named so that they cannot collide).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

describe('attack: user names that share or cannot name an upload folder on Windows', () => {
  it('refuses alice. and alice.. once alice exists, and the device names', async () => {
    expect((await t.call('POST', '/api/v1/users', { username: 'alice', password: 'alice-password-1' })).status).toBe(201)
    for (const username of ['alice.', 'alice..', 'con', 'nul', 'aux', 'com1']) {
      const r = await t.call('POST', '/api/v1/users', { username, password: 'other-password-1' })
      expect(r.status, `${username}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
      expect(r.body.error.field).toBe('username')
    }
  })
})
