// Attack (hostile second user → admin): "Trojan Source" (CVE-2021-42574) in a job's code. A user with
// the scripts right submits a SQL job whose text holds Unicode bidi controls (U+202E RIGHT-TO-LEFT
// OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE). The admin opens the job on
// the Jobs page: the "Code (sql)" block draws the characters reordered, so it shows code that is not
// what runs (below, the tail `'\u202Eevil' AS rtl` reads "'SA 'live ltr"). The admin's Rerun runs that
// code again as the admin (jobs.service rerun: "the actor, not the original submitter"), in the admin's
// own scratch database. The Scripts editor (CodeMirror) marks these characters; the job detail does
// not. Expected: the code view shows every bidi control visibly (a marker or escape, as the editor
// does), so the text drawn is the text that runs. Fails today: the <pre> holds the raw controls.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUser } from '../support/users'
import { SHOTS, api, browserSuite, drawnText, poll, signIn } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

/** Bidi embedding, override and isolate controls, and the marks: the characters Trojan Source uses. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/

/** mallory (the scripts right) and her first job, the Trojan Source one. */
let mallory: { token: string }
let weekly: number

/** Submits a SQL job as mallory; its id. */
async function submitAsMallory(url: string, job: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${url}/api/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'script', language: 'sql', ...job }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: number }).id
}

