// #9 robustness, left open after atk34: an idle hold lapses after HOLD_IDLE_MS (2 s) while another answer
// waits, but a reader that asks for a slice at least every 2 s keeps its holds for ever. alice opens 8
// details of finished jobs with 16 MB values (less 1 KiB: all 128 MB held) and reads each about 1 MB a
// second; bob's own 1 MB detail waited the whole HOLD_WAIT_MS (30 s) for room. Now alice holds more than
// her share (half the bound, with two users) while bob waits, and gives back holds until his answer fits
// (store/finished-values.ts). Wall time, so a probe test: the unit test with faked time is
// test/store/finished-bytes-share.test.ts. After, at load 14-11 (2026-12-02 08:55 UTC): bob's detail
// 1,600 ms, one of alice's holds given back for her share, none idle, while she read 16 MB.
import { request, type ClientRequest } from 'node:http'
import { afterAll, expect, it } from 'vitest'
import { HOLD_WAIT_MS } from '../../electron/store/finished-values'
import { appSuite } from '../support/app-suite'
import { finishedJobOfBytes } from '../support/finished-jobs'
import { until } from '../support/until'

const MB = 1024 * 1024
const VALUE = 16 * MB - 1024
const suite = appSuite('alice', 'bob')
const open: ClientRequest[] = []
const timers: NodeJS.Timeout[] = []
afterAll(() => {
  timers.forEach(clearInterval)
  open.forEach((r) => r.destroy())
})

it("a user whose readers read a slice every second does not make another user's job detail wait for room", async () => {
  const { t, users } = suite
  const { alice, bob } = users
  const store = t.app.store
  const read: number[] = []
  const answers: import('node:http').IncomingMessage[] = []
  for (let i = 0; i < 8; i++) {
    const { id } = finishedJobOfBytes(store, alice.username, `a${i}`, VALUE)
    const req = request(new URL(`${t.url}/api/v1/jobs/${id}`), { headers: { authorization: `Bearer ${alice.token}` } })
    open.push(req)
    read.push(0)
    req.on('error', () => undefined)
    req.on('response', (res) => {
      res.pause() // until all eight hold their values
      answers[i] = res
    })
    req.end()
  }
  await until(() => store.finishedBytes.stats, (s) => s.heldBy.alice === 8 * VALUE, "alice's 8 values held", 120_000)
  // then each reads about 1 MB a second: paused once a second's MB has come, resumed each second
  answers.forEach((res, i) => {
    let budget = MB
    res.on('data', (chunk: Buffer) => {
      read[i] += chunk.length
      if ((budget -= chunk.length) <= 0) res.pause()
    })
    res.resume()
    timers.push(
      setInterval(() => {
        budget = MB
        res.resume()
      }, 1000),
    )
  })
  await new Promise((r) => setTimeout(r, 3000)) // past HOLD_IDLE_MS: her readers still ask for slices
  const before = read.reduce((a, b) => a + b)
  const { id: mine } = finishedJobOfBytes(store, bob.username, 'bob-1', MB)
  const t0 = Date.now()
  const detail = await bob.call('GET', `/api/v1/jobs/${mine}`)
  const ms = Date.now() - t0
  const stats = store.finishedBytes.stats
  console.log(`bob's 1 MB detail: ${ms} ms; alice read ${((read.reduce((a, b) => a + b) - before) / MB).toFixed(1)} MB meanwhile; lapses ${JSON.stringify(stats.lapses)}, held ${JSON.stringify(stats.heldBy)}`)
  expect(detail.status).toBe(200)
  expect(detail.body.input.s.length).toBe(MB - 8)
  // her holds made the room: by her share, or (on a busy machine, a reader paused past HOLD_IDLE_MS: CI
  // 2026-12-05 saw {"idle":1,"share":0}, bob answered in 71 ms) by an idle lapse; which one is timing,
  // the share alone is tested with faked time in test/store/finished-bytes-share.test.ts
  expect(stats.lapses.share + stats.lapses.idle).toBeGreaterThanOrEqual(1)
  expect(ms, `bob's 1 MB detail took ${ms} ms`).toBeLessThan(HOLD_WAIT_MS / 3) // 30 s before
}, 240_000)
