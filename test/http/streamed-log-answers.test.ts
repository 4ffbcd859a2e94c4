// Log answers are streamed a page of lines at a time (#9 §2: a whole log built in one stretch held the
// server). Clients must not see a difference: each streamed answer is byte for byte the JSON the
// one-shot answer was (built here from the stored lines as the handlers built it), and a client that
// hangs up stops the reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logLineText } from '../../electron/http/dialects/linkis/mappers'
import { logFileLine } from '../../shared/log-text'
import type { LogLine } from '../../shared/model'
import { linkisClient } from '../linkis/support'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
let execID: string
let id: number
/** Lines no single read page holds (pages are 200 lines), with text JSON must escape. */
const ADDED = 1234
const SAMPLES = ['plain', 'with "quotes" and \\ backslash', 'tab\there, bell \u0007, nul \u0000', 'emoji 😀 and 中文', 'line sep \u2028 para sep \u2029', '</script>']

beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
  const submitted = (await linkis.submit('echo started', 'shell')).body.data
  ;({ execID, taskID: id } = submitted)
  expect(await linkis.waitDone(execID)).toBe('Succeed')
  const { store } = t.app
  const task = store.jobs.tasks(id)[0]
  const first = store.logs.nextSeq(id)
  const levels = ['INFO', 'WARN', 'ERROR', 'INFO'] as const
  store.transaction(() =>
    store.logs.append(
      Array.from({ length: ADDED }, (_, i) => ({
        jobId: id,
        seq: first + i,
        taskId: i % 3 ? task.id : null,
        time: 1_700_000_000_000 + i,
        level: levels[i % levels.length],
        text: `${i} ${SAMPLES[i % SAMPLES.length]}`,
      })),
    ),
  )
})
afterAll(() => t?.close())

/** The stored lines as the one-shot handlers read them. */
const stored = (task?: string): LogLine[] => t.app.store.logs.page(id, { from: 0, size: 1_000_000, task }).lines
const block = (lines: LogLine[], level?: string) => lines.filter((l) => !level || l.level === level).map((l) => `${logLineText(l)}\n`).join('')
const linkisLog = (lines: LogLine[]) => [block(lines, 'ERROR'), block(lines, 'WARN'), block(lines, 'INFO'), block(lines)]

async function expectSameBytes(res: Response, oneShot: unknown): Promise<void> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  const text = await res.text()
  expect(text).toBe(JSON.stringify(oneShot))
  expect(JSON.parse(text)).toEqual(oneShot)
}

