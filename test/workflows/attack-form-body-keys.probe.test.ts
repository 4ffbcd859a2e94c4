// Attack (atk33) on the off-thread JSON bodies (services/json-parser.ts): they cover JSON, but Rill
// Flow's routes also take a form body (routes.ts rawBodies: application/x-www-form-urlencoded), read
// on the main thread with `Object.fromEntries(new URLSearchParams(body))`, and its fields are spread
// again by params(). A route that takes a context (submit, trigger, finish, redo...) takes 4 MB, and
// 4 MB of `k0=&k1=&…` is ~600,000 distinct fields. Any local process may send it (Rill Flow calls
// need no credential from loopback). Two form fields are JSON parsed on the main thread too:
// trigger.json's `context` (routes.ts parseJson) and submit's `callback` (service.ts
// checkCallbackParam, refused only afterwards by the labels' 64 KiB bound). Measured in-process
// (monitorEventLoopDelay, load 19-21, 2 cores): 600,000 fields held the event loop 12.9 s (422);
// a `context` map of 240,000 keys 6.3 s; a `callback` map of 240,000 keys 1.6 s (then 400).
// Expected (#9 §2): status probes answer in under 200 ms while such a form is sent (expectResponsive).
import { describe, expect, it } from 'vitest'
import { MAX_JSON_KEYS } from '../../shared/json-limits'
import { manyKeys } from '../support/large-bodies'
import { expectResponsive, probeWhile } from '../support/served-process'
import { rillAttackSuite } from './support/rill-attack'

const { app, alive, add, head } = rillAttackSuite()

/** `k0=&k1=&…` just under `chars` characters: one form body of as many distinct fields as fit. */
function manyFields(chars: number): string {
  const parts: string[] = []
  for (let len = 0, i = 0; len < chars - 20; i++) {
    const p = `k${i.toString(36)}=`
    parts.push(p)
    len += p.length + 1
  }
  return parts.join('&')
}

/** POSTs `body` as a form to `path` of the served app (no credential: loopback, as Rill Flow clients do) under the probe; its HTTP status is `expected` when given. */
async function postFormUnderProbe(path: string, body: string, expected?: number): Promise<void> {
  const { result: status, probe } = await probeWhile(app, async () => {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    await res.arrayBuffer()
    return res.status
  })
  console.log(`${path}: ${(body.length / 1e6).toFixed(2)} MB form, HTTP ${status}, probe p99 ${Math.round(probe.p99Ms)} ms, max ${Math.round(probe.maxMs)} ms over ${probe.count} probes; stalls ${JSON.stringify(probe.stalls)}`)
  expect(alive()).toBe(true)
  if (expected !== undefined) expect(status).toBe(expected)
  expectResponsive(probe) // a probe slower than 200 ms is excused only by the server's own stall lines (a CPU wait)
}

describe('attack: a 4 MB Rill Flow form body', () => {
  it('of 600,000 distinct fields (submit.json) does not hold the main thread', async () => {
    await postFormUnderProbe('/flow/submit.json', manyFields(4 * 1024 * 1024 - 4096))
  }, 120_000)

  // JSON needs no escaping in a form field: none of & = + % is in it
  it('whose `context` field is a JSON map of 240,000 keys (trigger.json) does not hold the main thread', async () => {
    await postFormUnderProbe('/flow/trigger.json', `execution_id=none&task_name=none&context=${manyKeys(240_000)}`, 413) // over MAX_JSON_KEYS
  }, 120_000)

  // just within MAX_JSON_KEYS: the map is parsed whole (in the JSON worker), not refused on its count
  it(`whose \`context\` field is a JSON map of MAX_JSON_KEYS - 1 keys (trigger.json) is parsed off the main thread`, async () => {
    await postFormUnderProbe('/flow/trigger.json', `execution_id=none&task_name=none&context=${manyKeys(MAX_JSON_KEYS - 1)}`, 400) // parsed, then refused: no such execution
  }, 120_000)

  it('whose `callback` field is a JSON map of 240,000 keys (submit.json) does not hold the main thread', async () => {
    expect((await add(`${head('cb')}tasks:\n  - {category: pass, name: a}\n`)).status).toBe(200)
    await postFormUnderProbe('/flow/submit.json', `descriptor_id=attack:cb&callback=${manyKeys(240_000)}`)
  }, 120_000)
})
