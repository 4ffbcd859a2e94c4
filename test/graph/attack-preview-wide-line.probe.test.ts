// Attack (#9 §2, graph side): any signed-in user uploads an 800,000-byte CSV whose one line holds
// 400,000 one-digit fields and asks for its preview (what the Imports page does on a drop). The line is
// under the 1 MiB a package allows, so the preview reads it whole and answers a column (index, name,
// suggested type, counts) for every field plus the row: a 34,577,968-byte JSON answer. The graph
// worker builds it, but the main thread takes the whole object from the worker and writes it out, and
// the status probe stalls: measured over real HTTP (npm run serve, 2 cores) the slowest probe waited
// 1,867 ms at load average 3.5 (2,709 ms at load 6.9; 1,324 ms in this test at load 3.1); the
// preview answered after 5.4 s. This test FAILS until a preview's width is bounded (a 4xx naming the
// field, or columns cut to a cap with a note) so that the probe keeps answering under 200 ms.
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../support/served-process'

const app = servedProcessSuite()
const FIELDS = 400_000

describe('attack: a preview of a CSV line of 400,000 fields', () => {
  it('the status probe answers within 200 ms while it is previewed (it waited 1.9–2.7 s), and the answer is not a 5xx', async () => {
    const line = `${Array.from({ length: FIELDS }, (_, i) => i % 10).join(',')}\n`
    const up = await fetch(`${app.url}/api/v1/files/upload?path=wide.csv&offset=0&replace=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/octet-stream' },
      body: line,
    })
    expect(up.status).toBe(200)
    const answer = await underProbe(app, async () => {
      const res = await fetch(`${app.url}/api/v1/imports/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ path: 'wide.csv', format: 'CSV' }),
      })
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength }
    })
    expect(answer.status).toBeLessThan(500)
  }, 300_000)
})
