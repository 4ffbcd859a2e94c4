// Over the native API (#9 §2, atk12): a user who may import (bob, owner of `bobs`) still gets only
// a fair, bounded share of the file lane: a check past his share is answered 503 requests_queued in
// the envelope, and checks he hangs up on leave the queue instead of holding it.
import { expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import { quotedPersonCsv } from './support'
import { until } from '../support/until'

const suite = appSuite('bob')

const csv = quotedPersonCsv

it("bob's checks past his share get 503 requests_queued, and hung-up ones leave the queue", async () => {
  const { t, users } = suite
  const bob = users.bob
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'bobs', owner: 'bob' })).status).toBe(201)
  const schema = [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }]
  expect((await bob.call('POST', '/api/v1/graphs/bobs/schema', { schema })).status).toBe(200)
  const up = await fetch(`${t.url}/api/v1/files/upload?path=p.csv&offset=0&replace=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/octet-stream' },
    body: csv(1_100_000),
  })
  expect(up.status).toBe(200)
  const files = Array.from({ length: 50 }, () => ({ path: 'p.csv', format: 'CSV', label: 'person', columns: ['id', 'name'], header: 1 }))
  const lane = () => t.app.graph.requestLoad().files
  const check = (signal?: AbortSignal) =>
    fetch(`${t.url}/api/v1/imports/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ graph: 'bobs', continueOnError: true, files }),
      signal,
    })

  // one runs, four wait: the sixth is refused, naming why, in the native envelope
  const five = Array.from({ length: 5 }, () => check())
  await until(lane, (l) => l.running === 1 && l.waiting === 4, "bob's five checks in the file lane")
  const sixth = await check()
  expect(sixth.status).toBe(503)
  expect(sixth.headers.get('retry-after')).toBe('1')
  expect((await sixth.json()).error).toMatchObject({ code: 'requests_queued', message: expect.stringContaining('user bob already has 4 graph requests') })
  const answers = await Promise.all(five.map(async (r) => (await r).json()))
  expect(answers[0]).toMatchObject({ ok: true, problems: [expect.objectContaining({ code: 'not_sampled' })] })

  // four checks bob hangs up on: the waiting ones leave the queue, the running one stops
  const hangUp = new AbortController()
  const four = Array.from({ length: 4 }, () => check(hangUp.signal).catch((e: Error) => e))
  await until(lane, (l) => l.running === 1 && l.waiting === 3, "bob's four checks in the file lane")
  hangUp.abort()
  await Promise.all(four)
  await until(lane, (l) => l.running === 0 && l.waiting === 0, 'the hung-up checks gone', 10_000)
}, 240_000)