describe('streamed log answers', () => {
  it('native logs/text: the same JSON as the one-shot answer, whole and for one task', async () => {
    expect(stored().length).toBeGreaterThan(ADDED)
    const whole = stored()
    const res = await fetch(`${t.url}/api/v1/jobs/${id}/logs/text`, { headers: { authorization: `Bearer ${t.token}` } })
    await expectSameBytes(res, { fileName: `job-${id}.log`, text: whole.map(logFileLine).join(''), lines: whole.length })
    const main = stored('main')
    expect(main.length).toBeLessThan(whole.length)
    const one = await fetch(`${t.url}/api/v1/jobs/${id}/logs/text?task=main`, { headers: { authorization: `Bearer ${t.token}` } })
    await expectSameBytes(one, { fileName: `job-${id}-main.log`, text: main.map(logFileLine).join(''), lines: main.length })
  })

  it('Linkis entrance/{id}/log: the same envelope, the four blocks or the one string, and the next fromLine', async () => {
    const cookie = { cookie: linkis.cookie }
    const lines = stored()
    const all = await fetch(`${t.url}/api/rest_j/v1/entrance/${execID}/log?fromLine=0&size=-1`, { headers: cookie })
    const envelope = (log: unknown, fromLine: number) => ({
      method: `/api/entrance/${execID}/log`,
      status: 0,
      message: 'Return log information(返回日志信息)',
      data: { log, execID, fromLine },
    })
    await expectSameBytes(all, envelope(linkisLog(lines), lines.at(-1)!.seq + 1))
    const window = lines.slice(100, 100 + 700)
    const part = await fetch(`${t.url}/api/rest_j/v1/entrance/${execID}/log?fromLine=${window[0].seq}&size=700&distinctLevel=false`, { headers: cookie })
    await expectSameBytes(part, envelope(block(window), window.at(-1)!.seq + 1))
    const past = await fetch(`${t.url}/api/rest_j/v1/entrance/${execID}/log?fromLine=999999`, { headers: cookie })
    await expectSameBytes(past, envelope(['', '', '', ''], 999999))
  })

  it('Linkis filesystem/openLog: the same envelope, every level or the asked ones', async () => {
    const path = encodeURIComponent(`file:///jobdesk/admin/log/${id}.log`)
    const lines = stored()
    const all = await fetch(`${t.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, { headers: { cookie: linkis.cookie } })
    await expectSameBytes(all, { method: '/api/filesystem/openLog', status: 0, message: 'OK', data: { log: linkisLog(lines) } })
    const some = await fetch(`${t.url}/api/rest_j/v1/filesystem/openLog?path=${path}&logLevel=error,warn`, { headers: { cookie: linkis.cookie } })
    const [error, warn] = linkisLog(lines)
    await expectSameBytes(some, { method: '/api/filesystem/openLog', status: 0, message: 'OK', data: { log: [error, warn, '', ''] } })
  })

  it('errors found before the first byte keep their status and envelope', async () => {
    const missing = await fetch(`${t.url}/api/v1/jobs/999999/logs/text`, { headers: { authorization: `Bearer ${t.token}` } })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { kind: string } }).error.kind).toBe('not_found')
    const noJob = await fetch(`${t.url}/api/rest_j/v1/entrance/999999/log?fromLine=0&size=-1`, { headers: { cookie: linkis.cookie } })
    expect(noJob.status).toBe(400)
    expect(((await noJob.json()) as { status: number }).status).toBe(1)
    const noLog = await fetch(`${t.url}/api/rest_j/v1/filesystem/openLog?path=${encodeURIComponent('file:///jobdesk/admin/log/999999.log')}`, { headers: { cookie: linkis.cookie } })
    expect(noLog.status).toBe(400)
    expect(((await noLog.json()) as { message: string }).message).toContain('80001')
  })
})

describe('a client that hangs up mid-stream', () => {
  it('stops the page reads', async () => {
    const { store } = t.app
    const big = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'true' })).body.id as number
    for (;;) {
      const status = (await t.call('GET', `/api/v1/jobs/${big}`)).body.status as string
      if (status !== 'queued' && status !== 'running') break
      await new Promise((r) => setTimeout(r, 50))
    }
    // 100,000 lines of 200 bytes (20 MB, 500 pages): more than the socket and the stream buffer hold
    const first = store.logs.nextSeq(big)
    const text = 'x'.repeat(200)
    store.transaction(() =>
      store.logs.append(Array.from({ length: 100_000 }, (_, i) => ({ jobId: big, seq: first + i, taskId: null, time: 0, level: 'INFO' as const, text }))),
    )
    let pagesRead = 0
    const page = store.logs.page
    store.logs.page = (jobId, q) => {
      if (jobId === big) pagesRead++
      return page.call(store.logs, jobId, q)
    }
    try {
      const abort = new AbortController()
      const res = await fetch(`${t.url}/api/v1/jobs/${big}/logs/text`, { headers: { authorization: `Bearer ${t.token}` }, signal: abort.signal })
      const reader = res.body!.getReader()
      for (let received = 0; received < 1024 * 1024; ) received += (await reader.read()).value!.length // the reads follow the client
      expect(pagesRead).toBeGreaterThanOrEqual(5)
      abort.abort()
      await new Promise((r) => setTimeout(r, 500))
      const afterHangUp = pagesRead
      await new Promise((r) => setTimeout(r, 1000))
      expect(pagesRead).toBe(afterHangUp) // nothing is read for nobody
      expect(pagesRead).toBeLessThan(250) // of 500
    } finally {
      store.logs.page = page
    }
  })
})
