// A GES request signed with an access key names its account before the body its HMAC covers is
// read, so its body's bytes count for its client's address (body-rate.ts claimedUntilBody), and on
// loopback every local process is one address. A local client without any credential names a real
// access key with a made-up secret and sends large bodies it never finishes (keeping the body rate,
// 500 B/s, they last as long as it likes): they fill loopback's share of the bytes of unfinished
// bodies, and every other body counted for loopback's address (another GES client's signed upload,
// a client not yet signed in) was refused 503 until the attacker stopped. Here the cap is 2,000,000
// bytes and a share a quarter of it (500,000); the forged bodies are 300,000 bytes, 240,000 of each
// sent (the test ends well within the body rule's 20 s, so they need not trickle).
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'
import { gesBodies, statusLine } from '../support/ges-bodies'
import type { PartSent } from '../support/unfinished-body'

let t: TestApp
const bodies = gesBodies(() => t)
beforeAll(async () => {
  t = await startTestApp({ connections: { bodyBytesHeldMax: 2_000_000 } })
  await bodies.setUp()
}, 60_000)
afterAll(() => t?.close())
afterEach(async () => {
  bodies.closeAll()
  await pause(300) // their bodies' bytes are given back as their connections close
})

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A forged body: 240,000 of its 300,000 bytes sent. */
const forged = (): PartSent => bodies.forged(300_000, 240_000)

/** Two forged bodies: 480,000 of loopback's 500,000 bytes. */
async function fillShare(): Promise<PartSent[]> {
  const held = [forged()]
  await pause(200)
  held.push(forged())
  await pause(300)
  for (const h of held) expect(await h.answer(50), 'the forged body is held, unanswered').toBe('')
  return held
}

it('a signed GES upload beside forged bodies that hold loopback’s share goes through, and the forged one stalled longest gives way', async () => {
  const [first, second] = await fillShare()
  // an honest import-graph whose body (padded with JSON's whitespace to 150,000 bytes) is signed with the key's secret
  const answered = await bodies.honest(150_000, 150_000).part.answer(5_000)
  // before: 480,000 + 150,000 bytes were over loopback's share and the upload was refused 503
  expect(statusLine(answered), 'its signature checked, it reached the import’s own checks').toBe('HTTP/1.1 404 Not Found')
  expect(answered).toMatch(/does not exist in your upload folder/)
  const ended = await first!.answer(2_000)
  expect(statusLine(ended), 'the oldest forged body is ended').toBe('HTTP/1.1 503 Service Unavailable')
  expect(ended, 'in GES’s envelope').toMatch(/"error_code":"[A-Z]+\.\d+"/)
  expect(await second!.answer(50), 'the other is still held').toBe('')
}, 30_000)

it('a client not yet signed in gets through forged bodies that hold loopback’s share, and a flood only displaces itself', async () => {
  const [first, second] = await fillShare()
  // a sign-in (a small body, counted for loopback's address until its password is checked)
  const signIn = { username: DEFAULT_ADMIN.username, password: DEFAULT_ADMIN.password, pad: '' }
  const body = JSON.stringify({ ...signIn, pad: 'x'.repeat(60_000 - JSON.stringify(signIn).length) })
  const answered = await bodies.send('/api/v1/login', { 'content-type': 'application/json' }, body, body.length).answer(5_000)
  expect(statusLine(answered), 'before: refused 503').toBe('HTTP/1.1 200 OK')
  expect(statusLine(await first!.answer(2_000)), 'the oldest forged body gave way to it').toBe('HTTP/1.1 503 Service Unavailable')
  expect(await second!.answer(50)).toBe('')
  // two more forged bodies take the attacker's over the share again: its oldest gives way
  const third = forged()
  await pause(200)
  const fourth = forged()
  expect(statusLine(await second!.answer(2_000))).toBe('HTTP/1.1 503 Service Unavailable')
  expect(await third.answer(50)).toBe('')
  expect(await fourth.answer(50)).toBe('')
}, 30_000)
