import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { Browser, Download, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { tempDir } from '../support/temp-store'
import { launchChromium } from './chromium'
import { takeServe, type Served } from './serve-pool'

const ROOT = resolve(__dirname, '../..')
export const SHOTS = resolve(ROOT, 'test-results')

/**
 * Whether `screenshot({ path })` calls write their picture: yes unless JOBDESK_E2E_SHOTS=0, which
 * `npm test` sets. No test reads the pictures (they are for a person or a helper to look at after
 * running a file); a failed test's pages are always shot (failureShots). A picture costs about 0.3 s
 * of Chromium and node CPU, and a run takes some 190.
 */
const SHOTS_WANTED = process.env.JOBDESK_E2E_SHOTS !== '0'
let shotsQuieted = false

/**
 * Unless SHOTS_WANTED, makes the screenshot of every page and locator (their classes', found from
 * `page`) skip a `path`ed picture: a locator's still waits for its element to be visible, as its
 * screenshot did. Calls without a path (whose picture is used) still shoot.
 */
function quietShots(page: Page): void {
  if (SHOTS_WANTED || shotsQuieted) return
  shotsQuieted = true
  for (const proto of [Object.getPrototypeOf(page), Object.getPrototypeOf(page.locator('body'))]) {
    if (proto.screenshot.shoot) continue // quieted already (by another copy of this module)
    const shoot = proto.screenshot as (this: Page | Locator, o?: { path?: string }) => Promise<Buffer>
    proto.screenshot = async function (this: Page | Locator, o?: { path?: string }) {
      if (!o?.path) return shoot.call(this, o)
      if ('waitFor' in this) await this.waitFor({ state: 'visible' })
      return Buffer.alloc(0)
    }
    proto.screenshot.shoot = shoot
  }
}

/**
 * After a failed test of a browserSuite file: each open page of its browser as
 * test-results/FAILED-<file>-<test>-<n>.png (shot even when SHOTS_WANTED is off).
 */
function failureShots(suite: BrowserSuite): void {
  afterEach(async ({ task }) => {
    if (!task.result?.errors?.length || !suite.browser) return
    const name = `${task.file.name.replace(/^.*\//, '').replace(/\.e2e\.test\.ts$/, '')}-${task.name}`.replace(/[^\w.-]+/g, '-').slice(0, 120)
    const pages = suite.browser.contexts().flatMap((c) => c.pages())
    for (const [i, p] of pages.entries()) {
      const shoot = (Object.getPrototypeOf(p).screenshot.shoot ?? p.screenshot) as Page['screenshot']
      await shoot.call(p, { path: resolve(SHOTS, `FAILED-${name}-${i + 1}.png`), timeout: 5000 }).catch(() => undefined)
    }
  })
}

/**
 * Opens one of the app's pages from the main navigation (the sidebar) by its button's exact label:
 * "Jobs", "Workflows", "Scripts", "Imports", "Graph", "Settings". Waits as a click does.
 */
export const mainNav = (p: Page, name: string): Promise<void> =>
  p.getByRole('navigation', { name: 'main' }).getByRole('button', { name, exact: true }).click()

/** expect.poll with room for a busy machine (its default gives up after a second). */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 })

export { startServe, type Served, type ServeProcess } from './serve-pool'

export async function apiLogin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }),
  })
  return ((await res.json()) as { token: string }).token
}

/** What browserSuite starts for a test file; set before its tests run. */
export interface BrowserSuite {
  served: Served
  browser: Browser
  page: Page
  /** A native API token of the default admin (signed in through the API, not the page). */
  token: string
}

/**
 * One `serve` (the run's pool started it ahead: serve-pool.ts) and one Chromium page for a test
 * file, ready before its tests and stopped after,
 * with an API token of the default admin. The page is that of an admin who already chose "Not now"
 * on the change-password prompt (so tests can sign in with the default password and go straight on)
 * unless `askForPassword` is set; with `signedIn`, the page is signed in already (signIn: on the Jobs page).
 */
