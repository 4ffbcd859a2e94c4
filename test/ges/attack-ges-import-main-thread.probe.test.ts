// Attack (#9 §2, GES import-graph): the GES import executor splits the uploaded vertex file into
// per-label CSVs on the MAIN thread (ges-import.executor.ts: boundedLines, CsvFieldSplitter, csvField,
// appendFileSync of each 1 MiB buffer) and keeps every vertex id with its label in a Map in the main
// heap (vertexLabelOf) until the split ends; only then does a graph worker import the parts. DESIGN.md:
// imports never block the main thread. Measured over real HTTP (npm run serve, 2 cores): a
// 6,000,000-line vertex file (160 MB, `v<i>,plain,name<i>`) took 37 s, the server's RSS reached 1.7 GB
// and the slowest status probe waited 1,303 ms at load average 3.0 (2,000,000 lines: 244 ms at 2.5;
// this test: 975 ms at load 2.6-3.9). This test FAILS until the split runs off the main thread (or
// in bounded slices), so the probe keeps answering under 200 ms.
// 3,000,000 lines since the split runs in a graph worker (9cce2a5c): the test 47.6-49.3 -> 35.3-35.9 s
// at load 7.5-10, and the tree before that fix still fails it far off the bound (its main thread held
// 26,768 ms at 3,000,000 lines, 7,191 ms at 1,000,000; probes timed out), as the fixed one passes it.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { servedProcessSuite, underProbe } from '../support/served-process'
import { gesToken, importGraph } from './support'

const app = servedProcessSuite()
const LINES = 3_000_000

/**
 * Writes `<data>/upload_files/admin/big/<name>`: LINES lines `v<i>,plain,name<i>` (~77 MB), built as bytes in
 * one 8 MiB buffer written each time it fills: joined strings took 12-21 s for the 160 MB at load
 * 12-15, these bytes 2.4 s (the same file, byte for byte).
 */
function writeVertexFile(name: string): void {
  const dir = join(app.dir, 'upload_files', 'admin', 'big')
  mkdirSync(dir, { recursive: true })
  const fd = openSync(join(dir, name), 'w')
  const buf = Buffer.allocUnsafe(8 * 2 ** 20)
  const digits = Buffer.allocUnsafe(12) // the decimal digits of i, at its end
  const middle = Buffer.from(',plain,name')
  let at = 0
  try {
    for (let i = 0; i < LINES; i++) {
      let d = digits.length
      let n = i
      do {
        digits[--d] = 0x30 + (n % 10)
        n = Math.floor(n / 10)
      } while (n > 0)
      buf[at++] = 0x76 // v
      at += digits.copy(buf, at, d)
      at += middle.copy(buf, at)
      at += digits.copy(buf, at, d)
      buf[at++] = 0x0a
      if (at > buf.length - 64) {
        writeSync(fd, buf, 0, at)
        at = 0
      }
    }
    writeSync(fd, buf, 0, at)
  } finally {
    closeSync(fd)
  }
}

describe('attack: a GES import of 3,000,000 vertex lines', () => {
  it('the status probe answers within 200 ms while it is split and imported (it waited 1.3 s)', async () => {
    writeVertexFile('v.csv')
    const schema = '<?xml version="1.0"?><PMML version="3.0"><labels><label name="plain"><properties><property name="name" cardinality="single" dataType="string"/></properties></label></labels></PMML>'
    const up = await fetch(`${app.url}/api/v1/files/upload?path=big/schema.xml&offset=0&replace=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/octet-stream' },
      body: schema,
    })
    expect(up.status).toBe(200)
    expect((await fetch(`${app.url}/api/v1/graphs`, { method: 'POST', headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ graph: 'big' }) })).status).toBe(201)
    const token = await gesToken(app.url)
    const { status } = await underProbe(app, () => importGraph(app.url, token, 'big', { schema_path: 'big/schema.xml', vertexset_path: 'big/v.csv' }))
    expect(status).toBe('success')
  }, 600_000)
})
