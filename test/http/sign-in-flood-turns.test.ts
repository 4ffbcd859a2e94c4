// A user who signs in as fast as she can with her own password from many addresses (each a client of
// its own to the throttle, which holds one client to 5 sign-ins in flight) made everyone else's
// sign-in wait behind all of hers: scrypt runs in libuv's few threads, first come, first served
// (0.05 s alone, 0.9 s behind her flood). Password checks now take turns by account name
// (auth.service.ts passwordChecks): bob's waits behind the checks running when he came, not her line.
import { expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { useTestScryptCost } from '../../electron/services/passwords'
import { appSuite } from '../support/app-suite'

useTestScryptCost(false) // the shipped cost (~50 ms a check): the line is what is measured
const suite = appSuite('mallory', 'bob')

/**
 * Starts the sign-ins `flood` makes, lets them get in line, then signs in as `name` from `client` (it
 * must get in): the flood's outcomes, how many of its checks ended while that sign-in waited, and how long it took (ms).
 */
async function signInBehind<T>(flood: () => Promise<T>[], name: string, password: string, client: string): Promise<{ outcomes: T[]; ahead: number; ms: number }> {
  let ended = 0
  const running = flood().map((p) => p.finally(() => ended++))
  await new Promise((r) => setTimeout(r, 20)) // the flood is in line
  const before = ended
  const started = performance.now()
  expect((await suite.t.app.auth.checkPassword(name, password, client)).username).toBe(name)
  const ms = performance.now() - started
  const ahead = ended - before
  return { outcomes: await Promise.all(running), ahead, ms }
}

/** Her sign-ins in flight: 4 from each of 10 network addresses. */
const FLOOD = 40

it("one user's own sign-ins from many addresses do not put another user's behind all of hers", { timeout: 60_000 }, async () => {
  const { mallory, bob } = suite.users
  const auth = suite.t.app.auth
  const { outcomes, ahead, ms: bobMs } = await signInBehind(
    () => Array.from({ length: FLOOD }, (_, i) => auth.checkPassword(mallory.username, mallory.password, `10.0.0.${2 + (i % 10)}`).then((user) => user.username)),
    bob.username,
    bob.password,
    '10.0.1.1',
  )
  expect(outcomes).toEqual(Array(FLOOD).fill('mallory')) // a burst of her own is taken, none refused
  // his check waits behind those running when he came (2 threads) and a turn of hers, not her line of 40
  expect(ahead, `bob's sign-in waited behind ${ahead} of mallory's ${FLOOD} (${bobMs.toFixed(0)} ms)`).toBeLessThanOrEqual(4)
})

// Each made-up name was an owner of its own: a spray of distinct unknown names took a place each
// (each let in past the full line, as an owner with fewer than its share), and a known user's sign-in
// came after all of them (#9). Names that are no account now share one owner in the line.
/** Guesses at made-up names in flight: 5 from each of 100 addresses (the throttle's bound for one client). */
const SPRAY = 500

it("a spray of unknown names does not put the admin's sign-in behind it: it waits for the checks running", { timeout: 120_000 }, async () => {
  const auth = suite.t.app.auth
  const { outcomes, ahead, ms: adminMs } = await signInBehind(
    () => Array.from({ length: SPRAY }, (_, i) => auth.checkPassword(`nobody-${i}`, 'guess', `10.9.${Math.floor(i / 5)}.1`).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e))),
    DEFAULT_ADMIN.username,
    DEFAULT_ADMIN.password,
    '127.0.0.1',
  )
  const refused = outcomes.filter((o) => o === 'too_many_sign_ins').length
  console.log(`admin signed in after ${adminMs.toFixed(0)} ms, behind ${ahead} of ${SPRAY} guesses; ${refused} guesses refused (full line)`)
  // wrong guesses all; those past the line's places refused at once rather than held
  expect(outcomes.every((o) => o === 'bad_credentials' || o === 'too_many_sign_ins')).toBe(true)
  expect(refused).toBeGreaterThan(0)
  expect(ahead, `the admin's sign-in waited behind ${ahead} of ${SPRAY} guesses (${adminMs.toFixed(0)} ms)`).toBeLessThanOrEqual(4)
})
