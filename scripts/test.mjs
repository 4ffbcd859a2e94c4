// `npm test`: unit and API tests with the type-check and the build beside them, the responsiveness
// tests (one at a time), then the browser tests against `serve`.
// Ends with one line `N passed, N failed` (what CI reads) and exits non-zero on any failure.
// Side by side only there: the type-check and the build are half a minute of CPU each, and the unit
// tests (two files at a time, most of it waiting for child processes and timers) were written for
// a loaded machine. The responsiveness tests time the server, and the browser tests wait for pages
// with timeouts (two files side by side, or unit tests beside them, failed at load 20): each runs alone.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'

const results = 'test-results'
mkdirSync(results, { recursive: true })
let passed = 0
let failed = 0
let broken = false
const failures = [] // `file > test: first line of the message`, repeated at the end where CI's tail shows it

/**
 * Runs a stage; resolves with whether it exited 0. A `held` stage runs beside another: its output is
 * kept and printed, under its title, when `show()` of the result is called, so the two do not interleave.
 */
function run(title, cmd, args, { held = false } = {}) {
  if (!held) console.log(`\n── ${title} ──`)
  const started = Date.now()
  const child = spawn(cmd, args, { stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: process.platform === 'win32' })
  const output = []
  if (held) for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => output.push(d))
  return new Promise((resolve) => {
    const done = (ok) => {
      if (!ok) broken = true
      const took = `${title}: ${Math.round((Date.now() - started) / 1000)} s`
      resolve({ ok, show: () => (held ? console.log(`\n── ${title} ──\n${Buffer.concat(output).toString()}\n${took}`) : console.log(took)) })
    }
    child.on('error', (e) => {
      output.push(Buffer.from(String(e)))
      done(false)
    })
    child.on('exit', (code) => done(code === 0))
  })
}

function firstLine(text) {
  const line = String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? ''
  return line.trim().slice(0, 300)
}

/** Runs a vitest stage and counts its report's tests; `held` as for run. */
async function vitest(title, config, report, o = {}) {
  rmSync(report, { force: true })
  const stage = await run(title, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], o)
  return { ...stage, count: () => count(title, stage.ok, report) }
}

/** Adds a vitest stage's report to the totals and its failures to the list. */
function count(title, ok, report) {
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    passed += json.numPassedTests
    failed += json.numFailedTests
    for (const file of json.testResults ?? []) {
      const name = file.name.replace(process.cwd() + '/', '')
      const bad = (file.assertionResults ?? []).filter((t) => t.status === 'failed')
      for (const t of bad) failures.push(`${name} > ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`)
      if (file.status === 'failed' && bad.length === 0) failures.push(`${name}: ${firstLine(file.message)}`)
    }
    if (!ok && json.numFailedTests === 0) {
      failed += 1 // a suite that failed to load, or an unhandled error
      failures.push(`${title}: the runner failed without a failed test (an unhandled error or a suite that did not load; see above)`)
    }
  } catch {
    failed += 1 // no report: the runner itself failed
    failures.push(`${title}: no report was written (the runner itself failed; see above)`)
  }
}

const typed = run('type-check', 'npx', ['tsc', '-p', '.'], { held: true })
const built = run('build', 'npx', ['electron-vite', 'build'], { held: true })
const unit = await vitest('unit and API tests (the type-check and the build run beside them)', 'vitest.config.ts', `${results}/unit.json`)
unit.show()
unit.count()
for (const stage of [await typed, await built]) stage.show()
if (!(await typed).ok) failed += 1
const probe = await vitest('responsiveness tests (one file at a time)', 'vitest.probe.config.ts', `${results}/probe.json`)
probe.show()
probe.count()
if ((await built).ok) {
  // the pictures no test reads are not taken (test/e2e/support.ts; a failed test's pages still are),
  // about 190 of them at 0.15-0.5 s of CPU each; JOBDESK_E2E_SHOTS=1 npm test takes them all
  process.env.JOBDESK_E2E_SHOTS ??= '0'
  const e2e = await vitest('browser tests (Chromium)', 'vitest.e2e.config.ts', `${results}/e2e.json`)
  e2e.show()
  e2e.count()
} else failed += 1

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(broken || failed > 0 ? 1 : 0)
