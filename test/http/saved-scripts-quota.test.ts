// A user's saved scripts hold at most MAX_SAVED_SCRIPT_BYTES_PER_USER of code in all (their count is
// bounded already: SAVED_SCRIPT_LIMITS.entries): a save that would pass it is refused with a 403
// naming the limit and the field, nothing written; a save that shrinks a script is taken; an admin
// is never refused (#9: a user granted nothing must not fill the disk).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SAVED_SCRIPT_BYTES_PER_USER } from '../../shared/quotas'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp()
  eve = await addUser(t, 'eve')
}, 30_000)
afterAll(() => t?.close())

const MB = 1_000_000 // the most one script holds (SAVED_SCRIPT_LIMITS.codeBytes)
/** Fills `owner`'s saved scripts to `bytes` of code in 1 MB scripts (in the store: 67 saves over HTTP would only be slower). */
function fill(owner: string, bytes: number): void {
  for (let i = 0; bytes > 0; i++, bytes -= MB) t.app.store.savedScripts.insert({ owner, path: `fill/${i}`, kind: 'script', language: 'sql', code: 'x'.repeat(Math.min(MB, bytes)) })
}
const save = (call: TestApp['call'], path: string, code: string, overwrite = false) => call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code, overwrite })
const LIMIT_WORDS = /a user's saved scripts hold at most 64 MiB/

describe('saved script bytes per user', () => {
  it('refuses a save past the quota naming it, and takes one that fits or shrinks a script', async () => {
    fill('eve', MAX_SAVED_SCRIPT_BYTES_PER_USER - 10)
    const refused = await save(eve.call, 'one-more', 'x'.repeat(11))
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({ kind: 'forbidden', code: 'saved_scripts_too_large', field: 'code', message: expect.stringMatching(LIMIT_WORDS) })
    expect(t.app.store.savedScripts.get('eve', 'one-more')).toBeUndefined()
    // growing a script in place counts the same
    expect((await save(eve.call, 'fill/0', 'y'.repeat(MB), true)).status).toBe(201) // the same size: no growth
    const last = Math.floor((MAX_SAVED_SCRIPT_BYTES_PER_USER - 10) / MB) // the fill script that holds less than 1 MB
    const grown = await save(eve.call, `fill/${last}`, 'x'.repeat(MB), true)
    expect(grown.status).toBe(403)
    expect((await save(eve.call, 'fill/0', 'select 1', true)).status).toBe(201) // shrinking frees room
    expect((await save(eve.call, 'one-more', 'x'.repeat(11))).status).toBe(201)
  }, 60_000)

  it('never refuses an admin', async () => {
    fill('admin', MAX_SAVED_SCRIPT_BYTES_PER_USER)
    expect((await save(t.call, 'one-more', 'select 1')).status).toBe(201)
  }, 60_000)
})