export function browserSuite(viewport = { width: 1400, height: 860 }, o: { askForPassword?: boolean; signedIn?: boolean } = {}): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    // side by side: the page (a new browser context, a renderer process: 0.3-2 s) while the serve
    // the pool started ahead finishes starting (it may not be ready after a short file) and signs in
    const served = (async () => {
      suite.served = await takeServe()
      suite.token = await apiLogin(suite.served.url)
    })()
    const paged = (async () => {
      suite.browser = await launchChromium()
      suite.page = await suite.browser.newPage({ viewport })
      quietShots(suite.page)
      if (!o.askForPassword) await suite.page.addInitScript(() => sessionStorage.setItem('jobdesk.passwordPrompt.skipped', 'admin'))
    })()
    // both settled before throwing, so that afterAll stops whatever was started
    for (const r of await Promise.allSettled([served, paged])) if (r.status === 'rejected') throw r.reason
    if (o.signedIn) await signIn(suite.page, suite.served.url)
  })
  failureShots(suite)
  afterAll(async () => {
    await suite.browser?.close()
    await suite.served?.stop()
  })
  return suite
}

/**
 * The text `where` draws, as a reader sees it: its text, with each SafeText chip (`.hidden-char`) as
 * the label it shows (its ::before content, e.g. `⟨U+202E⟩`) instead of the character it keeps hidden
 * inside for copying. A raw bidi control or invisible character in the result is one drawn raw.
 */
export function drawnText(where: Locator): Promise<string> {
  return where.evaluate((root) => {
    const draw = (n: Node): string => {
      if (n.nodeType === Node.TEXT_NODE) return n.nodeValue ?? ''
      if (n instanceof Element && n.classList.contains('hidden-char')) {
        const label = getComputedStyle(n, '::before').content
        return label.startsWith('"') ? (JSON.parse(label) as string) : ''
      }
      return [...n.childNodes].map(draw).join('')
    }
    return draw(root)
  })
}

let signIns = 0

/**
 * Signs `page` in as the default admin and waits for the Jobs page: signed in through the API, the
 * token is put where the login form keeps it (localStorage) before the app loads, once (a later
 * sign-out stays signed out). The login page itself is driven by the files that test it (jobs,
 * password, users, scripts, ...); skipping it here saves a page render per file: 0.4 s of Chromium
 * CPU and 1.2 s of wall (medians of 8, load 17-19). Throws when the API refuses the sign-in.
 */
export async function signIn(page: Page, url: string): Promise<void> {
  const token = await apiLogin(url)
  if (!token) throw new Error('the default admin could not sign in through the API')
  const origin = new URL(url).origin
  const once = `jobdesk.e2e.signIn.${++signIns}` // this call's mark in the tab's sessionStorage
  await page.addInitScript(
    (o) => {
      if (location.origin !== o.origin || sessionStorage.getItem(o.once)) return
      sessionStorage.setItem(o.once, '1')
      localStorage.setItem('jobdesk.token', o.token)
    },
    { origin, once, token },
  )
  // a page already on the app would only change its hash: leave it, so that the app loads anew
  if (new URL(page.url()).origin === origin) await page.goto('about:blank')
  await page.goto(url)
  await page.getByRole('heading', { name: 'Jobs' }).waitFor()
}

/**
 * Empties the localStorage of the app at `url` in `page`'s browser context, as a new page found it
 * (no signed-in token, none of the pages' drafts, runs or layout choices), for a file whose parts
 * share one serve and page. Leaves `page` on about:blank, off the app, so that the app writes
 * nothing back; sessionStorage (signIn's once-marks) is kept.
 */
export async function clearAppStorage(page: Page, url: string): Promise<void> {
  await page.goto('about:blank')
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'local_storage' })
  } finally {
    await cdp.detach()
  }
}

/**
 * Signs in through the login form shown on `p` as `username` with `password` (the form itself, not
 * signIn's stored token); waits for nothing: the caller waits for what it expects (the Jobs page, a
 * refusal, the change-password form).
 */
