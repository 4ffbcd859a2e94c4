// Attack (atk23, #9 §3): rights are asked when an attempt starts (services/run-rights.ts), never while
// it runs. A shell attempt runs as the desktop user for as long as its code likes (a reverse shell, a
// `sleep; exfiltrate`), so an admin who disables bob and takes his scripts right away has not stopped
// the shell code bob is running right now: it goes on as the desktop user until it ends by itself.
// Expected: disabling an account (or withdrawing the right a running shell/Python task needed) stops
// that user's running shell and Python tasks, the job ending with the reason.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const marks = tempDir()

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
}, 120_000)
afterAll(() => t.close())

describe('attack: a running shell task of a user who is then disabled', () => {
  it('is stopped when the account is disabled and the right withdrawn', async () => {
    const late = join(marks, 'late')
    const job = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: `sleep 15; echo still here >> '${late}'` })
    expect(job.status, JSON.stringify(job.body)).toBe(201)
    await waitForStatus(t, job.body.id, ['running'], 20_000)
    expect((await t.call('POST', '/api/v1/users/bob', { disabled: true, rights: [] })).status).toBe(200)
    // today: still running 8 s later, and it writes its file at 15 s
    const ended = await waitForStatus(t, job.body.id, ['cancelled', 'failed'], 8_000).catch(() => null)
    expect(ended?.status ?? 'still running', 'bob’s shell task runs on as the desktop user after he was disabled').toMatch(/cancelled|failed/)
    expect(existsSync(late)).toBe(false)
  }, 60_000)
})
