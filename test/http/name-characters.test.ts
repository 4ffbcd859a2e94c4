// Names with characters that are not drawn as themselves (#9): a user, job, saved script or folder,
// workflow, graph or label named with a bidi override (U+202E), a zero-width or another invisible
// character, or a control, is refused where it is created or renamed, in every dialect, with a 4xx in
// that dialect's envelope that names the field and the character (`contains U+202E RIGHT-TO-LEFT
// OVERRIDE at position 4`). Code and log text stay accepted: they are shown marked. A new user name
// whose look-alike skeleton is an existing user's (`adrnin` for admin, `a1ice` for alice) is refused.
// Names an older database already holds still load and list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'
import { tugraphClient } from '../tugraph/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

/** U+202E's name as messages give it, as a RegExp source. */
const RLO = 'U\\+202E RIGHT-TO-LEFT OVERRIDE'

/** A native refusal: 400 naming `field`, its message naming the character and where it is. */
function expectRefused(res: { status: number; body: any }, field: string, what: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error.field).toBe(field)
  expect(res.body.error.message).toMatch(what)
}

describe('names with hidden characters are refused at the native API', () => {
  it('a user name', async () => {
    const res = await t.call('POST', '/api/v1/users', { username: 'mal\u202Eory', password: 'mallory-initial-1' })
    expectRefused(res, 'username', /^username contains U\+202E RIGHT-TO-LEFT OVERRIDE at position 4$/)
  })

  it('a job name; the same characters in its code are accepted', async () => {
    const job = { type: 'script', language: 'sql', code: "SELECT '\u202Eabc' AS x" }
    expectRefused(await t.call('POST', '/api/v1/jobs', { ...job, name: 'invoice-2026\u202Efdp.exe' }), 'name', new RegExp(`name contains ${RLO} at position 13`))
    expectRefused(await t.call('POST', '/api/v1/jobs', { ...job, name: 'a\u200Bdmin backup' }), 'name', /U\+200B ZERO WIDTH SPACE at position 2/)
    expectRefused(await t.call('POST', '/api/v1/jobs', { ...job, name: 'two\nlines' }), 'name', /U\+000A LINE FEED at position 4/)
    const unnamed = await t.call('POST', '/api/v1/jobs', job)
    expect(unnamed.status, 'code text is accepted (and shown marked)').toBe(201)
    // the name taken from the code's first line is a name: its hidden characters are dropped (atk28)
    expect((await t.call('GET', `/api/v1/jobs/${unnamed.body.id}`)).body.name).toBe("SELECT 'abc' AS x")
    // a look-alike space is text in many languages: accepted, and every view marks it
    expect((await t.call('POST', '/api/v1/jobs', { ...job, name: 'weekly\u3000report' })).status).toBe(201)
  })

  it('a job name holding half of a character; a name cut from the code cuts between characters', async () => {
    const job = { type: 'script', language: 'sql', code: 'SELECT 1' }
    expectRefused(await t.call('POST', '/api/v1/jobs', { ...job, name: 'report\uD83D' }), 'name', /^name contains U\+D83D LONE SURROGATE \(half of a character\) at position 7$/)
    // a first line of 82 characters, cut at 77 UTF-16 units: there a smile's two halves meet
    const code = `SELECT '${'a'.repeat(68)}\u{1F600}\u{1F600}' AS x`
    const cut = await t.call('POST', '/api/v1/jobs', { ...job, code })
    expect(cut.status).toBe(201)
    expect((await t.call('GET', `/api/v1/jobs/${cut.body.id}`)).body.name).toBe(`SELECT '${'a'.repeat(68)}...`)
  })

  it('saved-script names and folders, on save, on creating a folder and on a move', async () => {
    expectRefused(await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/da\u2066ily', language: 'sql', code: 'select 1' }), 'path', /path contains U\+2066 LEFT-TO-RIGHT ISOLATE at position 11/)
    expectRefused(await t.call('POST', '/api/v1/saved-scripts/folders', { path: 'do\u202Ecs' }), 'path', new RegExp(`contains ${RLO} at position 3`))
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: 'plain', language: 'sql', code: "select '\u202E'" })).status).toBe(201)
    expectRefused(await t.call('POST', '/api/v1/saved-scripts/move', { from: 'plain', to: 'pl\uFEFFain' }), 'to', /U\+FEFF ZERO WIDTH NO-BREAK SPACE at position 3/)
  })

  it('a graph workflow name and a component name', async () => {
    const doc = (name: string, component = 'q1') => ({
      name,
      components: [{ id: 'c1', kind: 'query', name: component, graph: 'default', query: 'MATCH (n) RETURN n LIMIT 1', params: [], outputs: ['output0'] }],
      wires: [],
    })
    const named = await t.call('POST', '/api/v1/graph-workflows', { document: doc('payroll\u2067x') })
    expect(named.status, JSON.stringify(named.body)).toBe(400)
    expect(named.body.error.field).toBe('document.name')
    expect(named.body.error.message).toMatch(/name contains U\+2067 RIGHT-TO-LEFT ISOLATE at position 8/)
    const component = await t.call('POST', '/api/v1/graph-workflows', { document: doc('payroll', 'q\u200D1') })
    expect(component.status, JSON.stringify(component.body)).toBe(400)
    expect(component.body.error.field).toBe('document.components[0].name')
    expect(component.body.error.message).toMatch(/U\+200D ZERO WIDTH JOINER at position 2/)
  })

  it('a graph name, through the native API and Cypher’s dbms.graph.createGraph', async () => {
    const made = await t.call('POST', '/api/v1/graphs', { graph: 'sales\u202Ex' })
    expect(made.status, JSON.stringify(made.body)).toBe(400)
    expect(made.body.error.message).toMatch(new RegExp(`contains ${RLO} at position 6`))
    const cypher = await t.call('POST', '/api/v1/graphs/default/cypher', { script: "CALL dbms.graph.createGraph('sales\u2066x', '', 0)" })
    expect(cypher.status, JSON.stringify(cypher.body)).toBe(400)
    expect(JSON.stringify(cypher.body)).toMatch(/U\+2066 LEFT-TO-RIGHT ISOLATE at position 6/)
    expect((await t.call('GET', '/api/v1/graphs')).body.map((g: { name: string }) => g.name)).not.toContain('sales\u202Ex')
  })

  it('a label and a property name, through the native schema import and TuGraph’s import_schema', async () => {
    const schema = (label: string, prop = 'id') => ({ schema: [{ label, type: 'VERTEX', primary: prop, properties: [{ name: prop, type: 'STRING' }] }] })
    const native = await t.call('POST', '/api/v1/graphs/default/schema', { schema: schema('Per\u200Bson') })
    expect(native.status, JSON.stringify(native.body)).toBe(400)
    expect(native.body.error.message).toMatch(/U\+200B ZERO WIDTH SPACE at position 4/)
    const tg = tugraphClient(t.url)
    await tg.login()
    const answer = await tg.post('import_schema', { graph: 'default', description: schema('Person', 'na\u202Eme') })
    expect(answer.body.errorCode, JSON.stringify(answer.body)).not.toBe('200')
    expect(answer.body.errorMessage).toMatch(new RegExp(`contains ${RLO} at position 3`))
  })
})

