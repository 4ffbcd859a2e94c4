// #9: a request whose handler is still working when JobDesk stops (a long Cypher statement at Ctrl+C)
// got no answer: its connection was cut at the close's grace. It is answered 503 `stopping` in its
// dialect's envelope once the grace for requests in flight is over (http/starting.ts), and the app
// closes without an error when the handler ends later. The e2e serve-shutdown test does this to
// `serve` with SIGINT; this one closes the app in-process, with a slow handler rather than a slow body.
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../support/app'
import { ENDLESS_CYPHER } from '../support/endless-cypher'
import { IN_FLIGHT_GRACE_MS } from '../../electron/http/starting'

describe('closing with a request in flight', () => {
  it('answers a Cypher statement still running 503 stopping in the native envelope, then closes', async () => {
    const t = await startTestApp()
    let closed = false
    try {
      expect((await t.call('POST', '/api/v1/graphs/default/cypher', { script: 'RETURN 0' })).status).toBe(200) // the query workers load the parser once
      const native = t.call('POST', '/api/v1/graphs/default/cypher', { script: ENDLESS_CYPHER })
      await new Promise((r) => setTimeout(r, 300)) // it runs
      const started = Date.now()
      const closing = t.close().then(() => (closed = true))
      const answer = await native
      const answeredMs = Date.now() - started
      expect(answer.status).toBe(503)
      expect(answer.body.error).toMatchObject({ code: 'stopping', message: 'JobDesk is stopping: try again once it has started again' })
      expect(answer.headers.get('retry-after')).toBe('5')
      expect(answeredMs).toBeGreaterThanOrEqual(IN_FLIGHT_GRACE_MS - 100) // it had its time to finish first
      await closing
    } finally {
      if (!closed) await t.close().catch(() => undefined)
    }
  }, 60_000)
})
