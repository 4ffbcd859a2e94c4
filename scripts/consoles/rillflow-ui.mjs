#!/usr/bin/env node
// Drives Rill Flow's own web UI (rill-flow-ui + the flow-graph micro app, unchanged) against JobDesk
// in headless Chromium and takes screenshots: sign in, the definitions list, a definition as a graph,
// a test run, the executions list, an execution's graph and its detail modal.
// Outside the test suite: it installs the UI's own dependencies (pnpm, ~3 min). See scripts/consoles/README.md.
//
//   npx electron-vite build            # JobDesk's out/ (npm test does it too)
//   node scripts/consoles/rillflow-ui.mjs --src <checkout of weibocom/rill-flow> [--work DIR] [--shots DIR]
//
// Needs ports 8080 (the UI's dev proxy sends /flow/ there), 5173 and 7001 free, and Chromium (CHROMIUM_PATH).

import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT, callJson, parseArgs, reportFailures, start, startServe, step, stopAllAndExit, stopAtEnd } from './harness.mjs'

const args = parseArgs()
if (!args.src || !existsSync(join(args.src, 'rill-flow-ui'))) {
  console.error('usage: node scripts/consoles/rillflow-ui.mjs --src <checkout of weibocom/rill-flow> [--work DIR] [--shots DIR]')
  process.exit(2)
}
const WORK = resolve(args.work ?? join(tmpdir(), 'jobdesk-rillflow-ui'))
const SHOTS = resolve(args.shots ?? join(ROOT, 'test-results', 'consoles'))
const UI = 'http://localhost:5173' // the UI's dev server: vite's default port (its .env names 5174, which its config does not read)
const PNPM = ['-y', 'pnpm@9.0.2']


/** The UI's sources, copied once; only a .env.development.local is added (the micro app goes through the UI's own origin). */
function prepare() {
  for (const app of ['rill-flow-ui', 'flow-graph']) {
    const dir = join(WORK, app)
    if (!existsSync(dir)) cpSync(join(args.src, app), dir, { recursive: true })
    if (!existsSync(join(dir, 'node_modules'))) {
      step(`pnpm install in ${app} (a few minutes)`)
      const r = spawnSync('npx', [...PNPM, 'install', '--frozen-lockfile'], { cwd: dir, stdio: 'inherit' })
      if (r.status !== 0) throw new Error(`pnpm install failed in ${app}`)
    }
  }
  writeFileSync(join(WORK, 'rill-flow-ui', '.env.development.local'), `VITE_FLOW_API_HOST = ${UI}\n`)
}


const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' }

/** The built micro app at /flow-graph/ (its base), with CORS open as its own dev server has it. */
function serveMicroApp(dist, port) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/flow-graph/, '')
    let file = resolve(dist, `.${path}`)
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html')
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' })
    res.end(readFileSync(file))
  })
  stopAtEnd(server)
  return new Promise((ok) => server.listen(port, '127.0.0.1', ok))
}

/** A JSON call to JobDesk at `base` (see harness.mjs callJson); resolves with the answer's JSON. */
const api = async (base, method, path, token, body, type) => (await callJson(`${base}${path}`, method, { token, body, type })).json

/** JobDesk on 8080 with the UI's origin allowed (the setting applies to the running server). */
async function startJobDesk() {
  const url = await startServe(8080, 'jobdesk-console-')
  const again = await api(url, 'POST', '/api/v1/login', undefined, { username: 'admin', password: '73@TuGraph' })
  await api(url, 'POST', '/api/v1/settings/server', again.token, { allowRemote: false, allowedHosts: [], allowedOrigins: [UI], rillflowRequireToken: false })
  const yaml = [
    'version: 1.0.0',
    'workspace: demo',
    'dagName: greet',
    'type: flow',
    `inputSchema: '[{"required":true,"name":"who","type":"String"}]'`,
    'tasks:',
    '  - {category: pass, name: hello, next: bye, outputMappings: [{source: $.context.who, target: $.context.greeted}]}',
    '  - {category: pass, name: bye}',
  ].join('\n')
  await api(url, 'POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=demo&feature_name=greet&alias=release', again.token, yaml, 'text/plain')
  return url
}