describe('names with hidden characters are refused in the Rill Flow and Linkis dialects', () => {
  const ADD = '/flow/bg/manage/descriptor/add_descriptor.json'
  const yaml = (workspace: string, dag: string, task: string) => `workspace: ${workspace}\ndagName: ${dag}\ntype: flow\ntasks:\n  - category: pass\n    name: ${task}\n`

  it('Rill Flow add_descriptor: a workspace, DAG or task name, in Rill Flow’s envelope naming the character', async () => {
    for (const [text, what] of [
      [yaml('ops\u202E', 'daily', 'step'), new RegExp(`workspace.*contains ${RLO} at position 4`)],
      [yaml('ops', 'dai\u200Bly', 'step'), /dagName.*contains U\+200B ZERO WIDTH SPACE at position 4/],
      [yaml('ops', 'daily', 'st\u2066ep'), /name.*contains U\+2066 LEFT-TO-RIGHT ISOLATE at position 3/],
    ] as const) {
      const res = await t.call('POST', ADD, text, { 'content-type': 'text/plain' })
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(res.body.success ?? res.body.ret, JSON.stringify(res.body)).not.toBe(true)
      expect(JSON.stringify(res.body)).toMatch(what)
    }
    // add_descriptor's query names are names too
    const q = await t.call('POST', `${ADD}?business_id=ops&feature_name=daily&alias=rel\u202Eease`, yaml('ops', 'daily', 'step'), { 'content-type': 'text/plain' })
    expect(q.status, JSON.stringify(q.body)).toBe(400)
    expect(JSON.stringify(q.body)).toMatch(new RegExp(`alias.*contains ${RLO} at position 4`))
  })

  it('Linkis entrance/submit: a creator label or an executeUser, in Linkis’s envelope; code with the same characters runs', async () => {
    const linkis = linkisClient(t.url)
    await linkis.login()
    const body = (labels: Record<string, string>, extra: object = {}) => ({ executionContent: { code: "select '\u202E' as x", runType: 'sql' }, labels: { engineType: 'jdbc-4', ...labels }, ...extra })
    const creator = await linkis.call('POST', '/entrance/submit', body({ userCreator: 'admin-ID\u202EE' }))
    expect(creator.body.status, JSON.stringify(creator.body)).not.toBe(0)
    expect(creator.body.message).toMatch(new RegExp(`labels\\.userCreator contains ${RLO} at position 9`))
    const as = await linkis.call('POST', '/entrance/submit', body({ userCreator: 'admin-IDE' }, { executeUser: 'adm\u200Bin' }))
    expect(as.body.status, JSON.stringify(as.body)).not.toBe(0)
    expect(as.body.message).toMatch(/executeUser contains U\+200B ZERO WIDTH SPACE at position 4/)
    // a label's key is kept on the job as its value is (label.<key>): named escaped, never raw (atk28)
    const key = await linkis.call('POST', '/entrance/submit', body({ userCreator: 'admin-IDE', 'te\u202Eam': 'finance' }))
    expect(key.body.status, JSON.stringify(key.body)).not.toBe(0)
    expect(key.body.message).toContain(`labels key "te⟨U+202E⟩am" contains U+202E RIGHT-TO-LEFT OVERRIDE at position 3`)
    expect(key.body.message).not.toContain('\u202E')
    const ok = await linkis.call('POST', '/entrance/submit', body({ userCreator: 'admin-IDE' }))
    expect(ok.body.status, JSON.stringify(ok.body)).toBe(0)
  })
})

