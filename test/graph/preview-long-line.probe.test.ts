// A 40 MB single-line upload and its preview (#9 §2): the upload once stalled the status probe 1.2 s
// under load. The preview reads a bounded head in a graph worker (never the whole line on the main
// thread) and says the line is too long for an import; the probe keeps answering (p99 < 200 ms).
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const MB = 1024 * 1024
const app = servedProcessSuite()

const auth = () => ({ authorization: `Bearer ${app.token}` })

/** Uploads `data` to the admin's `path` in 1 MiB chunks, as the Imports page does. */
async function upload(path: string, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += MB) {
    const res = await fetch(`${app.url}/api/v1/files/upload?path=${encodeURIComponent(path)}&offset=${at}`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: new Uint8Array(data.subarray(at, at + MB)),
    })
    expect(res.status, `chunk at ${at}`).toBeLessThan(300)
  }
}

const preview = async (path: string) => {
  const res = await fetch(`${app.url}/api/v1/imports/preview`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ path, format: 'CSV' }) })
  return { status: res.status, bytes: Number(res.headers.get('content-length') ?? 0), body: (await res.json()) as any }
}

describe('a 40 MB single-line file', () => {
  it('uploads and previews while the probe answers; the preview is small and says the line is too long', async () => {
    const line = Buffer.alloc(40 * MB, 'a,')
    const mixed = Buffer.concat([Buffer.from('id,name\n1,ann\n2,bob\n'), line])
    const { result, probe } = await probeWhile(app, async () => {
      await upload('one-line.csv', line)
      await upload('mixed.csv', mixed)
      return { oneLine: await preview('one-line.csv'), mixed: await preview('mixed.csv') }
    })
    expectResponsive(probe)

    expect(result.oneLine.status).toBe(200)
    expect(result.oneLine.body).toMatchObject({ bytes: line.length, complete: false, rows: [] })
    expect(result.oneLine.body.notes.join('\n')).toMatch(/line 1 is longer than an import reads \(too long input line: it takes at least \d+ bytes with its line end, and an import reads lines of up to \d+\)/)
    expect(result.mixed.status).toBe(200)
    expect(result.mixed.body.rows.map((r: { fields: string[] }) => r.fields)).toEqual([['1', 'ann'], ['2', 'bob']])
    expect(result.mixed.body.notes.join('\n')).toMatch(/line 4 is longer than an import reads/)
    for (const r of [result.oneLine, result.mixed]) expect(r.bytes).toBeLessThan(64 * 1024) // no 40 MB answer
  }, 180_000)
})
