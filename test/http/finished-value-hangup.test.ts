// A finished job's large value answered over HTTP is held by its answer (store/finished-values.ts,
// atk33) until the answer ends; a client that hangs up mid-answer must give it back, or each hang-up
// would leak its share of the bound on held bytes until no answer could hold a value any more.
import { request } from 'node:http'
import { beforeAll, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { finishedScriptJob, inputJsonOf, MB } from '../support/finished-jobs'
import { until } from '../support/until'

const suite = appSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

/** Resolves once the bytes the app's answers hold are `bytes` (checked every 10 ms); fails after 10 s. */
const heldReaches = (bytes: number) => until(() => t.app.store.finishedBytes.stats.heldBytes, (held) => held === bytes, 'held bytes', 10_000)

it('a client that hangs up in the middle of a job detail with an 8 MB input gives back the value its answer held', async () => {
  const { store } = t.app
  const inputJson = inputJsonOf(8 * MB)
  const id = finishedScriptJob(store, 'hangup', inputJson, 'admin')
  const url = new URL(`${t.url}/api/v1/jobs/${id}`)
  const req = request(url, { headers: { authorization: `Bearer ${t.token}` } })
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject).end())
  expect(res.statusCode).toBe(200)
  res.pause() // a slow client: it reads nothing more
  await heldReaches(Buffer.byteLength(inputJson)) // the answer holds the input
  req.destroy() // hangs up
  await heldReaches(0)
  // the next reader reads it whole (from the kept value)
  const detail = await t.call('GET', `/api/v1/jobs/${id}`)
  expect(detail.body.input.s.length).toBe(8 * MB)
  expect(store.finishedBytes.stats.heldBytes).toBe(0)
}, 60_000)
