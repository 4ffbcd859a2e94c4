// A new user posted `{city: 1}` (not JSON: names are quoted in JSON) as a Rill Flow submit.json body
// and was told "body must be a JSON object", which it looks like (#9 new-user LOW). Expected: that it
// is not valid JSON, with the parser's position, in Rill Flow's envelope, worded as the native API
// words a body it cannot parse; a long body parsed off the main thread says the same.
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()
const NOT_JSON = /^body is not valid JSON: Expected property name or '\}' in JSON at position 1/

it.each(['application/json', 'text/plain'])('submit.json with a body that is not JSON (%s) says so, with where', async (type) => {
  await s.rill.addDescriptor('workspace: notjson\ndagName: p\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
  const r = await s.rill.call('POST', '/flow/submit.json?descriptor_id=notjson:p', '{city: 1}', type)
  expect(r.status).toBeGreaterThanOrEqual(400)
  expect(r.status).toBeLessThan(500)
  // fails before: 'body must be a JSON object'
  expect(r.body.error, JSON.stringify(r.body)).toMatch(NOT_JSON)
  const native = await s.t.call('POST', '/api/v1/jobs', '{city: 1}') // the native API's words for the same
  expect(native.body.error.message).toMatch(NOT_JSON)
  const array = await s.rill.call('POST', '/flow/submit.json?descriptor_id=notjson:p', '[1]', type)
  expect(array.body.error).toBe('body must be a JSON object') // JSON, but not an object
})

it('a long body that is not JSON, parsed off the main thread, says so too', async () => {
  const r = await s.rill.call('POST', '/flow/submit.json?descriptor_id=notjson:p', `{city: "${'x'.repeat(100_000)}"}`, 'text/plain')
  expect(r.body.error, JSON.stringify(r.body).slice(0, 300)).toMatch(NOT_JSON)
})
