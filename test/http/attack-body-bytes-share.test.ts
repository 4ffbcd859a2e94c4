// One client may hold only a share of the bytes of unfinished bodies (body-rate.ts BODY_BYTES_SHARE;
// #9, body10): the cap on them (BODY_BYTES_HELD_MAX) was everyone's together, so one client, or
// one account, that sent many bodies and kept each one byte short (each keeping the body rate) held
// it all, and every other user's upload was answered 503 until it let go. Here the cap is 400,000
// bytes and a share a quarter of it: a client's body that would take its own bodies over 100,000
// bytes is refused 503, and another's still goes through. On loopback every local process is one
// address: a signed-in request counts for its account, so a client without one cannot starve it.
import type { Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'
import { createUser } from '../support/users'
import { sendPart, type PartSent } from '../support/unfinished-body'
import { sdkSign } from '../ges/sdk-signer'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ connections: { bodyBytesHeldMax: 400_000 } })
}, 60_000)
afterAll(() => t?.close())
const opened: Socket[] = []
afterEach(async () => {
  for (const s of opened.splice(0)) s.destroy()
  await pause(300) // their bodies' bytes are given back as their connections close
})

const length = 60_000 // under the sign-in's 64 kB limit
const signIn = { username: DEFAULT_ADMIN.username, password: DEFAULT_ADMIN.password, pad: '' }
const signInBody = JSON.stringify({ ...signIn, pad: 'x'.repeat(length - JSON.stringify(signIn).length) })

/** A body of `length` bytes to `path`, with a bearer `token` or none, or other `headers`; the connection sends `sent` bytes of it. */
interface Body {
  path: string
  token?: string
  headers?: Record<string, string>
  sent: number
}

/** Opens a connection that sends the head and then `sent` bytes of the body. */
function open({ path, token, headers = {}, sent }: Body): PartSent {
  const body = path === '/api/v1/login' ? signInBody : JSON.stringify({ pad: 'x'.repeat(length - 10) })
  const auth = Object.entries({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${auth}content-length: ${length}\r\n\r\n`
  const part = sendPart(t.url, head, body, sent)
  opened.push(part.socket)
  return part
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const statusLine = (answer: string) => answer.split('\r\n')[0]

it('refuses an unsigned client its own bodies past its share, and a signed-in user’s upload still goes through', async () => {
  // seven unfinished sign-ins from loopback: 420,000 bytes, over the cap of 400,000 together
  const held = []
  for (let i = 0; i < 7; i++) {
    held.push(open({ path: '/api/v1/login', sent: length - 1 }))
    await pause(150)
  }
  const answers = await Promise.all(held.map((h) => h.answer(1_000)))
  // the admin's body, signed in, from the same loopback address: before, the sign-ins held 360,000 bytes and it was refused 503
  const upload = open({ path: '/api/v1/jobs', token: t.token, sent: length })
  const answered = await upload.answer(5_000)
  expect(statusLine(answered)).toMatch(/^HTTP\/1\.1 \d{3} /)
  expect(statusLine(answered)).not.toMatch(/ 503 /)
  expect(answers[0], 'the first is within the share: held, unanswered').toBe('')
  expect(statusLine(answers[1]!), 'the second takes its bodies over 100,000 bytes').toMatch(/^HTTP\/1\.1 503 /)
  expect(answers[1]).toContain('server_busy')
  expect(answers[1], 'its own bodies end within 20 s: try then').toMatch(/\r\nretry-after: 20\r\n/i)
}, 30_000)

it('refuses one account its own bodies past its share, while another account’s upload still goes through', async () => {
  const bob = await createUser(t, 'bob')
  const first = open({ path: '/api/v1/jobs', token: t.token, sent: length - 1 })
  await pause(300)
  const second = open({ path: '/api/v1/jobs', token: t.token, sent: length - 1 })
  const refused = await second.answer(3_000)
  expect(statusLine(refused), 'the admin’s second body takes their bodies over 100,000 bytes').toMatch(/^HTTP\/1\.1 503 /)
  expect(refused).toContain('server_busy')
  expect(await first.answer(100), 'the first is still held, unanswered').toBe('')
  const upload = open({ path: '/api/v1/jobs', token: bob.token, sent: length })
  const answered = await upload.answer(5_000)
  expect(statusLine(answered)).toMatch(/^HTTP\/1\.1 \d{3} /)
  expect(statusLine(answered)).not.toMatch(/ 503 /)
}, 30_000)

it('counts a GES body signed with another’s access key for its address until the signature is checked, not for that account', async () => {
  // access keys are no secret the way passwords are (they go in every request's Authorization): a
  // local client names the admin's and signs with a made-up secret; the HMAC is checked once the body is read
  const made = await t.call('POST', '/api/v1/access-keys', { description: 'python sdk' })
  expect(made.status).toBe(201)
  const path = '/v2/p1/graphs/g/import-graph'
  const signed = sdkSign(made.body.accessKey, 'not-the-secret', { method: 'POST', host: new URL(t.url).host, path, headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' } })
  const forged = open({ path, headers: signed, sent: length - 1 })
  await pause(300)
  expect(await forged.answer(100), 'its body is held, unanswered').toBe('')
  // before, its 60,000 bytes counted for the admin, and the admin's own body took them over 100,000: 503
  const own = open({ path: '/api/v1/jobs', token: t.token, sent: length - 1 })
  await pause(300)
  expect(await own.answer(100), 'the admin’s body is held, unanswered').toBe('')
  forged.socket.destroy()
  own.socket.destroy()
  await pause(300)
  // the forged signature is refused once the body is whole
  const whole = open({ path, headers: signed, sent: length })
  expect(statusLine(await whole.answer(5_000))).toMatch(/^HTTP\/1\.1 401 /)
}, 30_000)
