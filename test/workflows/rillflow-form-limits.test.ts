// Rill Flow form bodies within bounds (atk33: attack-form-body-keys.probe.test.ts): at most
// MAX_FORM_FIELDS fields, counted before the body is split; trigger.json's `context` field parsed
// as a JSON body is (a long one off the main thread); a submit `callback` longer than
// MAX_CALLBACK_BYTES refused before it is parsed.
import { expect, it } from 'vitest'
import { MAX_FORM_FIELDS } from '../../electron/http/dialects/rillflow/request'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

/** POSTs `body` as a form to `path` (no credential: loopback); answers { status, body }. */
const postForm = (path: string, body: string) => s.rill.call('POST', path, body, 'application/x-www-form-urlencoded')

it('a form of more fields than the bound is refused with 413 naming it; one at the bound is read', async () => {
  await s.rill.addDescriptor('workspace: forms\ndagName: p\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
  const fields = (n: number) => ['descriptor_id=forms:p', ...Array.from({ length: n - 1 }, (_, i) => `k${i}=`)].join('&')
  const over = await postForm('/flow/submit.json', fields(MAX_FORM_FIELDS + 1))
  expect(over.status).toBe(413)
  expect(over.body.error).toBe('the form body holds more than 10,000 fields, the most a request may send')
  const at = await postForm('/flow/submit.json', fields(MAX_FORM_FIELDS))
  expect(at.status, JSON.stringify(at.body)).toBe(200)
  expect((await s.rill.finished(at.body.execution_id)).dag_status).toBe('SUCCEED')
})

it("trigger.json reads a long `context` field as JSON, and names it when it is not a JSON object or not JSON", async () => {
  const long = JSON.stringify({ s: 'x'.repeat(100_000) })
  const sent = await postForm('/flow/trigger.json', `execution_id=none&task_name=t&context=${long}`)
  expect(sent.status).toBe(400)
  expect(sent.body.error).toMatch(/^execution_id "none" is not of the form/) // past the context: it was read
  const bad = await postForm('/flow/trigger.json', `execution_id=none&task_name=t&context=[${'1,'.repeat(50_000)}1]`)
  expect(bad.status).toBe(422) // bad_json: a binding error, as upstream answers it
  expect(bad.body.error).toBe('context must be a JSON object')
  const notJson = await postForm('/flow/trigger.json', `execution_id=none&task_name=t&context={${'x'.repeat(100_000)}`)
  expect(notJson.status).toBe(422) // not JSON at all, parsed off the main thread: the same binding error, saying where (#9)
  expect(notJson.body.error).toMatch(/^context is not valid JSON: Expected property name or '\}' in JSON at position 1/)
})

it('a submit callback longer than a callback may be (16 KiB) is refused naming it, before it is parsed', async () => {
  await s.rill.addDescriptor('workspace: forms\ndagName: cb\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
  const callback = JSON.stringify({ resourceName: 'http://127.0.0.1:9/done', pad: 'x'.repeat(70_000) })
  const r = await postForm('/flow/submit.json', `descriptor_id=forms:cb&callback=${callback}`)
  expect(r.status).toBe(400)
  expect(r.body.error).toMatch(/^callback: 70,\d{3} bytes, more than the 16,384 a callback may have$/)
})
