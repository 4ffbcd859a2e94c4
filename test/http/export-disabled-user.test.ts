// A disabled user's running download stops at the disable (app.ts: exporter.stopUser on users.onChange;
// not engine work, so Engine.failWhere missed it): mallory's CSV export that she reads none of held the
// one export slot (2 cores) until its idle rule ended it, EXPORT_IDLE_MS (15 s) after her buffers filled,
// whoever disabled her meanwhile; bob's export waited that long.
import { request, type ClientRequest } from 'node:http'
import { afterEach, beforeAll, expect, it } from 'vitest'
import { appSuiteWith } from '../support/app-suite'
import { sqlResultJob } from '../support/sql-processes'

const suite = appSuiteWith({}, 'mallory', 'bob')
let hers = 0
let his = 0
const open: ClientRequest[] = []
afterEach(() => open.splice(0).forEach((r) => r.destroy()))

beforeAll(async () => {
  hers = await sqlResultJob(suite.t, suite.users.mallory, 200_000, 100) // more than a paused loopback client's socket buffers hold
  his = await sqlResultJob(suite.t, suite.users.bob, 2_000, 10)
}, 120_000)

it("disabling a user stops her running export: another user's export no longer waits for its idle time", { timeout: 120_000 }, async () => {
  const req = request(new URL(`${suite.t.url}/api/v1/jobs/${hers}/results/0/csv`), { headers: { authorization: `Bearer ${suite.users.mallory.token}` } })
  open.push(req)
  req.on('error', () => undefined)
  req.end()
  const answered = new Promise<number>((resolve) =>
    req.on('response', (res) => {
      res.pause() // a client that reads nothing
      res.on('error', () => undefined)
      resolve(res.statusCode ?? 0)
    }),
  )
  expect(await answered).toBe(200)
  await new Promise((r) => setTimeout(r, 2000)) // her worker has filled the buffers and waits for her
  const disabled = await suite.t.call('POST', '/api/v1/users/mallory', { disabled: true })
  expect(disabled.status, JSON.stringify(disabled.body)).toBe(200)
  const t0 = Date.now()
  const mine = await suite.users.bob.call('GET', `/api/v1/jobs/${his}/results/0/csv`)
  const ms = Date.now() - t0
  console.log(`bob's export answered ${mine.status} ${ms} ms after mallory was disabled`)
  expect(mine.status).toBe(200)
  expect(ms).toBeLessThan(6_000) // the idle rule alone: ~13 s more
})
