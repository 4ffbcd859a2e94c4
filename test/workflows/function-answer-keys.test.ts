// A function task's answer is shape-checked before it is parsed (executors/http-answer.ts, in the JSON
// worker over 64 kB): besides depth and lists and maps, its keys (shared/json-limits.ts MAX_JSON_KEYS).
// One map of 200,001 keys (2 MB, one container) fails the task naming the answer and the limit; one of
// 200,000 is an answer like any other.
import { expect, it } from 'vitest'
import { MAX_JSON_KEYS } from '../../shared/json-limits'
import { mapOfKeys } from '../support/large-bodies'
import { answerServer } from './support/answer-server'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

const answers: Record<string, string> = { '/over': mapOfKeys(MAX_JSON_KEYS + 1), '/at': mapOfKeys(MAX_JSON_KEYS) }
const server = answerServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(answers[new URL(req.url ?? '/', 'http://x').pathname] ?? 'unexpected path') // its query names the execution and task
})

const descriptor = (name: string, path: string) => `workspace: answerkeys\ndagName: ${name}\ntype: flow\ntasks:
  - category: function
    name: f
    pattern: task_sync
    resourceName: "http://127.0.0.1:${server.port}${path}"
`

it('fails a function task whose answer holds more than MAX_JSON_KEYS keys, naming the answer and the limit', async () => {
  await s.rill.addDescriptor(descriptor('over', '/over'))
  const done = await s.rill.finished(await s.rill.submit('answerkeys:over'), 60_000)
  expect(done.dag_status).toBe('FAILED')
  expect(done.tasks.f.invoke_msg.msg).toBe('the answer holds more than 200,000 keys in JSON objects of over 1,000 keys each, the most one JSON text may hold')
})

it('takes an answer of one map of MAX_JSON_KEYS keys', async () => {
  await s.rill.addDescriptor(descriptor('at', '/at'))
  const done = await s.rill.finished(await s.rill.submit('answerkeys:at'), 60_000)
  expect(done.dag_status).toBe('SUCCEED')
  expect(Object.keys(done.tasks.f.invoke_msg.output)).toHaveLength(MAX_JSON_KEYS)
})
