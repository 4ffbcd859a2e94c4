// `npm run serve` and Ctrl+C (#8.11): the built serve in its own process, signalled as a terminal would.
import { rmSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { groupMembers } from '../../electron/executors/process-tree'
import { apiLogin, startServe, type ServeProcess } from './support'

let served: ServeProcess | undefined
afterAll(async () => {
  await served?.halt('SIGKILL')
  if (served) rmSync(served.dataDir, { recursive: true, force: true })
})

const api = async (url: string, token: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as any
}

/** Opens the event stream as a browser tab does and resolves once it is connected. */
async function openEventStream(url: string, token: string): Promise<{ ended: Promise<string> }> {
  const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } })
  const reader = res.body!.getReader()
  await reader.read() // ": connected"
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return 'ended'
    } catch {
      return 'cut'
    }
  })()
  return { ended }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('serve stops on Ctrl+C', () => {
  it('exits within a few seconds with an event stream open and a script running; the script shows as interrupted after a restart', async () => {
    served = await startServe()
    const token = await apiLogin(served.url)
    // In sh -c, $$ is the shell's pid: the process group the script and its sleep run in.
    const job = await api(served.url, token, '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo pgid=$$; sleep 300' })
    const pgid = await waitFor('the script to start', async () => {
      const { lines } = await api(served!.url, token, `/api/v1/jobs/${job.id}/logs`)
      const m = /^pgid=(\d+)$/.exec(lines[0]?.text ?? '')
      return m ? Number(m[1]) : undefined
    })
    expect(groupMembers(pgid, null).length).toBeGreaterThan(0)
    const streams = await Promise.all([openEventStream(served.url, token), openEventStream(served.url, token)])

    const started = Date.now()
    served.process.kill('SIGINT')
    const code = await served.exited
    const tookMs = Date.now() - started
    expect(code).toBe(0)
    expect(tookMs).toBeLessThan(4000)
    for (const s of streams) expect(await s.ended).toMatch(/ended|cut/)
    expect(groupMembers(pgid, null)).toEqual([]) // the script and its sleep are gone too

    // Restarted on the same data and port: the script is failed as interrupted, not running.
    served = await startServe({ dataDir: served.dataDir, port: served.port })
    const again = await api(served.url, await apiLogin(served.url), `/api/v1/jobs/${job.id}`)
    expect(again.status).toBe('failed')
    expect(again.error).toMatch(/interrupted: JobDesk stopped while this task was running/)
    // it ended when Ctrl+C stopped it, not at the restart: its duration leaves the downtime out (newuser3)
    expect(again.finishedAt).toBeGreaterThanOrEqual(started)
    expect(again.finishedAt).toBeLessThanOrEqual(started + tookMs)
  })

  it('answers a request still in flight 503 stopping in its envelope, then exits (#9: its socket closed with no answer after ~4.7 s)', async () => {
    const own = await startServe()
    try {
      // a slow request: its body comes no further, so it is still being handled when Ctrl+C comes
      const socket = connect(own.port, '127.0.0.1')
      await new Promise((r) => socket.once('connect', r))
      let answer = ''
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')))
      const closed = new Promise<void>((r) => socket.once('close', () => r()))
      socket.on('error', () => undefined) // the cut after the answer
      socket.write(`POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1:${own.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"user`)
      await new Promise((r) => setTimeout(r, 200))
      const started = Date.now()
      own.process.kill('SIGINT')
      await closed
      const answeredMs = Date.now() - started
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable')
      expect(answer).toMatch(/\r\nretry-after: 5\r\n/i)
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 'stopping' })
      expect(await own.exited).toBe(0)
      expect(answeredMs).toBeLessThan(4000)
    } finally {
      await own.halt('SIGKILL')
      rmSync(own.dataDir, { recursive: true, force: true })
    }
  })

  it('stops at once on a second Ctrl+C while the first is still waiting', async () => {
    served ??= await startServe()
    // A client in the middle of sending a body keeps a graceful close waiting.
    const socket = connect(served.port, '127.0.0.1')
    await new Promise((r) => socket.once('connect', r))
    socket.write(`POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1:${served.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"user`)
    await new Promise((r) => setTimeout(r, 200))
    served.process.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 700))
    expect(served.process.exitCode).toBeNull() // still stopping gracefully
    const second = Date.now()
    served.process.kill('SIGINT')
    expect(await served.exited).toBe(130)
    expect(Date.now() - second).toBeLessThan(1000)
    socket.destroy()
  })
})
