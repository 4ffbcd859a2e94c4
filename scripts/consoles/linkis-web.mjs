#!/usr/bin/env node
// Drives Linkis's management console (linkis-web from apache/linkis, unchanged) against JobDesk in
// headless Chromium and takes screenshots: sign in as a JobDesk user, the global history with its
// code column, a job's log, code, result and diagnostic tabs, stopping a running job, and (as admin)
// the engine, ECM, data-source and UDF screens that answer empty data.
// Outside the test suite: it installs the console's own dependencies (npm, ~6 min) and its dev server
// compiles for ~12 min on a busy 2-core machine. See scripts/consoles/README.md.
//
//   npx electron-vite build            # JobDesk's out/ (npm test does it too)
//   node scripts/consoles/linkis-web.mjs --src <checkout or git dir of apache/linkis> [--work DIR] [--shots DIR]
//   node scripts/consoles/linkis-web.mjs --console http://localhost:8089   # a console already served, its BACKEND_URL on 9001
//
// Needs ports 9001 (JobDesk, where the console's BACKEND_URL points) and 8089 (the console) free, and Chromium (CHROMIUM_PATH).

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT, callJson, parseArgs, reportFailures, start, startServe, step, stopAllAndExit } from './harness.mjs'

const args = parseArgs()
if (!args.console && (!args.src || !existsSync(args.src))) {
  console.error('usage: node scripts/consoles/linkis-web.mjs (--src <checkout or git dir of apache/linkis> [--work DIR] | --console URL) [--shots DIR]')
  process.exit(2)
}
const WORK = resolve(args.work ?? join(tmpdir(), 'jobdesk-linkis-web'))
const APP = join(WORK, 'linkis-web')
const SHOTS = resolve(args.shots ?? join(ROOT, 'test-results', 'consoles'))
const JOBDESK_PORT = 9001 // the Linkis gateway's port, linkis-web's default BACKEND_URL
const UI = (args.console ?? 'http://localhost:8089').replace(/\/$/, '') // the console's dev server (vue-cli's default 8080 is JobDesk's own default)
const ADMIN = { username: 'admin', password: '73@TuGraph' }
const ANN = { username: 'ann', password: 'ann-password-1' }


/**
 * linkis-web's sources, exported once from a checkout (linkis-web/ copied) or a git dir (git archive),
 * its dependencies installed once. `--ignore-scripts` skips its preinstall (`npm install
 * --package-lock-only && npx npm-force-resolutions`, which only pins postcss to the version it already
 * asks for) and husky's git hooks; `--legacy-peer-deps` as the runs in docs/CLIENTS.md were installed (npm resolves the tree without it too).
 * The only file added is `.env.development.local` with BACKEND_URL (the setting its vue.config.js names).
 */
function prepare() {
  if (!existsSync(APP)) {
    mkdirSync(WORK, { recursive: true })
    if (existsSync(join(args.src, 'linkis-web'))) {
      const r = spawnSync('cp', ['-R', join(args.src, 'linkis-web'), APP], { stdio: 'inherit' })
      if (r.status !== 0) throw new Error('copying linkis-web failed')
    } else {
      const r = spawnSync('sh', ['-c', `git --git-dir="${args.src}" archive HEAD linkis-web | tar -x -C "${WORK}"`], { stdio: 'inherit' })
      if (r.status !== 0 || !existsSync(APP)) throw new Error(`${args.src} holds no linkis-web`)
    }
  }
  if (!existsSync(join(APP, 'node_modules'))) {
    step('npm install in linkis-web (about 6 minutes)')
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: APP, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('npm install failed in linkis-web')
  }
  writeFileSync(join(APP, '.env.development.local'), `BACKEND_URL=http://127.0.0.1:${JOBDESK_PORT}\n`)
}

/** A call to JobDesk: `{ json, cookie }` (see harness.mjs callJson). */
const api = (method, path, options) => callJson(`http://127.0.0.1:${JOBDESK_PORT}${path}`, method, options)

