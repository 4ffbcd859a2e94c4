// atk40: conn8 bounds event streams at 16 a user and 128 in all (native/event-stream.ts
// EVENT_STREAM_LIMITS), with no place kept for anyone: 8 accounts that are no admin, 16 streams each
// (a few users' scripts, or one person's spare accounts), take all 128, and from then on the admin's
// web UI in a browser (the desktop window's events come over IPC), like everyone else's, gets 429
// too_many_event_streams and shows no job's progress until
// one of theirs closes, which they need never do. Here the limits are 2 a user and 4 in all.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { openEventStream } from '../support/event-stream'
import { addUser } from '../support/users'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ eventStreams: { maxPerUser: 2, maxTotal: 4 } })
}, 60_000)
afterAll(() => t?.close())

it('two users who are no admin holding their streams leave the admin a stream of their own', async () => {
  const bob = await addUser(t, 'bob')
  const carol = await addUser(t, 'carol')
  const theirs = [await openEventStream(t.url, bob.token), await openEventStream(t.url, bob.token), await openEventStream(t.url, carol.token), await openEventStream(t.url, carol.token)]
  try {
    expect(theirs.map((s) => s.status)).toEqual([200, 200, 200, 200])
    const admins = await openEventStream(t.url, t.token)
    await admins.stop()
    expect(admins.status, "bob's and carol's streams took every place: the admin's web UI is refused its one stream").toBe(200)
  } finally {
    await Promise.all(theirs.map((s) => s.stop()))
  }
})