describe('user names that look like another user’s', () => {
  it('refuses a new name whose skeleton is an existing user’s', async () => {
    for (const name of ['alice', 'old-admin', 'dave']) expect((await t.call('POST', '/api/v1/users', { username: name, password: `${name}-initial-1` })).status).toBe(201)
    for (const [name, like] of [
      ['adrnin', 'admin'], // rn looks like m
      ['a1ice', 'alice'], // 1 looks like l
      ['0ld-admin', 'old-admin'], // 0 looks like o (old-admin made below)
      ['clave', 'dave'], // cl looks like d (atk28)
    ] as const) {
      const res = await t.call('POST', '/api/v1/users', { username: name, password: `${name}-initial-1` })
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(409)
      expect(res.body.error).toMatchObject({ code: 'user_looks_like', field: 'username' })
      expect(res.body.error.message).toContain(like)
    }
    // Cyrillic а and Greek ο in place of Latin letters: refused as looking like admin and bob
    const cyrillic = await t.call('POST', '/api/v1/users', { username: '\u0430dmin', password: 'admin2-initial-1' })
    expect(cyrillic.status).toBeGreaterThanOrEqual(400)
    expect(cyrillic.body.error.message).toMatch(/admin/)
    // full-width letters are the same letters (NFKC): the existing user
    const wide = await t.call('POST', '/api/v1/users', { username: '\uFF41lice', password: 'alice2-initial-1' })
    expect(wide.status).toBe(409)
    expect(wide.body.error.message).toMatch(/alice/)
    // nor may a name read as one JobDesk keeps for itself (root, system, rillflow)
    const root = await t.call('POST', '/api/v1/users', { username: 'r00t', password: 'r00t-initial-1' })
    expect(root.status, JSON.stringify(root.body)).toBe(400)
    expect(root.body.error).toMatchObject({ code: 'reserved_username', field: 'username' })
    // a name unlike any is still made
    expect((await t.call('POST', '/api/v1/users', { username: 'carol', password: 'carol-initial-1' })).status).toBe(201)
  })
})

describe('names an older database already holds', () => {
  it('still load and list: a job, a user and a saved script made before the rule', async () => {
    const store = t.app.store
    store.users.create({ username: 'old\u202Euser', passwordHash: 'x', isAdmin: false, mustChangePassword: true })
    const made = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1', name: 'was plain' })
    expect(made.status).toBe(201)
    store.db.prepare('UPDATE jobs SET name = ? WHERE id = ?').run('old\u202Ejob', made.body.id)
    const users = await t.call('GET', '/api/v1/users')
    expect(users.status).toBe(200)
    expect(users.body.map((u: { username: string }) => u.username)).toContain('old\u202Euser')
    const job = await t.call('GET', `/api/v1/jobs/${made.body.id}`)
    expect(job.status).toBe(200)
    expect(job.body.name).toBe('old\u202Ejob')
    expect((await t.call('GET', '/api/v1/jobs')).status).toBe(200)
    // a rerun is a new job: its name, copied, drops the character the old one still holds (atk28)
    const rerun = await t.call('POST', `/api/v1/jobs/${made.body.id}/rerun`)
    expect(rerun.status, JSON.stringify(rerun.body)).toBe(201)
    expect((await t.call('GET', `/api/v1/jobs/${rerun.body.id}`)).body.name).toBe('oldjob')
    store.savedScripts.insert({ owner: 'admin', path: 'old\u202Efolder', kind: 'folder', language: null, code: '' })
    const scripts = await t.call('GET', '/api/v1/saved-scripts')
    expect(scripts.status).toBe(200)
    expect(scripts.body.map((e: { path: string }) => e.path)).toContain('old\u202Efolder')
    // and a new user is still judged against it: `olduser` would look the same once the control is hidden
    expect((await t.call('POST', '/api/v1/users', { username: 'olduser', password: 'olduser-initial-1' })).status).toBe(409)
  })
})
