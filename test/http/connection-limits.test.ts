// The server's connection limits (#9 §2, atk38a, atk40): at most so many connections are held, a
// new one in the place of one not signed in when full, and the connections node's headers-timeout
// sweep ends together are ended a batch per turn of the event loop, those that sent nothing without
// an answer. One client without an account filling the cap: attack-connection-cap-one-client.test.ts. The flood itself: attack-idle-connections.probe.test.ts.
import type { ConnectionError, FastifyBaseLogger } from 'fastify'
import type { Socket } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { answerClientError } from '../../electron/http/client-errors'
import { ConnectionGate, sessionKey, SIGNED_IN_SHARE } from '../../electron/http/connection-gate'
import { clientAddressKey } from '../../electron/services/client-address'
import { SIGNED_IN_BODY_MS, SIGNED_IN_UNREAD_MS, UNSIGNED_IN_FLIGHT_MS } from '../../electron/http/displacement'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'
import { rawConnections, type RawConnections } from '../support/raw-connections'
import { until } from '../support/until'

let t: TestApp
let c: RawConnections
beforeAll(async () => {
  t = await startTestApp({ connections: { maxConnections: 3 } })
  c = rawConnections(t)
}, 60_000)
afterAll(() => t?.close())

/** Sends a status request on `socket` and resolves with the answer's status line ('' if it closed without one). */
const statusOn = (socket: Socket): Promise<string> =>
  new Promise((ok) => {
    let answer = ''
    socket.on('data', (d) => (answer += String(d)))
    socket.once('close', () => ok(answer.split('\r\n')[0]))
    socket.write(`GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\nconnection: close\r\n\r\n`)
  })

/** Sends a keep-alive request signed in with `token` on `socket` and resolves with its status line once answered. */
const signInOn = (socket: Socket, token: string): Promise<string> =>
  new Promise((ok) => {
    socket.once('data', (d) => ok(String(d).split('\r\n')[0]))
    socket.write(`GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n\r\n`)
  })

it('holds at most maxConnections: when every place is a different user signed in a further connection is closed unanswered, and gets in once one is let go', async () => {
  // a third of the cap each: every user within their share (made in the store: fetch's own keep-alive connections would take places)
  const tokens = [t.token, ...['ann', 'bob'].map((username) => t.app.auth.issueToken(t.app.store.users.create({ username, passwordHash: 'x', isAdmin: false, mustChangePassword: false })))]
  const held = [await c.open(), await c.open(), await c.open()]
  for (const [i, s] of held.entries()) expect(await signInOn(s, tokens[i])).toBe('HTTP/1.1 200 OK')
  await c.holding(3, 'the connections held')
  expect(await statusOn(await c.open())).toBe('')
  expect(held.filter((s) => s.destroyed || s.readyState !== 'open')).toHaveLength(0) // signed-in connections keep their places
  held[0].destroy()
  await c.holding(2, 'the connections held')
  expect(await statusOn(await c.open())).toBe('HTTP/1.1 200 OK')
  held.forEach((s) => s.destroy())
  await c.holding(0, 'the connections closed')
})

it('when full, a new connection takes the place of the oldest that sent nothing (atk40)', async () => {
  const held = [await c.open(), await c.open(), await c.open()]
  await c.holding(3, 'the connections held')
  const closed = new Promise((ok) => held[0].once('close', ok))
  expect(await statusOn(await c.open())).toBe('HTTP/1.1 200 OK')
  await closed
  expect(held.slice(1).filter((s) => s.readyState !== 'open')).toHaveLength(0)
  held.forEach((s) => s.destroy())
  await c.holding(0, 'the connections closed')
})

