// How many event streams one user, and all users, may hold open (#9 §2, atk38a: 1,000 streams of one
// user made every event cost the main thread 1,000 writes). A further one is refused with 429 in the
// native envelope naming the limit; the streams already open go on. The fanout under load:
// attack-many-event-streams.probe.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { openEventStream, type OpenEventStream } from '../support/event-stream'
import { addUser } from '../support/users'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ eventStreams: { maxPerUser: 2, maxTotal: 3 } })
}, 60_000)
afterAll(() => t?.close())

/** Asks for a stream that is to be refused: its status and error envelope. */
async function refused(token: string): Promise<{ status: number; error: { kind: string; code: string; message: string } }> {
  const res = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, ...((await res.json()) as { error: { kind: string; code: string; message: string } }) }
}

/** Opens streams with `token` until one is answered 200 (a closed stream leaves the count as its connection closes), 50 tries at most. */
async function openOnceFree(token: string): Promise<OpenEventStream> {
  for (let tries = 0; ; tries++) {
    const s = await openEventStream(t.url, token)
    if (s.status === 200 || tries === 50) return s
    await s.stop()
    await new Promise((r) => setTimeout(r, 20))
  }
}

it('refuses a user a stream over their limit, and any user one over the total, with 429 naming the limit', async () => {
  const bob = await addUser(t, 'bob')
  const mine = [await openEventStream(t.url, t.token), await openEventStream(t.url, t.token)]
  expect(mine.map((s) => s.status)).toEqual([200, 200])
  const third = await refused(t.token)
  expect(third.status).toBe(429)
  expect(third.error).toMatchObject({ kind: 'rate_limited', code: 'too_many_event_streams' })
  expect(third.error.message).toContain('(2)')

  const bobs = await openEventStream(t.url, bob.token) // bob's first: the third of all
  expect(bobs.status).toBe(200)
  const overTotal = await refused(bob.token)
  expect(overTotal.status).toBe(429)
  expect(overTotal.error.message).toContain('(3)')

  // a stream already open still carries events, and a closed one makes room
  await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo hi' })
  await mine[0].stop()
  const again = await openOnceFree(bob.token)
  expect(again.status).toBe(200)
  for (let i = 0; i < 500 && !mine[1].text().includes('job.changed'); i++) await new Promise((r) => setTimeout(r, 10))
  expect(mine[1].text()).toContain('event: job.changed')
  await Promise.all([mine[1], bobs, again].map((s) => s.stop()))
})
