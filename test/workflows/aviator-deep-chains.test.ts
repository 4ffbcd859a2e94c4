// An Aviator script whose syntax tree is deep through a chain rather than brackets (`1+1+…`,
// `a.b.c…`, `a[0][0]…`) is refused as nested too deeply, like `((((…` already is (#9): 200,000
// links answered 400 "Script failed: Maximum call stack size exceeded", the interpreter's recursion
// running out of JS stack. Over real HTTP, as mapping_evaluation.json and a descriptor's transform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

const N = 200_000
async function transform(script: string, context: Record<string, unknown> = { x: 1 }): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/flow/mapping_evaluation.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body: JSON.stringify({ mappings: [{ source: '$.context.x', target: '$.input.r', transform: script, tolerance: false }], context }),
  })
  return { status: res.status, body: await res.json() }
}

describe('Aviator chains 200,000 links long', () => {
  for (const [name, script] of [
    ['1+1+…', `${'1+'.repeat(N)}1`],
    ['a.b.c…', `a${'.b'.repeat(N)}`],
    ['a[0][0]…', `a${'[0]'.repeat(N)}`],
    ['a chain inside brackets', `${'('.repeat(150)}${'1+'.repeat(N)}1${')'.repeat(150)}`],
  ] as const) {
    it(`${name}: nested too deeply, in Rill Flow's envelope`, async () => {
      const r = await transform(script)
      expect(r.status).toBe(400)
      expect(r.body.error_code).toBe(30109)
      expect(r.body.error).toContain('Script is nested too deeply')
      expect(r.body.error).not.toContain('call stack')
    })
  }

  it('a chain of 1,000 still runs', async () => {
    const r = await transform(`${'1+'.repeat(999)}source`)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.input.r).toBe(1000)
  })
})
