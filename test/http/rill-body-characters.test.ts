// #9: a Rill Flow wakeup or callback body (finish.json, trigger.json and its `context`) that is not
// valid UTF-8, or whose JSON escapes half of a character (`\ud800`, a lone surrogate), was taken: the
// bytes became U+FFFD in the stored context, the half character a string no UTF-8 can hold. Each is
// refused in Rill Flow's envelope (422, 30109) naming the field, and the task waits on as it was;
// whole characters, escaped as surrogate pairs or not, and an escaped backslash before `ud800`, are taken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addFlow, untilExecutionsWait } from '../support/workflows'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

let t: TestApp
let id: string
beforeAll(async () => {
  t = await startTestApp()
  // a suspense task `w` that waits for `go`, and copies a wakeup's `x` and `y` into the context
  const maps = ['go', 'x', 'y'].map((k) => `{source: $.output.${k}, target: $.context.${k}}`).join(', ')
  const w = `{category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${maps}]}`
  await addFlow(t, 'chars', 'wait', `workspace: chars\ndagName: wait\ntype: flow\ntasks:\n  - ${w}\n`)
  const r = await t.call('POST', '/flow/submit.json?descriptor_id=chars:wait', '{"go":false}')
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  id = r.body.execution_id
  await untilExecutionsWait(t.app, [id], { running: 1 })
}, 60_000)
afterAll(() => t?.close())

/** POSTs `body` (its bytes as given) to a Rill Flow route for task `w` of the execution; `query` is added to the URL. */
async function send(route: string, body: Buffer | string, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.url}/flow/${route}?execution_id=${encodeURIComponent(id)}&task_name=w${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
  return { status: res.status, body: await res.json() }
}

const refused = (error: string) => ({ status: 422, body: { error_code: 30109, error, pass_through: true } })
const NOT_UTF8 = (byte: number) => refused(`body is not valid UTF-8 (from byte ${byte}): send JSON encoded in UTF-8`)
const HALF = (field: string, unit: string, at: number) => refused(`${field} contains U+${unit} LONE SURROGATE (half of a character) at position ${at}: JSON text must escape whole characters`)
const context = () => t.app.store.jobs.get(t.app.store.jobs.getByUuid(uuidOfExecutionId(id))!.id)!.context as Record<string, unknown>

describe('a Rill Flow wakeup or callback body holds whole characters in UTF-8 (#9)', () => {
  const badBytes = Buffer.concat([Buffer.from('{"x":"a'), Buffer.from([0xff]), Buffer.from('"}')])
  const cesu = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]) // a surrogate's own UTF-8 form: no UTF-8

  it.each(['wakeup.json', 'finish.json', 'trigger.json'])('%s refuses a body that is not valid UTF-8, naming the byte', async (route) => {
    expect(await send(route, badBytes)).toEqual(NOT_UTF8(8))
    expect(await send(route, cesu)).toEqual(NOT_UTF8(7))
  })

  it.each(['wakeup.json', 'finish.json', 'trigger.json'])('%s refuses a lone surrogate escaped in the body, high or low, short or long', async (route) => {
    expect(await send(route, '{"x":"\\ud800"}')).toEqual(HALF('body', 'D800', 7))
    expect(await send(route, '{"x":"a\\uDC00b"}')).toEqual(HALF('body', 'DC00', 8))
    expect(await send(route, '{"x":"\\ud83d\\ud83d\\ude00"}')).toEqual(HALF('body', 'D83D', 7)) // a high one before a whole pair
    expect(await send(route, '{"\\ud800":1}')).toEqual(HALF('body', 'D800', 3)) // in a key
    // past 64 KiB a body is parsed in a worker thread: refused alike
    expect(await send(route, `{"pad":"${'a'.repeat(70_000)}","x":"\\udbff"}`)).toEqual(HALF('body', 'DBFF', 70_016))
  })

  it("trigger.json refuses a lone surrogate in its context parameter, naming it", async () => {
    expect(await send('trigger.json', '', `&context=${encodeURIComponent('{"x":"\\ud800"}')}`)).toEqual(HALF('context', 'D800', 7))
  })

  it('the refusals left the task waiting on its context as it was; whole characters are then taken and stored as sent', async () => {
    expect(context()).toMatchObject({ go: false })
    expect(Object.keys(context())).not.toContain('x')
    // an emoji escaped as its pair, U+FFFD sent as itself, and a backslash before "ud800" (text, no escape)
    const r = await send('wakeup.json', '{"go":true,"x":"\\ud83d\\ude00\ufffd","y":"\\\\ud800"}')
    expect(r).toEqual({ status: 200, body: { result: 'ok' } })
    await untilExecutionsWait(t.app, [id], { succeeded: 1 })
    expect(context()).toMatchObject({ x: '\u{1F600}\ufffd', y: '\\ud800' })
  })
})
