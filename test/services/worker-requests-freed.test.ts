// A long text parsed in a worker thread (Rill Flow descriptors over INLINE_DESCRIPTOR_CHARS, long
// JSON bodies, mapping evaluations: services/text-workers.ts) must be freed once answered. Found
// (atk20, re-checked on main a56e135f): each such request stayed in the heap for good, ~2 MiB a
// 1 MB descriptor. text-workers' ask() listened for abort on the lease's signal, a signal made by
// AbortSignal.any (worker-slots.ts withSignal) that never aborted; Node keeps a composite signal
// with abort listeners alive while its sources may still abort, and the listener held the request's
// promise and, through it, its text. The test adds 40 descriptors of ~900 kB each and expects the
// heap after a forced GC to hold well under one of them per request. Before the fix: +33.7 MiB; after: −1.4.
import { afterAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { heapAfterGc as heap } from '../support/heap'

const MiB = 1024 * 1024
const REQUESTS = 40

let t: TestApp | undefined
afterAll(() => t?.close())

/** A valid descriptor of about `chars` characters (a long description), parsed in a worker. */
const descriptor = (i: number, chars: number) =>
  `workspace: big\ndagName: d${i}\ntype: flow\ndescription: "${'x'.repeat(chars)}"\ntasks:\n  - {category: pass, name: a}\n`

it('frees each long descriptor once it is answered', async () => {
  t = await startTestApp()
  const bob = await addUser(t, 'bob')
  const add = (i: number) => bob.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=big&feature_name=d${i}&alias=release`, descriptor(i, 900_000), { 'content-type': 'text/plain' })
  expect((await add(0)).status).toBe(200) // warms the workers and the routes
  const before = heap()
  for (let i = 1; i <= REQUESTS; i++) {
    const r = await add(i)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }
  await new Promise((r) => setTimeout(r, 200))
  const grown = (heap() - before) / MiB
  // each version is stored, not held: what stays is far less than one 900 kB text a request
  expect(grown, `heap grew ${grown.toFixed(1)} MiB over ${REQUESTS} descriptors`).toBeLessThan(8)
}, 120_000)
