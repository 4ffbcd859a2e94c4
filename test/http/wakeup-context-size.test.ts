// The 2 MB a wakeup's mappings may grow a context to (value-budget.ts PASS_LIMITS.maxGrownBytes) holds for
// every kind of value (#9, a new user's trial): a mapping's copy is measured by the JSON it writes out to,
// numbers, `true`/`false`/`null` and `{}` by their text, strings and keys with their quotes, separators and
// brackets. A number used to count as one character, so 160,000 × `1.2345678901234567e+300` (3.84 MB) was
// saved as a context; at 5 copies the save failed past the store's 16 MB (500 30101), the refused context
// stayed in memory, the execution could no longer be woken and later failed in another commit. A wakeup
// whose save fails for any reason is refused 30507, memory left as stored (engine.ts weighSaved). And a
// value's "more than 1000000 elements" counts what is inside it, not the value itself.
// Each case runs as a non-admin user and as the admin, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { until } from '../support/until'
import { untilExecutionsWait } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

let t: TestApp
/** The users each case runs as: a non-admin signed in through the API, and the admin. */
const users: { name: string; call: TestApp['call'] }[] = []
beforeAll(async () => {
  t = await startTestApp()
  const nu = await addUser(t, 'nu')
  users.push({ name: 'nu', call: nu.call }, { name: 'admin', call: t.call })
}, 60_000)
afterAll(() => t?.close())

const BIG = 1.2345678901234567e300 // 23 characters of JSON
let flows = 0

/**
 * Stores a flow in `user`'s workspace of a suspense `a` (its input `go` from `$.context.go`; `outputs`:
 * its outputMappings, then `$.output.go` into `$.context.go`) then a suspense `done`; submits one
 * execution with `{"go":false}` and waits for `a`. Returns its execution id.
 */
