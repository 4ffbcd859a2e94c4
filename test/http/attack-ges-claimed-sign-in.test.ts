// A GES request signed with an access key names its account before its body, over which the HMAC is
// checked, is read (ges/auth.ts identify sets req.user and marks it claimedUntilBody). body-rate.ts
// counts such a body's bytes for its address, since anyone may name another's key (access keys go
// in every request's Authorization). But the connection gate (connection-limits.ts preParsing) signs
// the connection in as that account all the same: a client without any credential who knows two
// users' access keys holds every place of a server with a cap of 4 with forged signatures whose
// bodies trickle in, as "signed-in uploads" of those users (within each one's two places, younger
// than SIGNED_IN_BODY_MS), and every newcomer, the admin among them, is closed unanswered for a
// minute at a time. Not signed in, the four would be loopback's in-flight connections over its
// share (two) and the newcomer would take the place of the oldest.
import type { Socket } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ask, get, rawConnections, statusLine, type RawConnections } from '../support/raw-connections'
import { sdkSign } from '../ges/sdk-signer'

const CAP = 4
let t: TestApp
let c: RawConnections
/** Access keys of ann and bob (no secret: the attacker knows only these). */
const keys: string[] = []
beforeAll(async () => {
  t = await startTestApp({ connections: { maxConnections: CAP } })
  c = rawConnections(t)
  for (const username of ['ann', 'bob']) {
    const record = t.app.store.users.create({ username, passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    const token = t.app.auth.issueToken(record)
    // on a raw connection that closes: fetch's own keep-alive connections would take places
    const s = await c.open()
    const body = JSON.stringify({ description: 'sdk' })
    const answer = await ask(s, `POST /api/v1/access-keys HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`)
    expect(statusLine(answer)).toBe('HTTP/1.1 201 Created')
    keys.push(/"accessKey":"([A-Z0-9]+)"/.exec(answer)![1]!)
    s.destroy()
  }
}, 60_000)
afterAll(() => t?.close())
beforeEach(() => c.holding(0, 'the setup’s connections closed'))

it('forged signatures naming two users’ access keys, their bodies trickling, do not hold every place as those users’ uploads', async () => {
  const path = '/v2/p1/graphs/g/import-graph'
  const forged: Socket[] = []
  try {
    for (const key of [keys[0]!, keys[0]!, keys[1]!, keys[1]!]) {
      const signed = sdkSign(key, 'not-the-secret', { method: 'POST', host: new URL(t.url).host, path, headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' } })
      const head = Object.entries(signed).map(([k, v]) => `${k}: ${v}\r\n`).join('')
      const s = await c.open()
      forged.push(s)
      expect(statusLine(await ask(s, `POST ${path} HTTP/1.1\r\n${head}content-length: 60000\r\nexpect: 100-continue\r\n\r\n`))).toBe('HTTP/1.1 100 Continue')
      s.write(`{"pad":"${'x'.repeat(690)}`) // the rest never sent (the body rule would end it in 20 s)
    }
    await new Promise((r) => setTimeout(r, 200)) // their bytes read: past preParsing, where the gate signs a connection in
    const newcomer = await c.open()
    // before: the four counted as ann's and bob's uploads, none gave way, and the admin's connection was closed unanswered
    expect(statusLine(await ask(newcomer, get('/api/v1/me', t.token)))).toBe('HTTP/1.1 200 OK')
    newcomer.destroy()
  } finally {
    forged.forEach((s) => s.destroy())
  }
})
