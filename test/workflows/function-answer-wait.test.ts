// A function task's answer over 64 kB is parsed in a JSON worker (services/json-parser.ts). When the
// workers and their queue are full (other long bodies being read), that is load, not the answer's
// fault: the answer waits for room, holding its task's engine slot, and fails only after
// ANSWER_WAIT_MS with a reason saying so. It used to fail its task at once ("… long JSON bodies are
// already being read or waiting").
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TaskFailure } from '../../electron/engine/executor'
import { INLINE_JSON_CHARS, jsonWorkerSlots, parseAnswerOffThread } from '../../electron/services/json-parser'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { ManualClock } from '../support/manual-clock'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

/** Waiting places of the JSON workers' queue (text-workers.ts WAITING). */
const QUEUE = 8
const answer = { items: Array.from({ length: 2000 }, (_, i) => ({ i, pad: 'x'.repeat(40) })) }
const answerText = JSON.stringify(answer)
let served = 0
const server = createServer((req, res) => {
  req.resume()
  served++
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(answerText)
})
let port = 0
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  port = (server.address() as { port: number }).port
})
afterAll(() => server.close())

/** Holds every JSON worker and every waiting place, as long bodies being read would; `free()` lets them go. */
function fillJsonWorkers() {
  const running = Array.from({ length: WORKER_THREADS }, () => jsonWorkerSlots.acquire({ owner: '' }))
  const waiting = Array.from({ length: QUEUE }, () => jsonWorkerSlots.acquire({ owner: '' }))
  expect(jsonWorkerSlots.waiting).toBe(QUEUE)
  return {
    async free() {
      for (const turn of running) (await turn).release()
      for (const turn of waiting) (await turn).release()
    },
  }
}

const until = async (what: () => boolean, ms = 20_000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error(`gave up waiting: served ${served}, ${jsonWorkerSlots.waiting} waiting`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('a long function answer while the JSON workers are all busy', () => {
  it('waits for room instead of failing its task, and the execution succeeds with the answer', async () => {
    expect(answerText.length).toBeGreaterThan(INLINE_JSON_CHARS)
    await s.rill.addDescriptor(`workspace: answerwait\ndagName: busy\ntype: flow\ntasks:\n  - {category: function, name: f, pattern: task_sync, resourceName: "http://127.0.0.1:${port}/f"}\n`)
    const held = fillJsonWorkers()
    let id = ''
    try {
      id = await s.rill.submit('answerwait:busy')
      // the answer came and waits its turn behind the full queue (before: the task FAILED here)
      await until(() => served === 1)
      await until(() => jsonWorkerSlots.waiting === QUEUE + 1)
      expect((await s.rill.get(id, true)).dag_status).toBe('RUNNING')
    } finally {
      await held.free()
    }
    const done = await s.rill.finished(id, 60_000)
    expect(done.dag_status).toBe('SUCCEED')
    expect(done.tasks.f.invoke_msg.output).toEqual(answer)
    expect(jsonWorkerSlots.waiting).toBe(0)
  }, 90_000)

  it('fails retryably after ANSWER_WAIT_MS of waiting, saying why', async () => {
    const clock = new ManualClock()
    const held = fillJsonWorkers()
    try {
      const parsing = parseAnswerOffThread(answerText, 'the answer', { owner: 'u1', clock, waitMs: 30_000 })
      const failed = parsing.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(jsonWorkerSlots.waiting).toBe(QUEUE + 1)
      clock.advance(29_999)
      await new Promise((r) => setImmediate(r))
      expect(jsonWorkerSlots.waiting).toBe(QUEUE + 1) // still waiting
      clock.advance(1)
      const e = await failed
      expect(e).toBeInstanceOf(TaskFailure)
      expect((e as TaskFailure).retryable).toBe(true)
      expect((e as TaskFailure).message).toMatch(/^the answer \(\d+ kB\) waited 30 s for a JSON worker and got none/)
      expect(jsonWorkerSlots.waiting).toBe(QUEUE) // it left the line
    } finally {
      await held.free()
    }
    expect(jsonWorkerSlots.waiting).toBe(0)
    // the workers take long answers again
    expect(await parseAnswerOffThread(answerText, 'the answer', { owner: 'u1' })).toEqual(answer)
  }, 60_000)

  it("leaves the line with the task's abort reason when the task is cancelled while waiting", async () => {
    const held = fillJsonWorkers()
    try {
      const cancel = new AbortController()
      const parsing = parseAnswerOffThread(answerText, 'the answer', { owner: 'u1', signal: cancel.signal }).catch((e: unknown) => e)
      cancel.abort(new Error('cancelled'))
      expect(((await parsing) as Error).message).toBe('cancelled')
      expect(jsonWorkerSlots.waiting).toBe(QUEUE)
    } finally {
      await held.free()
    }
  })
})
