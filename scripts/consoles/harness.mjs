// What the console harnesses share: their command line, their steps' output, and the processes
// they start (each in its own process group, all stopped at the end).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')

/** `--name value` pairs of the command line, as an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []))
}

export function step(text) {
  console.log(`── ${text}`)
}

/** What was started: processes (stopped by group) and servers or anything else with close(). */
const started = []

/** Remembers something to stop at the end: `{ close() }`. */
export function stopAtEnd(thing) {
  started.push(thing)
}

/**
 * Starts a command in its own process group and resolves with the match of `ready` on its output
 * (stdout and stderr, the last 2,000 characters). Rejects when it exits first or after `timeoutMs`.
 * Prints a line of its output at most every 10 s, so a long install shows it is alive.
 */
export function start(cmd, argv, cwd, ready, env = {}, timeoutMs = 180_000) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    started.push({ close: () => process.kill(-child.pid, 'SIGTERM') })
    const timer = setTimeout(() => fail(new Error(`${argv.join(' ')}: not ready within ${timeoutMs / 1000} s`)), timeoutMs)
    let seen = ''
    let lastPrint = 0
    const onData = (chunk) => {
      const text = String(chunk)
      seen = (seen + text).slice(-2000)
      const line = text.split(/[\r\n]/).find((l) => l.trim())
      if (line && Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now()
        process.stdout.write(`   [${argv[argv.length - 1]}] ${line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').slice(0, 160)}\n`)
      }
      const m = ready.exec(seen)
      if (m) {
        clearTimeout(timer)
        ok(m)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => fail(new Error(`${argv.join(' ')} exited with ${code}`)))
  })
}

/**
 * JobDesk's `serve` (the built out/main/serve.js) on `port` with a fresh data folder named after
 * `dataPrefix`; resolves with the URL it prints. Throws when out/ is not built.
 */
export async function startServe(port, dataPrefix) {
  const serve = join(ROOT, 'out/main/serve.js')
  if (!existsSync(serve)) throw new Error('out/main/serve.js is missing: run `npx electron-vite build` first')
  const data = mkdtempSync(join(tmpdir(), dataPrefix))
  const [, url] = await start(process.execPath, [serve, '--port', String(port), '--data', data], ROOT, /JobDesk listening on (\S+)/)
  return url
}

/**
 * One JSON call to JobDesk: `token` as a Bearer token, `cookie` as sent, `body` as JSON, or `raw` as
 * an octet stream, or `body` (a string) as `type`. Resolves with the answer's JSON and the cookies it
 * set (`name=value; …`); throws on a status of 400 or more, naming the call and the answer.
 */
export async function callJson(url, method, { token, cookie, body, raw, type = 'application/json' } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { cookie } : {}),
      ...(raw !== undefined ? { 'content-type': 'application/octet-stream' } : body !== undefined ? { 'content-type': type } : {}),
    },
    body: raw ?? (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)),
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${JSON.stringify(json)}`)
  return { json, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') }
}

/** Prints the failures of a console run (or that all passed) and returns its exit code. */
export function reportFailures(failures, shots) {
  for (const f of failures) console.log(`   ✗ ${f}`)
  console.log(failures.length ? `${failures.length} problem(s); screenshots in ${shots}` : `all steps passed; screenshots in ${shots}`)
  return failures.length ? 1 : 0
}

/** Stops everything started, in any state, then exits with `code`. */
export function stopAllAndExit(code) {
  for (const thing of started) {
    try {
      thing.close()
    } catch {
      // already gone
    }
  }
  process.exit(code)
}
