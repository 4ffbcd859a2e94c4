// An address over its share of unfinished body bytes ends its own large bodies to make room
// (body-rate.ts). By age, the oldest went first: a local client flooding forged GES bodies (counted
// for loopback's address until their HMAC fails) ended an honest upload as soon as that upload was
// loopback's oldest body, at 64 KiB of flood per body ended (ges11 review). Now the slowest by their
// recent rate go first: a flood's bodies stall once sent, an upload that keeps coming outranks them.
// Here the cap is 4,000,000 bytes and a share 1,000,000.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { gesBodies, statusLine } from '../support/ges-bodies'
import type { PartSent } from '../support/unfinished-body'

let t: TestApp
const bodies = gesBodies(() => t)
beforeAll(async () => {
  t = await startTestApp({ connections: { bodyBytesHeldMax: 4_000_000 } })
  await bodies.setUp()
}, 60_000)
afterAll(() => t?.close())
afterEach(() => bodies.closeAll())

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

it('an honest upload that keeps coming outlasts a flood of stalled forged bodies, though it becomes loopback’s oldest body', async () => {
  // six forged bodies of 100,000 bytes, sent at once and stalled: 600,000 of the 1,000,000 share
  const flood: PartSent[] = []
  for (let i = 0; i < 6; i++) flood.push(bodies.forged(120_000, 100_000))
  await pause(300)
  // a signed import of 600,000 bytes, 40,000 every 133 ms (300 kB/s, 2 s), while a new forged body comes every 300 ms (333 kB/s)
  const { part: honest, body } = bodies.honest(600_000, 40_000)
  let sent = 40_000
  const trickle = setInterval(() => {
    if (sent >= body.length || honest.socket.destroyed) return clearInterval(trickle)
    honest.socket.write(body.slice(sent, (sent += 40_000)))
  }, 133)
  try {
    for (let i = 0; i < 8; i++) {
      await pause(300)
      flood.push(bodies.forged(120_000, 100_000))
    }
    const answered = await honest.answer(5_000)
    // before: once the six first forged bodies had given way, the upload was the oldest and was ended 503
    expect(statusLine(answered), 'its signature checked, it reached the import’s own checks').toBe('HTTP/1.1 404 Not Found')
    expect(answered).toMatch(/does not exist in your upload folder/)
    const ended = (await Promise.all(flood.map((f) => f.answer(100)))).filter((a) => statusLine(a) === 'HTTP/1.1 503 Service Unavailable')
    expect(ended.length, 'the flood’s own bodies gave way').toBeGreaterThanOrEqual(2)
  } finally {
    clearInterval(trickle)
  }
}, 30_000)
