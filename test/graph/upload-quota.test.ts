// A user's uploaded files take at most MAX_UPLOAD_BYTES_PER_USER in all (#9: a user granted nothing
// must not fill the disk): a chunk that would make them larger is refused, nothing written, with the
// limit named in the dialect's envelope (native 403, TuGraph's errorCode/errorMessage); rewriting
// bytes a file has costs nothing; a delete makes room; an admin is never refused.
import { closeSync, mkdirSync, openSync, ftruncateSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_UPLOAD_BYTES_PER_USER } from '../../shared/quotas'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { expectError, tugraphClient, type TuGraphClient } from '../tugraph/support'

const MiB = 1024 * 1024
let t: TestApp
let eve: TestUser
let eveTu: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  eve = await addUser(t, 'eve')
  eveTu = tugraphClient(t.url)
  await eveTu.login(eve.username, eve.password)
}, 30_000)
afterAll(() => t?.close())

/** A sparse file of `bytes` in `user`'s upload folder (no disk taken, but its size counts). */
function bigFile(user: string, name: string, bytes: number): void {
  const dir = join(t.dir, 'upload_files', user)
  mkdirSync(dir, { recursive: true })
  const fd = openSync(join(dir, name), 'w')
  ftruncateSync(fd, bytes)
  closeSync(fd)
}
const upload = (token: string, path: string, offset: number, body: Buffer) =>
  fetch(`${t.url}/api/v1/files/upload?path=${encodeURIComponent(path)}&offset=${offset}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))
const LIMIT_WORDS = /a user's uploaded files take at most 20 GiB/

describe('uploaded bytes per user', () => {
  it('refuses a chunk past the quota in the native and TuGraph envelopes, takes rewrites, and makes room after a delete', async () => {
    bigFile('eve', 'big.bin', MAX_UPLOAD_BYTES_PER_USER - MiB)
    const refused = await upload(eve.token, 'more.csv', 0, Buffer.alloc(2 * MiB, 'a'))
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({ kind: 'forbidden', code: 'uploads_too_large', field: 'data', message: expect.stringMatching(LIMIT_WORDS) })
    expectError(await eveTu.chunk('more.csv', 0, Buffer.alloc(2 * MiB, 'a')), '400', LIMIT_WORDS)
    expect(() => statSync(join(t.dir, 'upload_files', 'eve', 'more.csv'))).toThrow() // nothing written

    expect((await upload(eve.token, 'small.csv', 0, Buffer.alloc(MiB / 2, 'a'))).status).toBe(200) // what fits is taken
    expect((await upload(eve.token, 'small.csv', 0, Buffer.alloc(MiB / 2, 'b'))).status).toBe(200) // rewriting bytes it has: no growth
    expect((await upload(eve.token, 'small.csv', MiB / 2, Buffer.alloc(MiB, 'b'))).status).toBe(403) // growing it past the quota
    expect((await eveTu.chunk('big.bin', 0, Buffer.alloc(2 * MiB, 'b'))).body.errorCode).toBe('200') // bytes the file has: no growth

    expect((await eve.call('POST', '/api/v1/files/delete', { path: 'big.bin' })).status).toBe(200)
    expect((await upload(eve.token, 'more.csv', 0, Buffer.alloc(2 * MiB, 'a'))).status).toBe(200)
  }, 60_000)

  it('never refuses an admin', async () => {
    bigFile('admin', 'big.bin', MAX_UPLOAD_BYTES_PER_USER)
    expect((await upload(t.token, 'more.csv', 0, Buffer.alloc(2 * MiB, 'a'))).status).toBe(200)
  }, 60_000)
})
