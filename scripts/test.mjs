// `npm test`: type-check, unit and API tests, responsiveness tests (one at a time), build, then the
// browser tests against `serve`.
// Ends with one line `N passed, N failed` (what CI reads) and exits non-zero on any failure.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'

const results = 'test-results'
mkdirSync(results, { recursive: true })
let passed = 0
let failed = 0
let broken = false
const failures = [] // `file > test: first line of the message`, repeated at the end where CI's tail shows it

function run(title, cmd, args) {
  console.log(`\n── ${title} ──`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) broken = true
  return r.status === 0
}

function firstLine(text) {
  const line = String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? ''
  return line.trim().slice(0, 300)
}

function vitest(title, config, report) {
  rmSync(report, { force: true })
  const ok = run(title, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`])
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

run('type-check', 'npx', ['tsc', '-p', '.']) || (failed += 1)
vitest('unit and API tests', 'vitest.config.ts', `${results}/unit.json`)
vitest('responsiveness tests (one file at a time)', 'vitest.probe.config.ts', `${results}/probe.json`)
if (run('build', 'npx', ['electron-vite', 'build'])) vitest('browser tests (Chromium)', 'vitest.e2e.config.ts', `${results}/e2e.json`)
else failed += 1

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(broken || failed > 0 ? 1 : 0)
