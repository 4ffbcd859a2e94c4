// Many event streams (#9 §2, atk38a): the 100 streams that never read now cost bounded
// memory (1 MB queued each, event-stream.ts), but nothing bounds how many one token may open, and each
// event is written to every one of them on the main thread. 1,000 streams of one user that do not
// read, and a Rill Flow foreach of 70 items of 50 kB (a task.changed of each carries its value):
// the engine ticks that sent those events held the main thread 1.5 s of its own work (7.6 s with
// the CPU waits of 2 loaded cores), the probe answered after 7.7 s; without the streams, 158 ms.
// The measure of the issue: a status probe keeps answering in under 200 ms.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { rillClient } from '../workflows/support/rill-client'

const app = servedProcessSuite({ timeoutMs: 120_000 })

const STREAMS = 1_000
const ITEMS = 70

// The streams are held by a process of their own that never reads them (a paused socket: the
// server's writes fill the kernel's buffers, then its own queue), so the probe's client measures
// the server, not this process. It prints `open` once every stream has its answer's head, or was
// refused (a connection over the server's cap, connection-limits.ts, is closed unanswered).
const READERS = `
const http = require('node:http')
const [url, token, count] = process.argv.slice(1)
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
let settled = 0
const done = () => { if (++settled === Number(count)) console.log('open') }
for (let i = 0; i < Number(count); i++) {
  const req = http.request(url + '/api/v1/events', { agent, headers: { authorization: 'Bearer ' + token } })
  req.on('response', (res) => { res.pause(); res.socket.pause(); done() })
  req.on('error', done)
  req.end()
}
setInterval(() => {}, 1 << 30)
`

it('a probe answers in under 200 ms while a foreach sends its task events to 1,000 streams that do not read', async () => {
  const rill = rillClient(app.url, app.token)
  await rill.addDescriptor(`workspace: streams\ndagName: fan\ntype: flow\ntasks:
  - category: foreach
    name: f
    inputMappings: [{target: $.input.items, source: $.context.items}]
    iterationMapping: {collection: $.input.items, item: item}
    tasks:
      - {category: pass, name: p, inputMappings: [{target: $.input.x, source: $.context.item}], outputMappings: [{target: $.context.y, source: $.output.x}]}
`)
  const readers = spawn(process.execPath, ['-e', READERS, app.url, app.token, String(STREAMS)], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    await new Promise<void>((ok) => createInterface({ input: readers.stdout! }).once('line', () => ok()))
    const value = 'q'.repeat(50_000)
    const { result, probe } = await probeWhile(app, async () => {
      const id = await rill.submit('streams:fan', { items: Array.from({ length: ITEMS }, (_, i) => `${value}${i}`) })
      return rill.finished(id, 120_000)
    })
    expect(result.dag_status).toBe('SUCCEED')
    console.log(`${STREAMS} streams, ${ITEMS} items of 50 kB: probes ${probe.count}, p99 ${probe.p99Ms.toFixed(0)} ms, max ${probe.maxMs.toFixed(0)} ms; stalls ${JSON.stringify(probe.stalls)}`)
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)
  } finally {
    readers.kill('SIGKILL')
  }
}, 240_000)