it('a signed-in connection whose token is signed out is closed after its 401, as one never signed in', async () => {
  const { token } = await t.app.auth.login(DEFAULT_ADMIN.username, DEFAULT_ADMIN.password)
  const socket = await c.open()
  const on = (tokenSent: string): Promise<string> =>
    new Promise((ok) => {
      socket.once('data', (d) => ok(String(d).split('\r\n')[0]))
      socket.write(`GET /api/v1/me HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${tokenSent}\r\n\r\n`)
    })
  expect(await on(token)).toBe('HTTP/1.1 200 OK')
  t.app.auth.logout(token)
  const closed = new Promise((ok) => socket.once('close', ok))
  expect(await on(token)).toBe('HTTP/1.1 401 Unauthorized')
  await closed
  await c.holding(0, 'the connections closed')
})

/** A stand-in accepted connection from `address` that records whether it was destroyed. */
const accepted = (address: string) => ({ remoteAddress: address, destroyed: false, destroy() { this.destroyed = true }, once: () => undefined })

it('when full, an address holding more than half the places not signed in gives way first; a signed-in place only of a user holding more than half', () => {
  const gate = new ConnectionGate(4)
  const [lan, ...local] = [accepted('192.168.1.20'), accepted('127.0.0.1'), accepted('127.0.0.1'), accepted('127.0.0.1')]
  for (const s of [lan, ...local]) gate.admit(s as unknown as Socket)
  gate.admit(accepted('127.0.0.1') as unknown as Socket)
  expect([lan, ...local].map((s) => s.destroyed)).toEqual([false, true, false, false]) // the oldest of 127.0.0.1, not the older LAN one
  expect(gate.size).toBe(4)
  // signed in, two users with half each: no place is given up
  const signedIn = [accepted('127.0.0.1'), accepted('127.0.0.1'), accepted('127.0.0.1'), accepted('127.0.0.1')]
  const full = new ConnectionGate(4)
  for (const [i, s] of signedIn.entries()) {
    full.admit(s as unknown as Socket)
    full.signIn(s as unknown as Socket, i < 2 ? 'ann' : 'bob')
  }
  const newcomer = accepted('127.0.0.1')
  full.admit(newcomer as unknown as Socket)
  expect([newcomer, ...signedIn].map((s) => s.destroyed)).toEqual([true, false, false, false, false])
  // one user with three of the four: that user's oldest idle one is
  full.signIn(signedIn[3] as unknown as Socket, 'ann')
  full.admit(accepted('127.0.0.1') as unknown as Socket)
  expect(signedIn.map((s) => s.destroyed)).toEqual([true, false, false, false])
})

/**
 * Stand-in connections from `addresses`, admitted by `gate`, each with a request in flight that never
 * ends: its body still arriving unless `whole` (an event stream's, a job's run).
 */
function inFlight(gate: ConnectionGate, addresses: string[], whole = false) {
  const sockets = addresses.map(accepted)
  for (const s of sockets) {
    gate.admit(s as unknown as Socket)
    gate.started(s as unknown as Socket, { complete: whole } as IncomingMessage, { once: () => undefined } as unknown as ServerResponse)
  }
  return sockets
}

it('counts every loopback address as one client, and IPv6 by its /64 (rev9: two loopback addresses held every place)', () => {
  expect(['127.0.0.1', '127.0.0.2', '127.255.0.3', '::1', '::ffff:127.0.0.9'].map(clientAddressKey)).toEqual(Array(5).fill('loopback'))
  expect(clientAddressKey('::ffff:192.168.1.20')).toBe('192.168.1.20')
  expect(clientAddressKey('2001:db8:0:12:1::5')).toBe(clientAddressKey('2001:0db8::12:ffff:ffff:ffff:ffff'))
  expect(clientAddressKey('2001:db8:0:12::1')).not.toBe(clientAddressKey('2001:db8:0:13::1'))
  // 2 + 2 requests in flight without a credential from 127.0.0.2 and 127.0.0.3: over the share as one
  const gate = new ConnectionGate(4)
  const trickling = inFlight(gate, ['127.0.0.2', '127.0.0.2', '127.0.0.3', '127.0.0.3'])
  const newcomer = accepted('127.0.0.1')
  gate.admit(newcomer as unknown as Socket)
  expect([newcomer, ...trickling].map((s) => s.destroyed)).toEqual([false, true, false, false, false])
})

