// atk13: one user's long Rill Flow descriptors refuse every other user's. A descriptor over
// INLINE_DESCRIPTOR_CHARS (64 kB) is parsed in a text worker (services/descriptor-parser.ts
// parseInWorker), which asks with `workers.ask({ text })`: no owner and no signal. So every user's long
// descriptors share workerSlots' one owner '', whose share is the whole line (WORKER_THREADS running,
// WAITING 8 more), and past it each is refused 503 too_many_descriptors: the rule that lets an owner
// waiting in fewer than OWNER_WAITING places in past a full line (worker-slots.ts mayWait) never applies,
// and a request whose client hung up keeps its place. Here mallory (granted nothing: workflows need no
// right) keeps 12 add_descriptor.json of ~700 kB under way; bob's one 100 kB descriptor is refused.
import { expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'

const suite = appSuite('mallory', 'bob')

/** A one-task descriptor of `keys` defaultContext entries (about 16 bytes each): long, and slow to read. */
const descriptor = (name: string, keys: number): string =>
  `workspace: ws\ndagName: ${name}\ntype: flow\ndefaultContext:\n${Array.from({ length: keys }, (_, i) => `  key${i}: value${i}\n`).join('')}tasks:\n  - category: pass\n    name: a\n`

const add = async (token: string, name: string, text: string): Promise<{ status: number; body: string }> => {
  const res = await fetch(`${suite.t.url}/flow/bg/manage/descriptor/add_descriptor.json?business_id=ws&feature_name=${name}&alias=release`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    body: text,
  })
  return { status: res.status, body: await res.text() }
}

it("a user's many long descriptors do not refuse another user's one", async () => {
  const { mallory, bob } = suite.users
  const long = descriptor('m', 45_000)
  expect(long.length).toBeGreaterThan(600_000)
  // bob alone: his long descriptor is stored
  expect((await add(bob.token, 'b0', descriptor('b0', 6_000))).status).toBe(200)
  const hers = Array.from({ length: 12 }, (_, i) => add(mallory.token, `m${i}`, long.replace('dagName: m', `dagName: m${i}`)))
  await new Promise((r) => setTimeout(r, 300)) // her bodies are in, their parses running or waiting
  const mine = await add(bob.token, 'b1', descriptor('b1', 6_000))
  const theirs = await Promise.all(hers)
  const refusedHers = theirs.filter((r) => r.status === 503).length
  // before: 503 too_many_descriptors ("9 long descriptors are already being read or waiting")
  expect(mine.status, `bob: ${mine.body} (mallory: ${refusedHers} of 12 refused)`).toBe(200)
}, 120_000)