describe('a job’s code as the admin sees it', () => {
  it('shows bidi controls in another user’s code visibly instead of reordering the text', async () => {
    const { page, served, token } = suite
    mallory = await createUser({ url: served.url, token }, 'mallory', { rights: ['scripts'] })
    // what runs: one statement and a trailing column; what is drawn: the tail reversed
    const code = `SELECT 'weekly totals' AS report, '\u202E;stroper ELBAT PORD\u2066' AS note`
    const id = (weekly = await submitAsMallory(served.url, { code, name: 'weekly totals' }))
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${id}`)
    const shown = page.getByTestId('job-code')
    await shown.waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'attack-bidi-job-code.png') })
    const text = await drawnText(shown)
    expect(text).toContain('weekly totals') // the right block
    expect(text, 'the admin’s view of the code draws raw bidi controls').not.toMatch(BIDI)
    expect(text, 'each control is drawn as its escape').toContain('⟨U+202E⟩')
    // the admin's Rerun runs mallory's code as the admin: it asks first, saying so, with the code marked
    await page.getByRole('button', { name: 'Rerun', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: resolve(SHOTS, 'attack-bidi-job-code-rerun-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await dialog.getByTestId('rerun-runs-as').textContent()).toMatch(/submitted by mallory.*runs as you/)
    const asked = await drawnText(dialog.getByTestId('rerun-code'))
    expect(asked).toContain('weekly totals')
    expect(asked, 'the Rerun question draws raw bidi controls').not.toMatch(BIDI)
    expect(await dialog.getByTestId('rerun-hidden-warning').textContent()).toMatch(/^Its code holds invisible, direction-changing or look-alike characters/)
    await dialog.getByRole('button', { name: 'Back' }).click()
    expect(await page.getByRole('dialog').count(), 'Back runs nothing').toBe(0)
  })

  it('draws a variable whose value holds a line break on one line, escaped (atk23)', async () => {
    const { page, served } = suite
    // `a` poses as two variables, a = hi and an unused "cleanup", while all of it goes into the code
    const id = await submitAsMallory(served.url, { code: "SELECT '${a}' AS greeting", name: 'greeting', variables: { a: 'hi\ncleanup = off' } })
    await page.goto(`${served.url}/#/jobs/${id}`)
    const shown = page.getByTestId('job-variables')
    await shown.waitFor()
    expect((await drawnText(shown)).split('\n'), 'the job detail: one line per variable').toEqual(['a = hi⟨U+000A⟩cleanup = off'])
    await page.getByRole('button', { name: 'Rerun', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    // the code as the rerun runs it (jobs.code): the value's second line is inside the string
    await poll(() => dialog.getByTestId('rerun-code').textContent()).toBe("SELECT 'hi\ncleanup = off' AS greeting")
    expect(await dialog.getByTestId('rerun-code-caption').textContent()).toMatch(/^The code as it runs/)
    expect(await dialog.getByRole('button', { name: 'Rerun as admin' }).isEnabled(), 'confirmable once the code that runs is shown').toBe(true)
    await page.screenshot({ path: resolve(SHOTS, 'attack-rerun-variable-lines.png') })
    expect((await drawnText(dialog.getByTestId('rerun-variables'))).split('\n'), 'the Rerun question: one line per variable').toEqual(['a = hi⟨U+000A⟩cleanup = off'])
    expect(await dialog.getByTestId('rerun-hidden-warning').textContent()).toBe('A variable’s value holds line breaks or other hidden characters, marked ⟨U+…⟩ below: one value may read as several variables.')
    await dialog.getByRole('button', { name: 'Back' }).click()
  })

  it('leaves mallory’s jobs out of a bulk Rerun, naming them, each a link to its own question (atk23)', async () => {
    const { page, served, token } = suite
    const mine = (await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1 AS one', name: 'nightly' })).id as number
    const total = async () => (await api(served.url, token, 'GET', '/api/v1/jobs')).total as number
    await page.goto(`${served.url}/#/jobs`)
    const row = (id: number) => page.locator(`tr[data-job-id="${id}"]`)
    await row(mine).waitFor()
    await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${mine}`)).status).toBe('succeeded')
    const before = await total()
    for (const id of [mine, weekly]) await row(id).getByRole('checkbox').click()
    await page.getByRole('region', { name: 'bulk actions' }).getByRole('button', { name: 'Rerun…' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByRole('heading').textContent(), 'only the admin’s own job is rerun in bulk').toBe('Rerun 1 job?')
    expect(await dialog.locator('.confirm-ids').textContent()).toBe(`#${mine}`)
    const others = (await dialog.getByTestId('bulk-rerun-others').textContent()) ?? ''
    expect(others).toMatch(/1 job of other users left out\. A rerun runs a job’s code as you, with your rights/)
    expect(others).toContain(`#${weekly} weekly totals submitted by mallory`)
    await page.screenshot({ path: resolve(SHOTS, 'attack-bulk-rerun-others.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: resolve(SHOTS, 'attack-bulk-rerun-others-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    // the link opens mallory's job, whose own Rerun asks with her code shown
    await dialog.getByRole('button', { name: `#${weekly}` }).click()
    const detail = page.getByRole('complementary', { name: 'job detail' })
    await poll(() => detail.getByRole('heading').first().textContent()).toContain(`#${weekly}`)
    await detail.getByRole('button', { name: 'Rerun', exact: true }).click()
    expect(await page.getByRole('dialog').getByTestId('rerun-runs-as').textContent()).toMatch(/submitted by mallory.*runs as you/)
    await page.getByRole('dialog').getByRole('button', { name: 'Back' }).click()
    expect(await total(), 'nothing was rerun').toBe(before)
  })
})

describe('a graph workflow job of another user’s, opened on the canvas', () => {
  it('asks before the whole-workflow Rerun runs mallory’s queries as the admin, showing them marked; Back reruns nothing', async () => {
    const { page, served, token } = suite
    await api(served.url, token, 'POST', '/api/v1/graphs', { graph: 'social' })
    for (const script of [
      "CALL db.createVertexLabel('person', 'id', 'id', 'int64', false)",
      "CALL db.createEdgeLabel('knows', '[]')",
      'CREATE (a:person {id: 1}), (b:person {id: 2}), (c:person {id: 3}), (a)-[:knows]->(b), (b)-[:knows]->(c)',
    ]) {
      await api(served.url, token, 'POST', '/api/v1/graphs/social/cypher', { script })
    }
    // what runs: every edge; what a plain <pre> would draw: the tail reordered
    const query = "MATCH (a:person)-[:knows]->(b:person) WHERE 'ok' <> '\u202E' RETURN a.id AS src, b.id AS dst"
    const wf = await api(served.url, mallory.token, 'POST', '/api/v1/graph-workflows', {
      document: {
        name: 'reach',
        components: [
          { id: 'edges_1', kind: 'query', graph: 'social', query, outputs: ['src', 'dst'] },
          { id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'upstream' } },
        ],
        wires: [
          { from: { component: 'edges_1', anchor: 'src' }, to: { component: 'WCC_1', anchor: 'src' } },
          { from: { component: 'edges_1', anchor: 'dst' }, to: { component: 'WCC_1', anchor: 'dst' } },
        ],
      },
    })
    expect(wf.id, JSON.stringify(wf)).toBeTypeOf('number')
    const job = await api(served.url, mallory.token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status, { timeout: 30_000 }).toBe('succeeded')
    const total = async () => (await api(served.url, token, 'GET', '/api/v1/jobs')).total as number
    const before = await total()

    await page.goto(`${served.url}/#/jobs/${job.id}`)
    await page.getByRole('button', { name: 'Open on the canvas' }).click()
    const bar = page.getByTestId('gw-jobbar')
    await poll(() => bar.getAttribute('data-status')).toBe('succeeded')
    await bar.getByRole('button', { name: 'Rerun', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor({ timeout: 5000 })
    expect(await dialog.getByTestId('rerun-runs-as').textContent()).toMatch(/submitted by mallory.*runs as you \(admin\), with your rights/)
    // what each component runs, as the rerun runs it: the query (its bidi control marked) and the algorithm
    await poll(() => dialog.getByTestId('rerun-code-caption').textContent()).toMatch(/^What each component runs/)
    const asked = await drawnText(dialog.getByTestId('rerun-code'))
    expect(asked).toContain('MATCH (a:person)-[:knows]->(b:person)')
    expect(asked).toContain('WCC')
    expect(asked, 'the question draws raw bidi controls').not.toMatch(BIDI)
    expect(asked).toContain('⟨U+202E⟩')
    expect(await dialog.getByTestId('rerun-hidden-warning').textContent()).toMatch(/^What it runs holds invisible, direction-changing or look-alike characters/)
    await page.screenshot({ path: resolve(SHOTS, 'attack-canvas-rerun-others.png') })
    await dialog.getByRole('button', { name: 'Back' }).click()
    expect(await page.getByRole('dialog').count(), 'Back runs nothing').toBe(0)
    expect(await total(), 'nothing was rerun').toBe(before)
  })
})
