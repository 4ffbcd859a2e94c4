// A large Cypher result crosses from its query worker as JSON bytes (packed-rows.ts, #9 §2): the
// rows a job stores a step at a time, or an answer writes as they are, must be the rows the query gave.
import { describe, expect, it } from 'vitest'
import { MessageChannel } from 'node:worker_threads'
import { cypherRows, packedJson, packedRows, packedTransfer, packRows } from '../../electron/graph/cypher/packed-rows'

const ROWS: unknown[][] = [
  [1, 'plain', null, true],
  [2, 'naïve café 数据 😀', [1, [2, 'x']], { b: 1, a: { c: '"quoted"\n' } }],
  [3, '', [], {}],
  [-4.5, '\u0000\u001f\\', '__null__', false],
]

describe('packed Cypher rows', () => {
  it('give back every row, whole or a slice at a time, multi-byte text and nesting included', () => {
    const source = packedRows(packRows(ROWS))
    expect(source.count).toBe(ROWS.length)
    expect(source.slice(0, ROWS.length)).toEqual(ROWS)
    expect([...source.slice(0, 1), ...source.slice(1, 3), ...source.slice(3, 10)]).toEqual(ROWS)
    expect(source.slice(2, 2)).toEqual([])
    expect(JSON.parse(packedJson(packRows(ROWS)).toString('utf8'))).toEqual(ROWS)
    expect(packedRows(packRows([])).slice(0, 10)).toEqual([])
    expect(packedJson(packRows([])).toString('utf8')).toBe('[]')
  })

  it('cross a message port moved, not copied, and read the same on the other side', async () => {
    const packed = packRows(ROWS)
    const { port1, port2 } = new MessageChannel()
    const got = new Promise<unknown>((resolve) => port2.once('message', resolve))
    port1.postMessage({ packed: { header: [], rows: packed, elapsed: 0 } }, packedTransfer(packed))
    const answer = (await got) as Parameters<typeof cypherRows>[0]
    port1.close()
    expect(packed.json.byteLength).toBe(0) // detached on the sending side: it was moved
    const r = cypherRows(answer)!
    expect(r.rows.slice(0, r.rows.count)).toEqual(ROWS)
  })

  it('read a small answer of parsed rows the same way', () => {
    const r = cypherRows({ result: { header: [{ name: 'x', type: 0 }], rows: ROWS, elapsed: 0.1 } })!
    expect(r.rows.count).toBe(ROWS.length)
    expect(r.rows.slice(1, 3)).toEqual(ROWS.slice(1, 3))
    expect(cypherRows({ json: new Uint8Array(), rows: 0 })).toBeUndefined()
  })
})