it('lets a request without a credential in flight for over 5 s give way from any address (a body trickling in)', () => {
  let now = 0
  const gate = new ConnectionGate(4, () => now)
  const trickling = inFlight(gate, ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.2'])
  const early = accepted('10.0.0.3')
  gate.admit(early as unknown as Socket)
  expect(early.destroyed).toBe(true) // each address within its share, every request young: nothing gives way
  now += UNSIGNED_IN_FLIGHT_MS
  const later = accepted('10.0.0.3')
  gate.admit(later as unknown as Socket)
  expect([later, ...trickling].map((s) => s.destroyed)).toEqual([false, true, false, false, false])
})

it(`lets no account hold more than ${SIGNED_IN_SHARE} idle places once full, and counts Token-Users without an account as one (rev9)`, () => {
  // cap 200: half is 100 each, which two accounts could hold for good; past 64 their idle ones give way
  const gate = new ConnectionGate(200)
  const held = Array.from({ length: 200 }, () => accepted('127.0.0.1'))
  for (const [i, s] of held.entries()) {
    gate.admit(s as unknown as Socket)
    gate.signIn(s as unknown as Socket, i < 100 ? 'account 1' : 'account 2')
  }
  const newcomer = accepted('127.0.0.1')
  gate.admit(newcomer as unknown as Socket)
  expect([newcomer.destroyed, held[0]!.destroyed]).toEqual([false, true])
  // a Linkis token allowing any user names another "user" per connection: all one without an account
  expect(sessionKey({ id: -1 })).toBe(sessionKey({ id: -1 }))
  expect(sessionKey({ id: 3 })).not.toBe(sessionKey({ id: -1 }))
})

it('lets a signed-in upload give way last: at once for an account over its share, after a minute within it; never an event stream (gate10)', () => {
  let now = 0
  const ended: unknown[] = []
  const gate = new ConnectionGate(4, () => now, (socket) => void ended.push(socket))
  // two accounts within their share (2 of 4 each), each an upload and an event stream
  const [upload1, stream1, upload2, stream2] = [...inFlight(gate, ['127.0.0.1']), ...inFlight(gate, ['127.0.0.1'], true), ...inFlight(gate, ['127.0.0.1']), ...inFlight(gate, ['127.0.0.1'], true)]
  for (const [s, user] of [[upload1, 'ann'], [stream1, 'ann'], [upload2, 'bob'], [stream2, 'bob']] as const) gate.signIn(s as unknown as Socket, user)
  const early = accepted('127.0.0.1')
  gate.admit(early as unknown as Socket)
  expect([early.destroyed, ended.length]).toEqual([true, 0])
  now += SIGNED_IN_BODY_MS
  const later = accepted('127.0.0.1')
  gate.admit(later as unknown as Socket)
  expect([later.destroyed, ended]).toEqual([false, [upload1]]) // the oldest upload, ended (gateConnections answers it 503), not destroyed unanswered
  // the newcomer signs in as ann: 2 of 4 still; bob's upload is the next past its minute, the streams never
  gate.signIn(later as unknown as Socket, 'ann')
  const third = accepted('127.0.0.1')
  gate.admit(third as unknown as Socket)
  expect(ended).toEqual([upload1, upload2])
  gate.signIn(third as unknown as Socket, 'bob')
  const last = accepted('127.0.0.1')
  gate.admit(last as unknown as Socket)
  expect([last.destroyed, stream1.destroyed, stream2.destroyed, ended.length]).toEqual([true, false, false, 2])
})

it("lets a signed-in answer its client does not read give way as an upload: at once for an account over its share, after a minute seen unread within it; never a read one (atk10)", () => {
  let now = 0
  const ended: unknown[] = []
  const gate = new ConnectionGate(4, () => now, (socket) => void ended.push(socket))
  // ann and bob within their share (2 of 4 each), each an answer in flight: ann's first and bob's
  // first unread (node's write buffer waiting for 'drain'), the second ones read (an event stream
  // written to a client that reads it)
  const drains: Array<() => void> = []
  const [unread1, read1, unread2, read2] = inFlight(gate, Array(4).fill('127.0.0.1'), true).map((s, i) =>
    Object.assign(s, { writableNeedDrain: i % 2 === 0, once: (event: string, f: () => void) => void (event === 'drain' && drains.push(f)) }),
  )
  for (const [s, user] of [[unread1, 'ann'], [read1, 'ann'], [unread2, 'bob'], [read2, 'bob']] as const) gate.signIn(s as unknown as Socket, user)
  const early = accepted('127.0.0.1')
  gate.admit(early as unknown as Socket) // sees the two unread from now on
  expect([early.destroyed, drains.length]).toEqual([true, 2])
  now += SIGNED_IN_UNREAD_MS - 1
  const young = accepted('127.0.0.1')
  gate.admit(young as unknown as Socket)
  expect(young.destroyed).toBe(true)
  // bob reads: his drain clears what was seen; ann's answer has waited a minute since first seen
  drains[1]!()
  now += 1
  const later = accepted('127.0.0.1')
  gate.admit(later as unknown as Socket)
  expect([later.destroyed, unread1.destroyed, unread2.destroyed, ended]).toEqual([false, true, false, []]) // destroyed: no answer can be written to it
  // the newcomer signs in as bob, its answer read: 3 of 4, over his share: his answer waiting unread gives way at once
  gate.signIn(later as unknown as Socket, 'bob')
  gate.started(later as unknown as Socket, { complete: true } as IncomingMessage, { once: () => undefined } as unknown as ServerResponse)
  const third = accepted('127.0.0.1')
  gate.admit(third as unknown as Socket)
  expect([third.destroyed, unread2.destroyed, read1.destroyed, read2.destroyed]).toEqual([false, true, false, false])
  // the read ones never, however long: ann and bob within their shares again
  gate.signIn(third as unknown as Socket, 'ann')
  now += 10 * SIGNED_IN_UNREAD_MS
  const last = accepted('127.0.0.1')
  gate.admit(last as unknown as Socket)
  expect([last.destroyed, read1.destroyed, read2.destroyed]).toEqual([true, false, false])
})

/** A stand-in socket that counts what is written to it and whether it was ended. */
function socketThat(sent: boolean) {
  const socket = { bytesRead: sent ? 10 : 0, destroyed: false, writable: true, written: 0, write: () => ((socket.written += 1), true), destroy: () => void (socket.destroyed = true) }
  return socket
}
const log = { debug: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger

it('ends the connections a sweep timed out 64 per turn, answering only those that sent part of a request', async () => {
  const sockets = Array.from({ length: 200 }, (_, i) => socketThat(i % 2 === 1))
  const timeout = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT', rawPacket: Buffer.from('GET /api/v1/jobs HT'), bytesParsed: 0 }) as unknown as ConnectionError
  for (const s of sockets) answerClientError(timeout, s as unknown as Socket, log, {})
  expect(sockets.filter((s) => s.destroyed)).toHaveLength(0) // none in the sweep's own turn
  await new Promise((r) => setImmediate(r))
  expect(sockets.filter((s) => s.destroyed)).toHaveLength(64)
  await until(() => sockets.every((s) => s.destroyed), Boolean, 'every timed-out connection ended')
  expect(sockets.filter((s) => s.written > 0)).toHaveLength(100)
  expect(sockets.filter((s, i) => i % 2 === 0 && s.written > 0)).toHaveLength(0)
})
