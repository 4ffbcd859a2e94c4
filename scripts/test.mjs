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

function run(title, cmd, args) {
  console.log(`\n── ${title} ──`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) broken = true
  return r.status === 0
}

function vitest(title, config, report) {
  rmSync(report, { force: true })
  const ok = run(title, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`])
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    passed += json.numPassedTests
    failed += json.numFailedTests
    if (!ok && json.numFailedTests === 0) failed += 1 // a suite that failed to load, or an unhandled error
  } catch {
    failed += 1 // no report: the runner itself failed
  }
}

run('type-check', 'npx', ['tsc', '-p', '.']) || (failed += 1)
vitest('unit and API tests', 'vitest.config.ts', `${results}/unit.json`)
vitest('responsiveness tests (one file at a time)', 'vitest.probe.config.ts', `${results}/probe.json`)
if (run('build', 'npx', ['electron-vite', 'build'])) vitest('browser tests (Chromium)', 'vitest.e2e.config.ts', `${results}/e2e.json`)
else failed += 1

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(broken || failed > 0 ? 1 : 0)