/** A Linkis session (user/login's cookie) and a submit through entrance/submit, as the Linkis SDKs do. */
async function linkisUser(user) {
  const { cookie } = await api('POST', '/api/rest_j/v1/user/login', { body: { userName: user.username, password: user.password } })
  return async (code, runType) => {
    const engineType = runType === 'sql' ? 'jdbc-4' : 'shell-1'
    const { json } = await api('POST', '/api/rest_j/v1/entrance/submit', { cookie, body: { executionContent: { code, runType }, labels: { engineType, userCreator: `${user.username}-IDE` } } })
    return json.data.taskID
  }
}

/**
 * JobDesk on 9001 with a fresh data folder; the console's origin allowed in its server settings (the
 * dev proxy forwards the page's Origin on POSTs; the setting applies at once), a user ann, and jobs:
 * ann's shell, SQL, failing and long-running jobs, and one of admin's that ann must not see.
 */
async function startJobDesk() {
  await startServe(JOBDESK_PORT, 'jobdesk-console-')
  const { token } = (await api('POST', '/api/v1/login', { body: ADMIN })).json
  await api('POST', '/api/v1/settings/server', { token, body: { allowRemote: false, allowedHosts: [], allowedOrigins: [UI], rillflowRequireToken: false } })
  await api('POST', '/api/v1/users', { token, body: { ...ANN, rights: ['scripts'] } })
  await (await linkisUser(ADMIN))('echo admin-only job', 'sh')
  const submit = await linkisUser(ANN)
  await submit('echo hello from JobDesk\nfor i in 1 2 3; do echo line $i; done', 'sh')
  await submit("SELECT 1 AS id, 'Ann' AS name UNION ALL SELECT 2, 'Bob'", 'sql')
  await submit('echo about to fail >&2\nexit 3', 'sh')
  await submit('echo started\nsleep 600', 'sh')
}

// webpack-dev-server's overlay of runtime errors covers the page and takes its clicks; errors are collected here instead
const hideOverlay = () =>
  document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style')
    style.textContent = '#webpack-dev-server-client-overlay{display:none!important}'
    document.head.append(style)
  })

/** The console's own calls that are not JobDesk's to answer (its "new version deployed" check reads its own nginx path). */
const notJobDesks = (url) => !new URL(url).pathname.startsWith('/api/')

