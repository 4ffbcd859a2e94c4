// Data may hold a `__proto__` key: JSON.parse makes it an own key (a mapping's constant source, a
// defaultContext value, a function's answer), as Jackson makes it a map entry upstream. Where the
// runtime copied such keys into another map by assignment (`map[key] = v`, Object.assign), the key
// replaced that map's prototype instead: a descriptor's defaultContext key `__proto__` became the
// prototype of every context it started (a sub-flow's too), and a function task's `body` input
// holding one set the request body's prototype, so the key was left out of the request sent.
// Expected: such a key stays an own key everywhere, the maps keep Object's prototype, and nothing
// reaches Object.prototype.
import { expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { answerServer } from './support/answer-server'
import { rillSuite } from './support/rill-suite'
import { subflowParent } from './support/foreach-descriptor'

const s = rillSuite()

const received: string[] = []
const server = answerServer((req, res) => {
  let text = ''
  req.on('data', (chunk: Buffer) => (text += chunk.toString()))
  req.on('end', () => {
    received.push(text)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
})

const jobOf = (executionId: string) => s.t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!

it("keeps a defaultContext `__proto__` key an own key of a sub-flow's context, never its prototype", async () => {
  await s.rill.addDescriptor(`workspace: protokey\ndagName: child\ntype: flow
defaultContext:
  __proto__: '{"polluted": "yes"}'
tasks:
  - category: pass
    name: P
    outputMappings:
      - {source: "$.context.k", target: "$.context.seenK"}
`)
  await s.rill.addDescriptor(subflowParent('protokey', { input: ['{source: "$.context.k", target: "$.input.k"}'], output: ['{source: "$.output", target: "$.context.fromChild"}'] }))
  const id = await s.rill.submit('protokey:parent', { k: 1 })
  const done = await s.rill.finished(id)
  expect(done.dag_status).toBe('SUCCEED')
  const childId = done.context.fromChild.flow_execution_id as string
  const child = jobOf(childId)
  expect(Object.getPrototypeOf(child.context)).toBe(Object.prototype)
  expect(Object.hasOwn(child.context!, '__proto__')).toBe(true)
  expect((child.context as Record<string, unknown>).polluted).toBeUndefined()
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  const childRet = await s.rill.get(childId)
  expect(childRet.dag_status).toBe('SUCCEED')
  expect(childRet.context).toMatchObject({ k: 1, seenK: 1 }) // (keys starting with `__` are a result's own entries, not shown)
  expect((child.context as Record<string, unknown>).seenK).toBe(1)
})

it("sends a function task's mapped `body` key `__proto__` as a key of the request body", async () => {
  await s.rill.addDescriptor(`workspace: protokey\ndagName: fn\ntype: flow\ntasks:
  - category: function
    name: f
    pattern: task_sync
    resourceName: "http://127.0.0.1:${server.port}/f"
    inputMappings:
      - {source: '{"__proto__": {"p": 1}, "a": 2}', target: "$.input.body"}
`)
  const done = await s.rill.finished(await s.rill.submit('protokey:fn'))
  expect(done.dag_status).toBe('SUCCEED')
  expect(received).toHaveLength(1)
  const sent = JSON.parse(received[0]) as Record<string, unknown>
  expect(Object.keys(sent)).toEqual(expect.arrayContaining(['__proto__', 'a']))
  expect(sent.a).toBe(2)
})
