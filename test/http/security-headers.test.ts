// Clickjacking and MIME sniffing (#9.4 item 3): the UI, Swagger UI and every API answer say they may
// not be framed, must not be sniffed, and may load only this server's own scripts.
import { connect } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import { uiAppSuite } from '../support/ui-app'

const suite = uiAppSuite({ 'index.html': '<!doctype html><title>JobDesk</title>' })
let app: JobDeskApp
beforeAll(() => ({ app } = suite))

function directives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0], d.slice(d.indexOf(' ') + 1)]),
  )
}

describe('security headers', () => {
  it.each([
    ['the web UI', '/', 200],
    ['Swagger UI', '/swagger-ui/', 200],
    ['Swagger UI’s script', '/swagger-ui/static/swagger-ui-bundle.js', 200],
    ['the OpenAPI document', '/openapi.json', 200],
    ['an API answer', '/api/v1/health', 401],
    ['an unknown route', '/no/such/page', 404],
    ['a Linkis answer', '/api/rest_j/v1/user/userInfo', 401],
    ['a Rill Flow answer', '/flow/service_check.json', 200],
  ])('%s (%s)', async (_what, path, status) => {
    const res = await fetch(`${app.url}${path}`)
    await res.arrayBuffer() // an unread body holds the connection open past close()
    expect(res.status).toBe(status)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const csp = directives(res.headers.get('content-security-policy'))
    expect(csp.get('frame-ancestors')).toBe("'none'")
    expect(csp.get('default-src')).toBe("'self'")
    expect(csp.get('script-src')).toBe("'self'") // no inline or eval'd script
    expect(csp.get('object-src')).toBe("'none'")
    expect(csp.has('upgrade-insecure-requests')).toBe(false) // plain http on a LAN must keep working
    expect(res.headers.get('strict-transport-security')).toBeNull()
  })

  it('a refused Host gets the headers too', async () => {
    // over HTTP (fetch sends no forged Host): the headers come with the server's responses, which fastify.inject does not use
    const answer = await new Promise<string>((ok) => {
      let text = ''
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nhost: attacker.example\r\n\r\n'))
      socket.on('data', (d) => void (text += String(d)))
      socket.on('error', () => undefined)
      socket.once('close', () => ok(text))
    })
    expect(answer).toMatch(/^HTTP\/1\.1 403 /)
    expect(answer).toMatch(/\r\nx-frame-options: DENY\r\n/i)
    expect(answer).toMatch(/\r\nx-content-type-options: nosniff\r\n/i)
  })
})