export async function submitLogin(p: Page, username: string, password: string): Promise<void> {
  await p.getByLabel('Username').fill(username)
  await p.getByLabel('Password').fill(password)
  await p.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * Makes the user `username` (no rights) with the admin-set `password` through the API, then opens a
 * new page of `suite`'s browser of `viewport`'s size and submits the login form as them: the page
 * goes on to the forced change of password. Answers the page, which the caller closes.
 */
export async function newUserAtLogin(suite: BrowserSuite, username: string, password: string, viewport: { width: number; height: number }): Promise<Page> {
  await api(suite.served.url, suite.token, 'POST', '/api/v1/users', { username, password, rights: [] })
  const p = await suite.browser.newPage({ viewport })
  await p.goto(suite.served.url)
  await submitLogin(p, username, password)
  return p
}

/** A JSON call to the native API as the default admin. */
export async function api(url: string, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return res.json()
}

/** Uploads `text` as `path` into the upload folder of the user of `token` (one request, replacing a file there); expects a 2xx. */
export async function uploadFile(url: string, token: string, path: string, text: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/files/upload?path=${encodeURIComponent(path)}&offset=0&replace=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: text,
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
}

/**
 * A Rill Flow call (`method` `path` with `body` as `type`) as the admin, by bearer token (once a second
 * user exists every call needs one); expects 200 and resolves to the answer's JSON.
 */
export async function rillCall(url: string, token: string, method: string, path: string, body: string, type = 'application/json'): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': type }, body })
  expect(res.status, path).toBe(200)
  return res.json()
}

/**
 * A task endpoint on 127.0.0.1 for the file it is called in (a Rill Flow function task's resourceName):
 * its n-th call (from 1) answers `answer(n)` as JSON (`{ result_type: 'FAILED', error_msg }` fails the
 * task). `url` is set once the file's beforeAll hooks ran; the endpoint closes after its tests.
 */
