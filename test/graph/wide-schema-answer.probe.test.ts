// A graph's schema at its bound (MAX_SCHEMA_BYTES: ~4 MB of 256-byte property names) and the main
// thread: after atk16 the graph list no longer carries definitions, but graphs.get answers one
// graph's whole schema, and its owner's schema calls carry ~2 MB bodies. Other users' probes must
// still answer within 200 ms while he reads that schema and she posts her labels.
import { describe, expect, it } from 'vitest'
import { MAX_SCHEMA_BYTES } from '../../electron/graph/store/names'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { createUser } from '../support/users'
import { createOwnedGraph, postSchema, WIDE_LABELS_FIT, wideLabels } from '../support/graph-setup'

const app = servedProcessSuite()

describe('a schema at its bound and the main thread', () => {
  it('reading the whole schema and posting labels keep the probe within 200 ms', async () => {
    const mallory = await createUser(app, 'mallory', { role: 'user' })
    const bob = await createUser(app, 'bob', { role: 'user' })
    await createOwnedGraph(app, 'wide', 'mallory')
    const post = async (from: number, count: number) => (await postSchema(app.url, mallory.token, 'wide', wideLabels(from, count))).status
    const half = Math.floor(WIDE_LABELS_FIT / 2)
    const { result, probe } = await probeWhile(app, async () => {
      const posted = [await post(0, half), await post(half, WIDE_LABELS_FIT - half), await post(WIDE_LABELS_FIT, 2)]
      const reads: number[] = []
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${app.url}/api/v1/graphs/wide`, { headers: { authorization: `Bearer ${bob.token}` } })
        expect(res.status).toBe(200)
        reads.push((await res.arrayBuffer()).byteLength)
      }
      return { posted, reads }
    })
    expect(app.child.exitCode).toBe(null)
    expect(result.posted).toEqual([200, 200, 400]) // the last two labels pass the bound
    const held = Math.max(0, ...(probe.stalls ?? []).map((s) => s.cpuMs ?? s.heldMs))
    const seen = `bob's reads of the schema: ${result.reads.join(', ')} bytes; slowest probe ${Math.round(probe.maxMs)} ms, main thread on a CPU for up to ${held} ms at once`
    expect(Math.min(...result.reads), seen).toBeGreaterThan(MAX_SCHEMA_BYTES * 0.9) // the whole schema, every time
    expectResponsive(probe)
  }, 900_000)
})