async function waitingOn(user: (typeof users)[number], outputs: string[]): Promise<string> {
  const name = `f${++flows}`
  const maps = [...outputs, '{source: $.output.go, target: $.context.go}'].join(', ')
  const tasks =
    `  - {category: suspense, name: a, next: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${maps}]}\n` +
    '  - {category: suspense, name: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.never, target: $.input.go}]}\n'
  const ws = `ws${user.name}`
  const added = await user.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=${ws}&feature_name=${name}&alias=release`, `workspace: ${ws}\ndagName: ${name}\ntype: flow\ntasks:\n${tasks}`, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const r = await user.call('POST', `/flow/submit.json?descriptor_id=${ws}:${name}`, '{"go":false}', { 'content-type': 'application/json' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  await untilExecutionsWait(t.app, [r.body.execution_id], { running: 1, pending: 1 })
  return r.body.execution_id
}

const copies = (n: number): string[] => Array.from({ length: n }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`)
const wake = (user: (typeof users)[number], id: string, body: string) =>
  user.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=a`, body, { 'content-type': 'application/json' })
const jobOf = (id: string): number => t.app.store.jobs.getByUuid(uuidOfExecutionId(id))!.id

/**
 * Checks that the wakeup of `id` was refused and changed nothing: the job running with its stored context
 * and memory's alike, `a` still waiting on `{go: false}`; then a small wakeup is taken and moves `a` on
 * (`c0`: what its items `[1, 2, 3]` make of the context's `c0`).
 */
async function leftAsItWas(user: (typeof users)[number], id: string, before: unknown, c0: unknown = [1, 2, 3]): Promise<void> {
  const job = jobOf(id)
  expect(t.app.store.jobs.get(job)).toMatchObject({ status: 'running', error: null })
  expect(t.app.store.jobs.get(job)!.context).toEqual(before)
  expect(t.app.engine.act(job, (ctl) => ctl.job.context)).toEqual(before)
  expect(t.app.store.jobs.task(job, 'a')).toMatchObject({ status: 'running', input: { go: false } })
  const small = await wake(user, id, JSON.stringify({ go: true, items: [1, 2, 3] }))
  expect(small, JSON.stringify(small.body)).toMatchObject({ status: 200, body: { result: 'ok' } })
  await untilExecutionsWait(t.app, [id], { succeeded: 1, running: 1 })
  expect(t.app.store.jobs.get(job)).toMatchObject({ status: 'running', error: null })
  expect((t.app.store.jobs.get(job)!.context as { c0?: unknown }).c0).toEqual(c0)
}

/** The answer to a wakeup refused past the context's 2 MiB, its copy of `copy` bytes (`3,840,001`). */
function refusedPast2MB(copy: string) {
  const mapping = String.raw`mapping \(source: \$\.output\.items, target: \$\.context\.c\d+\) of task a`
  const limit = String.raw`the context would exceed 2 MiB \(2,097,152 bytes\): with this copy it would be [\d,]+ bytes, of which the copy is ${copy}`
  return { error_code: 30507, error: expect.stringMatching(new RegExp(`^content length:\\d+ exceed the limit: ${mapping}: ${limit}; nothing was changed`)) }
}

describe.each(['nu', 'admin'])('as %s', (who) => {
  const user = () => users.find((u) => u.name === who)!

  for (const mappings of [1, 5]) {
    it(`a wakeup copying 3.84 MB of long numbers ${mappings === 1 ? 'once' : `${mappings} times`} is refused 30507 past 2 MB, the execution still waiting`, { timeout: 120_000 }, async () => {
      const id = await waitingOn(user(), copies(mappings))
      const before = t.app.store.jobs.get(jobOf(id))!.context
      const body = JSON.stringify({ go: true, items: Array.from({ length: 160_000 }, () => BIG) })
      expect(body.length).toBe(3_840_021) // under the 4 MB a body may have
      const r = await wake(user(), id, body)
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
      expect(r.body).toEqual(refusedPast2MB('3,840,001')) // bytes: 3.7 MiB
      await leftAsItWas(user(), id, before)
    })
  }

  it('a wakeup copying 240 kB of `{}` 20 times is refused 30507 past 2 MB', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), copies(20))
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await wake(user(), id, JSON.stringify({ go: true, items: Array.from({ length: 80_000 }, () => ({})) }))
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
    expect(r.body).toEqual(refusedPast2MB('240,001'))
    await leftAsItWas(user(), id, before)
  })

  // 260,000 "\u0001" are 780,001 characters counted without their escapes, 2,340,001 written out: 8 copies
  // made a context of 12,480,162 characters (last check, by finish.json)
  it('a wakeup copying 260,000 control characters 8 times is refused 30507, each copy the 2.2 MB its escapes write out to', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), copies(8))
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await wake(user(), id, JSON.stringify({ go: true, items: Array.from({ length: 260_000 }, () => '\u0001') }))
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
    expect(r.body).toEqual(refusedPast2MB('2,340,001'))
    await leftAsItWas(user(), id, before)
  })

  // The 2 MB are UTF-8 bytes, as upstream's ContextDAO.checkContextLength counts: 8 copies of 250,000 `中`
  // (2.0 M characters, 6.0 MB) were taken (last check); each copy writes out to 750,002 bytes
  it('a wakeup copying 250,000 `中` 8 times is refused 30507 past 2 MB of UTF-8, each copy its 0.7 MB', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), copies(8))
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await wake(user(), id, JSON.stringify({ go: true, items: '中'.repeat(250_000) }))
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
    expect(r.body).toEqual(refusedPast2MB('750,002'))
    const length = Number(/^content length:(\d+)/.exec(r.body.error)![1])
    expect(length).toBeGreaterThan(2 << 20) // bytes: in characters it would be under a third of that
    await leftAsItWas(user(), id, before)
  })

  it('a wakeup copying 400,000 zeros 5 times is refused 30507, naming the copy as the 0.8 MB it writes out to', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), copies(5))
    const before = t.app.store.jobs.get(jobOf(id))!.context
    const r = await wake(user(), id, JSON.stringify({ go: true, items: Array.from({ length: 400_000 }, () => 0) }))
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
    expect(r.body).toEqual(refusedPast2MB('800,001'))
    await leftAsItWas(user(), id, before)
  })

  it('a list of exactly 1,000,000 elements is mapped (not "more than 1000000"); one more is refused, its content length in characters', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), copies(1))
    const exactly = await wake(user(), id, JSON.stringify({ go: false, items: Array.from({ length: 1_000_000 }, () => 0) }))
    expect(exactly, JSON.stringify(exactly.body).slice(0, 500)).toMatchObject({ status: 200, body: { result: 'ok' } })
    expect((t.app.store.jobs.get(jobOf(id))!.context as { c0: unknown[] }).c0).toHaveLength(1_000_000)
    const more = await wake(user(), id, JSON.stringify({ go: false, items: Array.from({ length: 1_000_001 }, () => 0) }))
    expect(more.status).toBe(500)
    // 1,000,001 zeros write out to 2,000,003 characters: the content length, not the 1,000,002 elements counted
    expect(more.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content length:2000003 exceed the limit: mapping .* the value has more than 1000000 elements \(1000001 lists, maps and scalars inside it\); nothing was changed/) })
  })

  // A save the store refuses (too deep here: the body's 98 levels written 3 levels down the context,
  // past the 100 levels stored) is refused 30507 with memory put back as stored; before, it answered
  // 500 30101 with the refused context kept in memory, for this job's next commit (or another user's) to fail on.
  it('a wakeup whose context the store refuses is refused 30507, memory as stored; the next wakeup and another user\'s submit work', { timeout: 120_000 }, async () => {
    const id = await waitingOn(user(), ['{source: $.output.items, target: $.context.c0.x.y}'])
    const before = t.app.store.jobs.get(jobOf(id))!.context
    let deep: unknown = 1
    for (let i = 0; i < 98; i++) deep = [deep]
    const r = await wake(user(), id, JSON.stringify({ go: true, items: deep }))
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(500)
    expect(r.body).toEqual({ error_code: 30507, error: expect.stringMatching(/^content exceed the limit: .*nests deeper than 100 levels.*; nothing was changed/) })
    // another user's submit commits with this job's refused change gone from memory
    const other = users.find((u) => u.name !== who)!
    const otherId = await waitingOn(other, copies(1))
    expect(t.app.store.jobs.get(jobOf(otherId))).toMatchObject({ status: 'running', error: null })
    await leftAsItWas(user(), id, before, { x: { y: [1, 2, 3] } })
  })
})

// The bound is the context's real JSON, the name of the key written included (#9): a wakeup mapping into
// `$.context.s` was taken up to 5 bytes over (`,"s":`), its refusal's content length 5 bytes below the
// real size; with a 60,000-character key a context of 2,157,142 bytes was taken and saved.
describe('a wakeup is held to 2 MiB of the context as saved, its new keys counted (admin)', () => {
  const LIMIT = 2 << 20
  const admin = () => users.find((u) => u.name === 'admin')!
  const bytesOf = (v: unknown): number => Buffer.byteLength(JSON.stringify(v))

  for (const key of ['s', 'k'.repeat(60_000)]) {
    it(`mapping into $.context.${key.length > 1 ? `<${key.length} characters>` : key}: exactly 2 MiB is taken, one byte more refused with its real size`, { timeout: 120_000 }, async () => {
      const id = await waitingOn(admin(), [`{source: $.output.s, target: $.context.${key}}`])
      const before = t.app.store.jobs.get(jobOf(id))!.context as Record<string, unknown>
      // the context saved with `s` of n characters: before's JSON, `,"key":`, the string with its quotes
      const n = LIMIT - bytesOf({ ...before, [key]: '' })
      const over = await wake(admin(), id, JSON.stringify({ go: false, s: 'a'.repeat(n + 1) }))
      expect(over.status, JSON.stringify(over.body).slice(0, 300)).toBe(500)
      expect(over.body.error_code).toBe(30507)
      expect(over.body.error).toMatch(new RegExp(`^content length:${LIMIT + 1} exceed the limit: mapping .* of task a: the context would exceed 2 MiB \\(2,097,152 bytes\\): with this copy it would be ${(LIMIT + 1).toLocaleString('en-US')} bytes, of which the copy is ${(n + 3).toLocaleString('en-US')}; nothing was changed`))
      expect(t.app.store.jobs.get(jobOf(id))!.context).toEqual(before)
      const at = await wake(admin(), id, JSON.stringify({ go: false, s: 'a'.repeat(n) }))
      expect(at, JSON.stringify(at.body).slice(0, 300)).toMatchObject({ status: 200, body: { result: 'ok' } })
      const saved = t.app.store.jobs.get(jobOf(id))!.context
      expect(bytesOf(saved)).toBe(LIMIT)
    })
  }
})

// A mapping whose target is the whole context replaced the pass's own context object, which the wakeup never
// read back: it answered ok with nothing mapped, the rules after it lost too (#9). Upstream's setValue loses
// it the same way; here the rule is skipped and logged as a failing rule is, and the rules after it apply.
describe('a wakeup mapping into the whole $.context (admin)', () => {
  const admin = () => users.find((u) => u.name === 'admin')!

  it('skips that rule with a WARN in the job\'s log and applies the rules after it', { timeout: 120_000 }, async () => {
    const id = await waitingOn(admin(), ['{source: $.output, target: $.context}', '{source: $.output.items, target: $.context.c0}'])
    const r = await wake(admin(), id, JSON.stringify({ go: true, items: [1, 2, 3] }))
    expect(r, JSON.stringify(r.body)).toMatchObject({ status: 200, body: { result: 'ok' } })
    const job = jobOf(id)
    expect(t.app.store.jobs.get(job)!.context).toMatchObject({ go: true, c0: [1, 2, 3] }) // saved before the answer
    await untilExecutionsWait(t.app, [id], { succeeded: 1, running: 1 })
    expect(t.app.store.jobs.task(job, 'a')).toMatchObject({ status: 'succeeded' })
    const warn = await until(
      () => t.app.store.logs.read(job, 0, 1000).lines.filter((l) => l.level === 'WARN').map((l) => l.text),
      (lines) => lines.length > 0,
      'the skipped rule logged',
    )
    expect(warn[0]).toMatch(/^task a: mapping \(source: \$\.output, target: \$\.context\) skipped: cannot replace the whole \$\.context; write under it/)
  })
})
