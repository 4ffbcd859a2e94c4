import type { Socket } from 'node:net'
import { sdkSign } from '../ges/sdk-signer'
import { ADMIN } from '../graph/support'
import type { TestApp } from './app'
import { sendPart, type PartSent } from './unfinished-body'

/** The GES import every body here goes to, and its headers. */
export const GES_IMPORT_PATH = '/v2/p1/graphs/movies/import-graph'
const gesHeaders = { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' }

/** The first line of a raw HTTP answer ('' for none yet). */
export const statusLine = (answer: string): string => answer.split('\r\n')[0]!

/**
 * GES bodies to one test app: a graph `movies` and an access key (made by `setUp`), and connections
 * that send part of a body, closed by `closeAll`.
 */
export function gesBodies(app: () => TestApp) {
  let ak = ''
  let sk = ''
  const opened: Socket[] = []
  const host = () => new URL(app().url).host
  /** Sends `sent` bytes of `body` to `to` with `headers` (their Content-Length the body's). */
  const send = (to: string, headers: Record<string, string>, body: string, sent: number): PartSent => {
    const head = `POST ${to} HTTP/1.1\r\n${Object.entries({ host: host(), ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')}content-length: ${body.length}\r\n\r\n`
    const part = sendPart(app().url, head, body, sent)
    opened.push(part.socket)
    return part
  }
  return {
    send,
    /** Makes the graph and the access key the bodies use. */
    async setUp(): Promise<void> {
      await app().app.graph.createGraph('movies', ADMIN)
      const made = await app().call('POST', '/api/v1/access-keys', { description: 'python sdk' })
      if (made.status !== 201) throw new Error(`access key: ${made.status}`)
      ;({ accessKey: ak, secretKey: sk } = made.body)
    },
    /** An import-graph body naming the access key, signed with a made-up secret (its HMAC fails once whole): `sent` of its `size` bytes sent. */
    forged: (size: number, sent: number): PartSent => send(GES_IMPORT_PATH, sdkSign(ak, 'not-the-secret', { method: 'POST', host: host(), path: GES_IMPORT_PATH, headers: gesHeaders }), 'x'.repeat(size), sent),
    /** An import-graph of a file that is not there, `size` bytes (JSON padded with whitespace), signed with the key's secret: `sent` bytes of it sent. */
    honest(size: number, sent: number): { part: PartSent; body: string } {
      const body = `{"edgeset_path":"nowhere/edges.csv"${' '.repeat(size - 36)}}`
      return { body, part: send(GES_IMPORT_PATH, sdkSign(ak, sk, { method: 'POST', host: host(), path: GES_IMPORT_PATH, headers: gesHeaders, body }), body, sent) }
    },
    /** Closes every connection opened here. */
    closeAll(): void {
      for (const s of opened.splice(0)) s.destroy()
    },
  }
}
