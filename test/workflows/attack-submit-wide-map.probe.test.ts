// Attack (atk32) on the container cap of request bodies (shared/json-limits.ts checkJsonShape:
// MAX_JSON_CONTAINERS lists and maps, MAX_JSON_DEPTH): it does not count the keys of one map. A Rill
// Flow submit (any loopback process) whose 4 MB context holds ONE map of ~400,000 keys passes the body
// limit and the shape check; parsing, copying (service.ts submit: copyContainers, the context's own
// copy) and storing it then hold the event loop. Measured in-process (load 11.6): 2.1 s in one piece,
// the execution SUCCEEDED (a 4 MB string context: under a second). The function answer (attack-function-answer-wide-map.test.ts, 5.6 s) and
// the constant source (attack-constant-wide-map.test.ts, 2.4 s) are the same gap.
// Expected (#9 §2): refused naming the body's limit, or the event loop never held a second.
// Where a fix belongs: checkJsonShape counting members (keys and elements) as well as containers.
// Fixed: checkJsonShape counts distinct key names and the keys of wide maps (MAX_JSON_KEYS, 200,000): refused, 413.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { wideMap } from './support/foreach-descriptor'

const s = rillSuite()

it('a submit whose 4 MB context is one map of 400,000 keys is refused or never holds the event loop a second', async () => {
  const add = await s.rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', 'workspace: atk32\ndagName: widesubmit\ntype: flow\ntasks:\n  - {category: pass, name: p}\n', 'text/plain')
  expect(add.status).toBe(200)
  const body = `{"big":${wideMap(4 * 1024 * 1024 - 2048)}}`
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const r = await s.rill.call('POST', '/flow/submit.json?descriptor_id=atk32:widesubmit', body, 'text/plain')
  if (r.status !== 200) {
    delay.disable()
    expect(r.status).toBe(413) // too large, as a body of too many lists and maps (json-containers.test.ts)
    expect(r.body.error).toMatch(/^body holds more than 200,000 (different keys|keys in JSON objects of over 1,000 keys each)/)
    return
  }
  const ret = await s.rill.finished(r.body.execution_id, 180_000)
  delay.disable()
  const held = delay.max / 1e6
  expect(held, `${ret.dag_status}: the event loop held up to ${held.toFixed(0)} ms`).toBeLessThan(1000)
}, 240_000)
