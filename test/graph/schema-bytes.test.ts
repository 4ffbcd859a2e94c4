// A graph's schema is bounded in bytes (MAX_SCHEMA_BYTES), and the graph list carries label names and
// counts, not definitions (atk16: one owner's wide schema made every user's GET /api/v1/graphs 74 MB).
// The store refuses a schema past the bound whichever way it grows (import_schema, db.alterLabelAddFields),
// the refusal names the field in each dialect, and graphs.get still has every definition.
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppError } from '../../shared/errors'
import { addFields, deleteFields } from '../../electron/graph/store/label-edits'
import { MAX_SCHEMA_BYTES } from '../../electron/graph/store/names'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { upload } from '../support/upload-files'
import { expectError, expectOk, tugraphClient } from '../tugraph/support'
import { ADMIN, tempGraph } from './support'
import { WIDE_LABEL_BYTES, wideField as field, wideLabel, wideLabels } from '../support/graph-setup'

/** Wide labels (~300 KB of definition each) that together pass MAX_SCHEMA_BYTES by a label or two. */
const PAST_BOUND = Math.ceil(MAX_SCHEMA_BYTES / WIDE_LABEL_BYTES) + 1

const refusal = (fn: () => unknown): AppError => {
  try {
    fn()
  } catch (e) {
    return e as AppError
  }
  throw new Error('accepted')
}

describe('the store bounds a graph’s schema in bytes', () => {
  let dir: string
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses labels past MAX_SCHEMA_BYTES, naming the field, and keeps what it had', () => {
    const g = tempGraph(dir, { schema: [] })
    const half = Math.floor(PAST_BOUND / 2)
    expect(g.addLabels(parseSchemaDescription({ schema: wideLabels(0, half) })).created).toHaveLength(half)
    const e = refusal(() => g.addLabels(parseSchemaDescription({ schema: wideLabels(half, PAST_BOUND - half) })))
    expect(e).toMatchObject({ code: 'invalid_schema', field: 'schema' })
    expect(e.message).toContain(`more than ${MAX_SCHEMA_BYTES}`)
    expect(g.labels()).toHaveLength(half) // the refused call made nothing
    // a label past the bound is refused however it grows: fields added by db.alterLabelAddFields
    const few = Array.from({ length: 3 }, (_, i) => ({ label: `s${i}`, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }))
    const rest = PAST_BOUND - half - 2
    g.addLabels(parseSchemaDescription({ schema: [...wideLabels(half, rest), ...few] }))
    const grow = Array.from({ length: 1000 }, (_, i) => ({ def: { name: field(i + 1), type: 'STRING' as const, optional: true }, value: null }))
    expect(refusal(() => addFields(g, 'vertex', 's0', grow))).toMatchObject({ code: 'invalid_schema', field: 'schema' })
    expect(g.label('vertex', 's0')!.def.properties).toHaveLength(1)
    expect(g.labels()).toHaveLength(half + rest + 3)
    g.close()
  })

  it('lets a graph past the bound (made before it) shrink, not grow', () => {
    const g = tempGraph(dir, { schema: [wideLabel(0), { label: 's', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }] }] })
    // a definition stored with padding, as JSON allows: the stored schema is past the bound
    const wide = wideLabel(0).label
    g.db.prepare('UPDATE labels SET def = ? WHERE name = ?').run(`${JSON.stringify(g.label('vertex', wide)!.def)}${' '.repeat(MAX_SCHEMA_BYTES)}`, wide)
    expect(refusal(() => addFields(g, 'vertex', 's', [{ def: { name: 'more', type: 'STRING', optional: true }, value: null }]))).toMatchObject({ code: 'invalid_schema', field: 'schema' })
    expect(deleteFields(g, 'vertex', wide, [field(1), field(2)])).toBe(0)
    expect(g.label('vertex', wide)!.def.properties).toHaveLength(1022)
    g.close()
  })
})

describe('the graph list over HTTP', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  }, 30_000)
  afterAll(() => t?.close())

  it('names and counts labels without their definitions, stays small with a wide schema; graphs.get has them', async () => {
    await t.app.graph.createGraph('wide', ADMIN)
    const half = Math.floor(PAST_BOUND / 2)
    expect((await t.call('POST', '/api/v1/graphs/wide/schema', { schema: wideLabels(0, half) })).status).toBe(200)
    const refused = await t.call('POST', '/api/v1/graphs/wide/schema', { schema: wideLabels(half, PAST_BOUND - half) })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'invalid_schema', field: 'schema' })

    const res = await fetch(`${t.url}/api/v1/graphs`, { headers: { authorization: `Bearer ${t.token}` } })
    const text = await res.text()
    expect(text.length).toBeLessThan(64 * 1024) // the schema's definitions are ~2 MB
    const wide = (JSON.parse(text) as { name: string; labels: Record<string, unknown>[] }[]).find((g) => g.name === 'wide')!
    expect(wide.labels).toHaveLength(half)
    expect(wide.labels[0]).toEqual({ kind: 'vertex', id: 0, name: wideLabel(0).label, count: 0 })

    const one = await t.call('GET', '/api/v1/graphs/wide')
    expect(one.body.labels[0].def.properties).toHaveLength(1024) // the one graph's schema, whole
  })

  it('an import check reports a bad schema and one past the bound as problems of its `schema` (parsed in a graph worker)', async () => {
    await t.app.graph.createGraph('wide3', ADMIN)
    const half = Math.floor(PAST_BOUND / 2)
    expect((await t.call('POST', '/api/v1/graphs/wide3/schema', { schema: wideLabels(0, half) })).status).toBe(200)
    upload(t.dir, 'w.csv', 'a\n')
    const file = { path: 'w.csv', format: 'CSV', label: wideLabel(half).label, columns: [field(0)] }
    const past = await t.call('POST', '/api/v1/imports/check', { graph: 'wide3', schema: wideLabels(half, PAST_BOUND - half), files: [file] })
    expect(past.status).toBe(200)
    expect(past.body.problems).toContainEqual(expect.objectContaining({ severity: 'error', code: 'invalid_schema', field: 'schema', message: expect.stringContaining(`more than ${MAX_SCHEMA_BYTES}`) }))
    const typo = await t.call('POST', '/api/v1/imports/check', { graph: 'wide3', schema: [{ ...wideLabel(half), properties: [{ name: field(0), type: 'INT' }] }], files: [file] })
    expect(typo.body.problems[0]).toMatchObject({ severity: 'error', code: 'invalid_schema', field: 'schema', message: 'unknown keyword str: [INT]' })
  })

  it('TuGraph’s import_schema refuses past the bound in its envelope, naming the schema', async () => {
    await t.app.graph.createGraph('wide2', ADMIN)
    const c = tugraphClient(t.url)
    await c.login()
    const half = Math.floor(PAST_BOUND / 2)
    expectOk(await c.post('import_schema', { graph: 'wide2', description: { schema: wideLabels(0, half) } }))
    const past = await c.post('import_schema', { graph: 'wide2', description: { schema: wideLabels(half, PAST_BOUND - half) } })
    expectError(past, '400', /^"schema": the graph's label definitions would take \d+ bytes, more than 4194304/)
  })
})
