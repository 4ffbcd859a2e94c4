// A Rill Flow body over 64 kB is parsed in a worker thread (services/json-parser.ts, #9 §2) and its
// value read back in pieces (json-pieces.ts). A client must not tell: the same answers, the same
// refusals naming the field, as for the same body under 64 kB parsed on the main thread.
import { describe, expect, it } from 'vitest'
import { INLINE_JSON_CHARS } from '../../electron/services/json-parser'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

/** `json` (an object's text) with a string field added first that takes it past INLINE_JSON_CHARS. */
const long = (json: string): string => `{"pad":"${'p'.repeat(INLINE_JSON_CHARS)}",${json.slice(1)}`

const submit = (body: string) => s.rill.call('POST', '/flow/submit.json?descriptor_id=long:pass', body)

describe('a long Rill Flow body answers as a short one', () => {
  it('is refused the same way, naming the field', async () => {
    await s.rill.addDescriptor('workspace: long\ndagName: pass\ntype: flow\ntasks:\n  - {category: pass, name: a}\n')
    const refused = {
      'a prototype key': '{"a":1,"__proto__":{"isAdmin":true}}',
      'an escaped prototype key': '{"a":1,"\\u005f_proto__":{"isAdmin":true}}',
      'a constructor holding prototype': '{"a":{"constructor":{"prototype":{"isAdmin":true}}}}',
      'bad JSON': '{"a":1,"b":}',
      'too deep': `{"a":${'['.repeat(120)}${']'.repeat(120)}}`,
    }
    for (const [what, body] of Object.entries(refused)) {
      const short = await submit(body)
      expect(short.status, what).toBeGreaterThanOrEqual(400)
      expect(await submit(long(body)), what).toEqual(short)
    }
    // a body that is no object, short and long
    const list = await submit('[1,2]')
    expect(list.status).toBeGreaterThanOrEqual(400)
    expect(await submit(`[${'1,'.repeat(INLINE_JSON_CHARS)}2]`)).toEqual(list)
    // too many lists and maps (only a long text holds them): 413 naming the body
    const many = await submit(`{"a":[${'{},'.repeat(330_000)}{}]}`)
    expect(many.status).toBe(413)
    expect(many.body.error).toMatch(/body holds more than 320,000 lists and maps/)
  })

  it('stores a long context as sent, its input apart from the context its tasks write', async () => {
    await s.rill.addDescriptor("workspace: long\ndagName: write\ntype: flow\ntasks:\n  - {category: pass, name: a, outputMappings: [{target: $.context.m.k0, source: '7'}, {target: '$.context.rows[0].name', source: '8'}]}\n")
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['x', String(i)], at: { n: -i / 4 - 0.5 } }))
    const m = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))
    const sent = { rows, m, '7': 'an integer key', empty: {}, none: null }
    const r = await s.rill.call('POST', '/flow/submit.json?descriptor_id=long:write', JSON.stringify(sent))
    expect(r.status).toBe(200)
    const executionId = r.body.execution_id as string
    expect((await s.rill.finished(executionId, 30_000)).dag_status).toBe('SUCCEED')
    const context = (await s.rill.call('GET', `/flow/get_context.json?execution_id=${encodeURIComponent(executionId)}`)).body.ret
    const written = { ...sent, rows: [{ ...rows[0], name: 8 }, ...rows.slice(1)], m: { ...m, k0: 7 }, flow_execution_id: executionId }
    expect(context).toEqual(written)
    expect(Object.keys(context)).toEqual(['7', 'rows', 'm', 'empty', 'none', 'flow_execution_id']) // the order JSON.parse gives
    // the task wrote into the context, not into the job's input
    const job = s.t.app.store.jobs.get(s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(executionId))!)!
    expect(job.input).toEqual(sent)
  })
})
