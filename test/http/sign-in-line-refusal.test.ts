// A sign-in refused because the line of password checks is full (503 too_many_sign_ins: the server's
// reason, not the caller's) was counted by the throttle as a failed guess: after five such refusals
// the account's owner got 429 with the right password (atk16). A refused check is now withdrawn from
// the throttle's counts.
import { expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'

const suite = appSuite('bob')

/** Password checks the line holds waiting (auth.service.ts PASSWORD_CHECKS_WAITING), and past it. */
const FILL = 300

it('a sign-in refused for a full line of checks does not count against the account', { timeout: 60_000 }, async () => {
  const { t, users } = suite
  const { bob } = users
  const auth = t.app.auth
  const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e))
  // the line filled with guesses at unknown names, from many addresses (each under the throttle's bounds), all at once
  const flood = Array.from({ length: FILL }, (_, i) => outcome(auth.checkPassword(`nobody${i}`, 'guess', `10.1.${Math.floor(i / 10)}.${i % 10}`)))
  // two guesses at bob's name already waiting: his share of the full line
  const guesses = [0, 1].map((i) => outcome(auth.checkPassword('bob', 'guess', `10.2.0.${i}`)))
  // bob's own sign-ins from his address, while the line is full: refused, busy
  const refused: string[] = []
  for (let i = 0; i < 6; i++) refused.push(await outcome(auth.checkPassword('bob', bob.password, '10.3.0.1')))
  expect(refused, JSON.stringify(refused)).toEqual(Array(6).fill('too_many_sign_ins'))
  await Promise.all([...flood, ...guesses])
  // the line is empty again: his right password from the same address is taken, not backed off
  expect((await auth.checkPassword('bob', bob.password, '10.3.0.1')).username).toBe('bob')
})
