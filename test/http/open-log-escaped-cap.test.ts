// openLog's byte cap counts the bytes of the answer as written (#9 §2, atk10): a log of NUL bytes,
// each sent JSON-escaped as `\u0000` (six bytes for one), answered 22 MB against the ~2 MB cap
// (~4 MB with the "all" block while the cap was per block) because the cap counted the stored text. The log is built directly
// in the store as the stored head and tail of `head -c … /dev/zero | fold -w 200` would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPEN_LOG_MAX_BYTES } from '../../electron/http/dialects/linkis/log-cap'
import { linkisClient } from '../linkis/support'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
let id: number
const NULS = '\u0000'.repeat(200)
const LINES = 24_000 // 4.8 MB stored, 28.8 MB JSON-escaped: over the cap both ways

beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
  const submitted = (await linkis.submit('echo started', 'shell')).body.data
  id = submitted.taskID
  expect(await linkis.waitDone(submitted.execID)).toBe('Succeed')
  const first = t.app.store.logs.nextSeq(id)
  t.app.store.transaction(() =>
    t.app.store.logs.append(Array.from({ length: LINES }, (_, i) => ({ jobId: id, seq: first + i, taskId: null, time: 1_700_000_000_000 + i, level: 'INFO' as const, text: NULS }))),
  )
})
afterAll(() => t?.close())

describe('openLog of a log of control characters', () => {
  it('answers at most the cap in bytes sent (all blocks together) plus the envelope, and still parses', async () => {
    const path = encodeURIComponent(`file:///jobdesk/admin/log/${id}.log`)
    const res = await fetch(`${t.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, { headers: { cookie: linkis.cookie } })
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    // the INFO block and the "all" block share the cap (a line in both counts twice); the note and envelope fit in 1 KB
    expect(bytes.byteLength).toBeLessThanOrEqual(OPEN_LOG_MAX_BYTES + 1024)
    const body = JSON.parse(bytes.toString('utf8')) as { status: number; data: { log: string[] } }
    expect(body.status).toBe(0)
    const all = body.data.log[3]
    const shown = '\\x00'.repeat(200) // each NUL written visibly (shared/log-text.ts), then JSON-escaped: the cap counts that
    expect(all).toContain(`INFO ${shown}\n`)
    expect(all).toMatch(/WARN … lines \d+ to \d+ left out: this log is over 2 MB/)
    expect(all.endsWith(`INFO ${shown}\n`)).toBe(true) // the tail is kept
    expect(Buffer.byteLength(JSON.stringify(all))).toBeGreaterThan((OPEN_LOG_MAX_BYTES / 2) * 0.9) // the cap is used, not undershot
  })
})
