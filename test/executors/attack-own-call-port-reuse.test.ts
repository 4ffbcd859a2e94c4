// Attack (#9 §3, atk40 LOW): JobDesk tells its own outgoing calls (function tasks, completion
// callbacks, the http executor: executors/outgoing-http.ts) from a program of this computer by the
// local port of the call's socket (executors/own-calls.ts). That port was kept for 60 s after the
// socket closed, keyed by address and port alone, so a port used again within the minute confused it
// both ways: (1) an own call on a port that an earlier own call held lost its mark when the earlier
// socket's timer fired, and read as this computer (an admin's task got loopback's trust: the default
// password, Rill Flow without a credential); (2) a real local client that connected from a port an own
// call had freed was taken for an own call (refused what loopback may do). What is observed: Rill Flow
// answers a call without a credential from this computer while JobDesk has one user, and refuses it
// from one of JobDesk's own calls (http/dialects/rillflow/session.ts). The sockets here are made as
// the connector in outgoing-http.ts makes them (noteOwnCall once connected), bound to a chosen port.
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { noteOwnCall } from '../../electron/executors/own-calls'
import { outgoingFetch } from '../../electron/executors/outgoing-http'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
let port: number
/** A server on another port that takes connections and holds them: where the earlier own calls went. */
let elsewhere: Server
let elsewherePort: number

beforeAll(async () => {
  t = await startTestApp()
  port = Number(new URL(t.url).port)
  elsewhere = createServer(() => {})
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r))
  elsewherePort = (elsewhere.address() as { port: number }).port
}, 60_000)
afterAll(async () => {
  vi.useRealTimers()
  await new Promise((r) => elsewhere.close(r))
  await t.close()
})

/** A connected socket to 127.0.0.1:`to`, from 127.0.0.1:`from` (0: a port the system picks, bound with reuse as an explicit one is). */
function connectFrom(to: number, from = 0): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: to, localAddress: '127.0.0.1', localPort: from })
    s.once('error', reject)
    s.once('connect', () => resolve(s))
  })
}

/** An own call as outgoing-http.ts's connector makes one: noted as soon as it is connected. */
async function ownCallFrom(to: number, from = 0): Promise<Socket> {
  const s = await connectFrom(to, from)
  noteOwnCall(s)
  return s
}

/** Closes `s` and waits for its 'close'. */
const closed = (s: Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : (s.once('close', () => r()), s.destroy())))

/** GET /flow/service_check.json on `s` without a credential: the status Rill Flow answers. */
function serviceCheck(s: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = ''
    s.setEncoding('latin1')
    s.on('data', (d: string) => {
      text += d
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text)
      if (m) resolve(Number(m[1]))
    })
    s.once('error', reject)
    s.once('close', () => reject(new Error(`closed without an answer: ${JSON.stringify(text)}`)))
    s.write(`GET /flow/service_check.json HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)
  })
}

describe('attack: a local port used again confuses which calls are JobDesk’s own', () => {
  it('checks the two ways apart: this computer is let in, an own call is not', async () => {
    expect(await serviceCheck(await connectFrom(port))).toBe(200)
    expect(await serviceCheck(await ownCallFrom(port))).toBe(401)
  })

  it('keeps an own call’s mark when an earlier own call on the same port closed more than a minute before its request', async () => {
    const earlier = await ownCallFrom(elsewherePort)
    const reused = earlier.localPort!
    // the earlier call's timers are the test's: a minute passes in no time
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const later = await ownCallFrom(port, reused) // on the port the earlier call still holds
      expect(later.localPort).toBe(reused)
      await closed(earlier)
      vi.advanceTimersByTime(61_000)
      vi.useRealTimers()
      expect(await serviceCheck(later), `an own call from port ${reused} read as this computer`).toBe(401)
    } finally {
      vi.useRealTimers()
    }
  })

  it('takes a local client on a port an own call freed a moment ago for this computer, not for an own call', async () => {
    const own = await ownCallFrom(elsewherePort)
    const freed = own.localPort!
    await closed(own)
    const local = await connectFrom(port, freed)
    expect(local.localPort).toBe(freed)
    expect(await serviceCheck(local), `a local client on port ${freed} was taken for an own call`).toBe(200)
  })

  it('recognises every call outgoingFetch makes to JobDesk, each on a new connection, at once', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) {
      const res = await outgoingFetch(`${t.url}/flow/service_check.json`, { headers: { connection: 'close' } }, 'admin')
      statuses.push(res.status)
      await res.arrayBuffer()
    }
    expect(statuses.filter((s) => s !== 401)).toEqual([])
  })
})