/** The micro app's graph: its first load may be cut by the dev server's dependency discovery; one reload then. */
async function graphShown(page) {
  try {
    await page.getByText('hello').first().waitFor({ timeout: 60_000 })
  } catch {
    await page.reload({ waitUntil: 'networkidle' })
    await page.getByText('hello').first().waitFor({ timeout: 90_000 })
  }
}

async function drive() {
  mkdirSync(SHOTS, { recursive: true })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const failures = []
  page.on('response', (r) => {
    if (r.url().includes('/flow/') && r.status() >= 400) failures.push(`${r.status()} ${r.request().method()} ${r.url()}`)
  })
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`   [browser] ${m.text().slice(0, 300)}`)
  })
  const shot = async (name) => {
    await page.waitForTimeout(1500)
    await page.screenshot({ path: join(SHOTS, `rillflow-${name}.png`) })
    console.log(`   screenshot ${join(SHOTS, `rillflow-${name}.png`)}`)
  }
  try {
    step('sign in')
    await page.goto(`${UI}/login`, { waitUntil: 'networkidle', timeout: 120_000 })
    await page.locator('input').first().fill('admin')
    await page.locator('input[type=password]').fill('73@TuGraph')
    await page.locator('button.ant-btn-primary').first().click()
    await page.waitForURL('**/flow-definition/list', { timeout: 60_000 })
    await page.getByText('demo').first().waitFor({ timeout: 30_000 })
    await shot('1-definitions')

    step('open the definition as a graph')
    await page.locator('.ant-table-row').first().locator('a, button').first().click()
    await page.waitForURL('**/micro/graph/**', { timeout: 30_000 })
    await graphShown(page)
    await shot('2-graph')

    step('test run')
    await page.locator('button[name=submitDagTestRun]').click()
    await page.locator('.ant-modal input').first().fill('Ann')
    await page.locator('.ant-modal .ant-btn-primary').last().click()
    await page.getByText(/ExecutionId/).first().waitFor({ timeout: 30_000 })
    await shot('3-test-run')

    step('the executions list and one execution')
    await page.goto(`${UI}/flow-instance/list`, { waitUntil: 'networkidle' })
    await page.locator('.ant-table-row').first().waitFor({ timeout: 30_000 })
    await shot('4-executions')
    await page.locator('.ant-table-row').first().locator('a, button').first().click()
    await page.waitForURL('**/micro/graph/**', { timeout: 30_000 })
    await graphShown(page)
    await shot('5-execution-graph')
    await page.locator('button[name=executionDetail]').click()
    await page.locator('.ant-modal').first().waitFor({ timeout: 15_000 })
    await shot('6-execution-detail')
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, 'rillflow-failed.png') }).catch(() => {})
    failures.push(`step failed: ${e.message}`)
  } finally {
    await browser.close()
  }
  return failures
}

let code = 1
try {
  prepare()
  step('JobDesk on :8080')
  await startJobDesk()
  // the micro app is built and previewed, not served by its dev server: qiankun gives a micro app 4 s
  // to bootstrap, which a dev server compiling on first request may miss on a busy machine
  if (!existsSync(join(WORK, 'flow-graph', 'dist'))) {
    step('building flow-graph (its development settings: base http://localhost:7001/flow-graph/), served by this script')
    const r = spawnSync('npx', [...PNPM, 'vite', 'build', '--mode', 'development'], { cwd: join(WORK, 'flow-graph'), stdio: 'inherit' })
    if (r.status !== 0) throw new Error('flow-graph build failed')
  }
  step('flow-graph on :7001, rill-flow-ui on :5173')
  await serveMicroApp(join(WORK, 'flow-graph', 'dist'), 7001)
  await start('npx', [...PNPM, 'vite', '--port', '5173', '--strictPort'], join(WORK, 'rill-flow-ui'), /Local:\s+http/)
  code = reportFailures(await drive(), SHOTS)
} catch (e) {
  console.error(e)
} finally {
  stopAllAndExit(code)
}
