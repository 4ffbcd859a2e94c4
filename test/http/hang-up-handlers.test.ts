// The native routes run a handler under a hang-up signal only when it declares one (its 4th
// parameter: http/native/routes.ts): watching the connection costs a status poll a tenth of its
// time. A handler that used the signal but hid its parameters (a rest parameter, a wrapper) would
// then never hear a hang-up; this holds the rule to every handler the app builds.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

it('every handler that reads the hang-up signal declares it as its 4th parameter', () => {
  const hidden = Object.entries(t.app.handlers)
    .filter(([, handler]) => /\bsignal\b/.test(String(handler)) && (handler as (...a: unknown[]) => unknown).length < 4)
    .map(([name]) => name)
  expect(hidden).toEqual([])
  const hearing = Object.entries(t.app.handlers).filter(([, handler]) => (handler as (...a: unknown[]) => unknown).length >= 4).map(([name]) => name)
  expect(hearing).toEqual(expect.arrayContaining(['jobs.resultPage', 'imports.check', 'scratch.tables', 'graphWorkflows.save']))
})