async function drive() {
  mkdirSync(SHOTS, { recursive: true })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  const failures = []
  const notes = new Set()
  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.addInitScript(hideOverlay)
    let signedIn = false
    page.on('response', (r) => {
      if (r.status() < 400 || notJobDesks(r.url())) return
      const call = `${r.status()} ${r.request().method()} ${r.url().replace(UI, '')}`
      // before signing in, the layout's calls are 401 and send the console to its login page, as upstream's gateway does
      if (!signedIn && r.status() === 401) return
      if (r.url().includes('/user/oauth-redirect')) return // status -1 "OAuth is not enabled", which the login page takes quietly
      failures.push(call)
    })
    page.on('pageerror', (e) => notes.add(`page error: ${e.message.slice(0, 200)}`))
    page.signIn = async (user) => {
      await page.goto(`${UI}/#/login`, { waitUntil: 'networkidle', timeout: 180_000 })
      // the dev build's bundle (monaco and all) takes its time to start: 17 s on a busy 2-core machine
      await page.locator('input[type=password]').waitFor({ timeout: 180_000 })
      await page.locator('input[type=text]').first().fill(user.username)
      await page.locator('input[type=password]').fill(user.password)
      signedIn = true
      await page.locator('button.ivu-btn-primary').first().click()
      await page.waitForURL('**/console/globalHistory**', { timeout: 60_000 })
    }
    return page
  }
  const shot = async (page, name) => {
    await page.waitForTimeout(1500)
    await page.screenshot({ path: join(SHOTS, `linkis-${name}.png`) })
    console.log(`   screenshot ${join(SHOTS, `linkis-${name}.png`)}`)
  }
  const expectText = async (locator, text, what) => {
    try {
      await locator.getByText(text).first().waitFor({ timeout: 30_000 })
    } catch {
      failures.push(`${what}: ${JSON.stringify(text)} not shown`)
    }
  }
  let page = await newPage()
  try {
    step('sign in as ann; the global history with its code column')
    await page.signIn(ANN)
    const rows = page.locator('tbody tr')
    const row = (text) => rows.filter({ hasText: text }).first()
    await row('SELECT 1 AS id').waitFor({ timeout: 30_000 })
    await expectText(rows, 'echo hello from JobDesk for i in 1 2 3', 'code column')
    if ((await rows.count()) !== 4) failures.push(`history: ${await rows.count()} rows for ann, not her 4 jobs`)
    if (await rows.filter({ hasText: 'admin-only' }).count()) failures.push('history: ann sees admin’s job')
    await shot(page, '1-history')

    step('a job’s log, code and result tabs')
    await row('SELECT 1 AS id').getByText('View').click()
    await page.waitForURL('**/console/viewHistory**')
    await expectText(page, 'statement 1 of 1', 'log tab')
    await shot(page, '2-log')
    const tab = (name) => page.locator('.ivu-tabs-tab').filter({ hasText: name }).first()
    await tab('Execution Code').click()
    await expectText(page, "SELECT 1 AS id, 'Ann' AS name", 'code tab')
    await shot(page, '3-code')
    await tab('Task Result').click()
    await expectText(page.locator('.ivu-table-body, table'), 'Bob', 'result tab')
    await shot(page, '4-result')
    await page.getByRole('button', { name: 'Back' }).click()
    await page.waitForURL('**/console/globalHistory**')

    step('the failed job’s diagnostic tab')
    await row('about to fail').getByText('View').click()
    await page.waitForURL('**/console/viewHistory**')
    await tab('Diagnostic').click()
    await expectText(page, 'about to fail', 'diagnostic tab')
    await shot(page, '5-diagnostic')
    await page.getByRole('button', { name: 'Back' }).click()
    await page.waitForURL('**/console/globalHistory**')

    step('stop the running job')
    await row('sleep 600').locator('.ivu-checkbox').first().click()
    await page.getByRole('button', { name: 'Stop' }).click()
    await page.locator('.ivu-modal-confirm').first().waitFor({ timeout: 10_000 })
    await page.locator('.ivu-modal-confirm .ivu-btn-primary').last().click()
    await row('sleep 600').getByText('Canceled').waitFor({ timeout: 30_000 })
    await shot(page, '6-stopped')

    step('as admin: the engine, ECM, data-source and UDF screens (empty, no errors)')
    await page.close()
    page = await newPage()
    await page.signIn(ADMIN)
    for (const [route, name] of [
      ['ECM', '7-ecm'],
      ['EngineConnList', '8-engines'],
      ['datasource', '9-datasources'],
      ['urm/udfManagement', '10-udfs'],
      ['resource', null],
      ['EnginePluginManagement', null],
      ['datasourceAccess', null],
      ['datasourceEnv', null],
      ['datasourceType', null],
      ['datasourceTypeKey', null],
      ['udfManager', null],
      ['udfTree', null],
      ['urm/functionManagement', null],
    ]) {
      await page.goto(`${UI}/#/console/${route}`)
      await page.waitForLoadState('networkidle')
      if (name) await shot(page, name)
      else await page.waitForTimeout(1000)
    }
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, 'linkis-failed.png') }).catch(() => {})
    failures.push(`step failed: ${e.message.split('\n')[0]}`)
  } finally {
    await browser.close()
  }
  for (const n of notes) console.log(`   note (the console’s own): ${n}`)
  return failures
}

let code = 1
try {
  if (!args.console) prepare()
  step(`JobDesk on :${JOBDESK_PORT}`)
  await startJobDesk()
  if (!args.console) {
    step('linkis-web’s dev server on :8089 (its first compile takes minutes)')
    // PYTHON_MODULE=false: the Python-module sub-app is built separately (its .env turns the feature off too)
    await start('npx', ['vue-cli-service', 'serve', '--port', '8089'], APP, /App running at:[\s\S]*Local:\s+http/, { PYTHON_MODULE: 'false' }, 40 * 60_000)
  }
  code = reportFailures(await drive(), SHOTS)
} catch (e) {
  console.error(e)
} finally {
  stopAllAndExit(code)
}