export function taskEndpoint(answer: (call: number) => unknown): { url: string } {
  const endpoint = { url: '' }
  let server: Server | undefined
  beforeAll(async () => {
    let calls = 0
    server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        calls++
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(answer(calls)))
      })
    })
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
    endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/work.json`
  })
  afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())))
  return endpoint
}

/** Two persons, Ann (id 1) and Cyd (id 2), who know each other both ways: Cypher for seedGraph. */
export const PAIR_SEED = [
  "CALL db.createVertexLabel('person', 'id', 'id', 'int64', false, 'name', 'string', false)",
  "CALL db.createEdgeLabel('knows', '[]')",
  "CREATE (a:person {id: 1, name: 'Ann'}), (c:person {id: 2, name: 'Cyd'}), (a)-[:knows]->(c), (c)-[:knows]->(a)",
]

/** Creates the graph `graph` as the admin (`token`) and runs each of `scripts` (Cypher) on it, in order. */
export async function seedGraph(url: string, token: string, graph: string, scripts: string[]): Promise<void> {
  await api(url, token, 'POST', '/api/v1/graphs', { graph })
  for (const script of scripts) await api(url, token, 'POST', `/api/v1/graphs/${graph}/cypher`, { script })
}

/**
 * Controls that a user cannot fully see or hit: text cut off inside them, lying outside the window
 * or outside an ancestor that clips (not one that scrolls), or overlapping another control.
 */
export async function layoutProblems(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const problems: string[] = []
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}[${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30) || el.className}]`
    const controls = [...document.querySelectorAll<HTMLElement>('button, input, select, a[href], textarea, [role="button"]')].filter((el) => {
      if (el.closest('.cm-editor, .react-flow__renderer, .react-flow__minimap, dialog:not([open])')) return false
      const r = el.getBoundingClientRect()
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
    })
    const rects = controls.map((el) => el.getBoundingClientRect())
    const inside = (r: DOMRect, b: DOMRect) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1
    controls.forEach((el, i) => {
      const r = rects[i]
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} text cut off`)
      let scrolled = false // inside a scrolling box: reachable by scrolling, judged only where it shows
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a)
        const overflow = style.overflowX + style.overflowY
        const b = a.getBoundingClientRect()
        if (/(auto|scroll)/.test(overflow)) {
          scrolled = !inside(r, b)
          break // the scrolling box bounds it from here on
        } else if (/(hidden|clip)/.test(overflow) && !inside(r, b)) problems.push(`${name(el)} clipped by ${a.className || a.tagName}`)
      }
      if (scrolled) return
      if (r.right > innerWidth + 1 || r.left < -1 || r.bottom > innerHeight + 1) problems.push(`${name(el)} off screen`)
      // what a click at its centre would hit: itself, or something laid over it
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      if (hit && !el.contains(hit) && !hit.contains(el) && !(el.tagName === 'INPUT' && hit.tagName === 'LABEL' && hit.contains(el))) {
        problems.push(`${name(el)} covered by ${name(hit)}`)
      }
      for (let j = i + 1; j < controls.length; j++) {
        const o = rects[j]
        if (controls[j].contains(el) || el.contains(controls[j])) continue
        const w = Math.min(r.right, o.right) - Math.max(r.left, o.left)
        const h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top)
        if (w > 2 && h > 2) problems.push(`${name(el)} overlaps ${name(controls[j])}`)
      }
    })
    return problems
  })
}

/**
 * React Flow's + and − buttons make the view the user's, as a wheel zoom does (useAutoFit): for
 * each, after the page's `fit` button and a press, resizing the window to `other` and back to
 * `home` keeps what `at` reads (a node's place and size in its canvas).
 */
export async function expectZoomButtonsKeepView(p: Page, o: { fit: string; at: () => Promise<unknown>; home: { width: number; height: number }; other: { width: number; height: number } }): Promise<void> {
  for (const button of ['Zoom In', 'Zoom Out']) {
    await p.getByRole('button', { name: o.fit }).click()
    await p.waitForTimeout(400)
    await p.getByRole('button', { name: button, exact: true }).click()
    await p.waitForTimeout(400) // the zoom's animation
    const zoomed = await o.at()
    for (const size of [o.other, o.home]) {
      await p.setViewportSize(size)
      await p.waitForTimeout(400)
      expect(await o.at(), `${button}, at ${size.width} px`).toEqual(zoomed)
    }
  }
}

/**
 * Draws a wire with the mouse on a React Flow canvas, from the handle `from` to the handle `to`, as a
 * person drags it (down, a bend on the way, up); used by both canvases, the graph workflows' and the
 * Workflows page's DAG.
 */
export async function dragWire(p: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!
  const b = (await to.boundingBox())!
  await p.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await p.mouse.down()
  await p.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 })
  await p.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 })
  await p.mouse.up()
}

/**
 * On the Workflows page's DAG: deletes the task `name` with the Delete key (its node selected), waits for
 * `nodesLeft` nodes, then Ctrl+Z on the graph's pane brings it back and Ctrl+Shift+Z deletes it again, as
 * the YAML editor's history does (checked in its text).
 */
export async function deleteUndoRedoTask(p: Page, name: string, nodesLeft: number): Promise<void> {
  const yamlText = () => p.getByTestId('yaml-editor').innerText()
  await p.getByTestId(`wf-node-${name}`).click()
  await p.keyboard.press('Delete')
  await poll(yamlText).not.toContain(name)
  await poll(() => p.locator('.react-flow__node').count()).toBe(nodesLeft)
  const pane = (await p.getByTestId('dag-canvas').locator('.react-flow__pane').boundingBox())!
  await p.mouse.click(pane.x + 20, pane.y + pane.height - 20)
  await p.keyboard.press('ControlOrMeta+Z')
  await poll(yamlText).toContain(name)
  await p.keyboard.press('ControlOrMeta+Shift+Z')
  await poll(yamlText).not.toContain(name)
}

/** Drawn workflow nodes lying (even partly) under the zoom buttons or the minimap of `page`'s graph, as "wf-node-x under .overlay". */
export async function nodesUnderOverlays(page: Page): Promise<string[]> {
  const hit: string[] = []
  for (const overlay of ['.react-flow__controls', '.react-flow__minimap']) {
    if (!(await page.locator(overlay).count())) continue // not drawn (boundingBox would wait for it)
    const c = await page.locator(overlay).boundingBox()
    if (!c) continue
    for (const el of await page.locator('.wf-node').all()) {
      const b = (await el.boundingBox())!
      if (b.x < c.x + c.width && b.x + b.width > c.x && b.y < c.y + c.height && b.y + b.height > c.y) hit.push(`${(await el.getAttribute('data-testid')) ?? '?'} under ${overlay}`)
    }
  }
  return hit
}

/**
 * Where `download` is kept on this machine: saved to a fresh temp folder (the browser of the run is
 * connected to, not launched, so playwright has no local path of its own).
 */
export async function downloaded(download: Download): Promise<string> {
  const file = join(tempDir(), download.suggestedFilename())
  await download.saveAs(file)
  return file
}

/**
 * Whether reloading `p` now meets the browser's "leave site?" prompt (dismissed, so the page stays).
 * Answers true as soon as the prompt shows: dismissed, the reload does not happen, and waiting for it
 * cost its whole 3 s timeout (left to run out, caught); false once the page has reloaded unasked.
 */
export async function reloadAsks(p: Page): Promise<boolean> {
  let onDialog!: (d: { type(): string; dismiss(): Promise<void> }) => void
  const prompted = new Promise<true>((ok) => {
    onDialog = (d) => {
      void d.dismiss()
      if (d.type() === 'beforeunload') ok(true)
    }
  })
  p.on('dialog', onDialog)
  try {
    return await Promise.race([prompted, p.reload({ timeout: 3000 }).then(() => false, () => false)])
  } finally {
    p.off('dialog', onDialog)
  }
}

/** Chooses `language` on the Scripts page of `p` and puts `code` in its editor in place of what it held, as a user types it. */
export async function writeScript(p: Page, language: string, code: string): Promise<void> {
  await chooseLanguage(p, language)
  await typeScript(p, code)
}

/** Chooses the language `label` (Shell, Python, SQL, …: its button in the language group) on the Scripts page of `p`. */
export const chooseLanguage = (p: Page, label: string): Promise<void> =>
  p.getByRole('group', { name: 'language' }).getByRole('button', { name: label, exact: true }).click()

/** Replaces the Scripts editor's whole text on `p` as a paste would. */
export async function typeScript(p: Page, code: string): Promise<void> {
  await p.getByTestId('script-editor').click()
  await p.keyboard.press('ControlOrMeta+A')
  await p.keyboard.insertText(code)
}

/** Saves the Scripts editor of `p` as a new saved script at `path` ("Save as") and waits until the tree shows it. */
export async function saveScriptAs(p: Page, path: string): Promise<void> {
  const side = p.getByRole('region', { name: 'saved scripts' })
  await side.getByLabel('script path').fill(path)
  await side.getByRole('button', { name: 'Save as' }).click()
  await side.getByRole('tree', { name: 'saved scripts' }).getByRole('treeitem', { name: path }).waitFor({ timeout: 10_000 })
}

/**
 * On Graph → Query of `p`, replaces the query with `query`, runs it (Ctrl+Enter) and shows its result
 * as a graph; returns the picture (its vertices are `g.gx-node`).
 */
export async function queryAsGraph(p: Page, query: string): Promise<Locator> {
  await p.getByTestId('cypher-editor').click()
  await p.keyboard.press('ControlOrMeta+A')
  await p.keyboard.insertText(query)
  await p.keyboard.press('ControlOrMeta+Enter')
  await p.getByTestId('cypher-table').waitFor()
  await p.getByRole('group', { name: 'result view' }).getByRole('button', { name: 'Graph' }).click()
  return p.getByTestId('graph-picture')
}
