// Attack (#9 §3, rights of a disabled user's running jobs): shell and Python run as the desktop user,
// so only admins and users an admin granted the `scripts` right may run them (access.ts
// assertMayRun). The right is checked once, when a job is submitted; no executor or engine step asks
// again when an attempt starts. So an admin who takes the right away from bob AND disables his account
// (users.update {disabled: true, rights: []}: his sessions end, his keys sign nothing) does not stop
// the shell code bob already queued: his retries, and his jobs still waiting for a slot, run as the
// desktop user afterwards. Graph writes are held to the other rule (graph-rights.ts: "a right seen
// when a job was first submitted is never trusted later", checked again when a task runs).
// Measured over real HTTP (this file's app, concurrency 1, load average 10-12): a shell job of bob's
// with retries 3 whose every attempt appends a line to a file and fails ran 4 attempts, 3 of them
// after bob was disabled and lost the right; a shell job of bob's queued behind his running one ran
// its code (wrote its file) after the same change.
// Expected: once the user may no longer run scripts (right taken away, or account disabled), no
// attempt of their shell or Python jobs starts; the job fails or is cancelled naming why.
// This test FAILS until the scripts right (and the account's state) is checked when an attempt starts.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { shellGate } from '../support/shell-gate'
import { tempDir } from '../support/temp-store'
import { addUser, type TestUser } from '../support/users'
import { until } from '../support/until'

let t: TestApp
let bob: TestUser
const marks = tempDir()

beforeAll(async () => {
  t = await startTestApp({ concurrency: 1 }) // one slot: a second job of bob's waits in the queue
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
}, 120_000)
afterAll(() => t.close())

const lines = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0)
const shell = (code: string, retries = 0) => bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code, retries })
/** The admin takes the scripts right away from bob and disables his account. */
const revoke = async () => expect((await t.call('POST', '/api/v1/users/bob', { disabled: true, rights: [] })).status).toBe(200)

describe('attack: shell jobs of a user who lost the scripts right and was disabled', () => {
  it('no retry attempt and no queued job of bob’s runs after the change', async () => {
    const attempts = join(marks, 'attempts')
    const queued = join(marks, 'queued')
    // each attempt marks itself, then holds the one slot until the test lets it go and fails (so it
    // is retried 1 s later): the change comes while the first attempt holds it, before the queued job
    // can have the slot, however long the change takes (a sleep of 2 s left that to the machine's speed)
    const go = shellGate(marks, 'go')
    const retried = await shell(`echo attempt >> '${attempts}'; ${go.wait}; exit 1`, 3)
    expect(retried.status, JSON.stringify(retried.body)).toBe(201)
    const waiting = await shell(`echo ran >> '${queued}'`)
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(201)

    await until(() => lines(attempts), (n) => n >= 1, 'the first attempt of bob’s job', 60_000)
    await revoke()
    const attemptsAtRevoke = lines(attempts)
    expect(lines(queued)).toBe(0) // still waiting for the slot
    go.open()

    await waitForStatus(t, retried.body.id, ENDED_STATUSES, 60_000)
    await waitForStatus(t, waiting.body.id, ENDED_STATUSES, 60_000)
    expect((await bob.call('GET', '/api/v1/me')).status).toBe(401) // his session did end

    // shell code of a user who may no longer run it ran as the desktop user afterwards
    expect.soft(lines(attempts), 'attempts of the retried job that started after the change').toBe(attemptsAtRevoke)
    expect.soft(lines(queued), 'the queued job ran its shell code after the change').toBe(0)
  }, 120_000)
})
