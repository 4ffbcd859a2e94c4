// Closing the app while reads of the store's file still run in worker threads (a started value load
// runs to its end although its client hung up): close ends them before the store closes, so none
// opens the file after it (a CI run's temp data folder was removed under such a read: ENOTEMPTY).
import { request } from 'node:http'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { expect, it } from 'vitest'
import { storeReaderCount } from '../../electron/store/store-readers'
import { startTestApp } from '../support/app'
import { finishedScriptJob, inputJsonOf, MB } from '../support/finished-jobs'

it('ends the reads of the store file still running before it closes the store', { timeout: 60_000 }, async () => {
  const t = await startTestApp()
  const file = t.app.store.db.name
  const ids = Array.from({ length: 6 }, (_, i) => finishedScriptJob(t.app.store, `big${i}`, inputJsonOf(12 * MB), 'admin'))
  const asked = ids.map((id) => {
    const req = request(new URL(`${t.url}/api/v1/jobs/${id}`), { headers: { authorization: `Bearer ${t.token}` } })
    req.on('error', () => undefined)
    req.end()
    return req
  })
  const until = Date.now() + 20_000
  while (storeReaderCount(file) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5))
  expect(storeReaderCount(file), 'a value load was running when the app closed').toBeGreaterThan(0)
  // the clients hang up once a load runs (not after a fixed 20 ms: at a CI's load the server had not
  // started any by then, and none started): the loads they started go on
  for (const req of asked) req.destroy()
  await t.app.close()
  expect(storeReaderCount(file)).toBe(0)
  // nothing opens the file after close: no -wal or -shm made again
  await new Promise((r) => setTimeout(r, 300))
  expect(readdirSync(t.dir).filter((f) => /-(wal|shm)$/.test(f))).toEqual([])
  rmSync(t.dir, { recursive: true }) // no retries: nothing writes in it any more
  expect(existsSync(t.dir)).toBe(false)
})
