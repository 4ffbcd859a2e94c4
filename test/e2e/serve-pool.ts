// `serve` for the browser tests: starting one as `npm run serve` does (startServe), and, as a
// globalSetup of vitest.e2e.config.ts, keeping one started ahead for the next test file (takeServe).
// Starting serve is about 2 s of CPU (loading fastify, the routes and the engine, compiling the
// route schemas), 4–6 s of wall time on a loaded 2-core machine; each of the ~60 files used to wait
// for it in its beforeAll. Now the next file's serve starts while the file before it runs, and a file
// takes it ready. Each file still gets a serve of its own: its own process, data dir and port.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { tempDir } from '../support/temp-store'

const ROOT = resolve(__dirname, '../..')
/** Names the URL of the run's serve pool, set by this globalSetup for the test files. */
export const SERVE_POOL_ENV = 'JOBDESK_E2E_SERVE_POOL'

/** A running `serve` of a test file. */
export interface Served {
  url: string
  port: number
  dataDir: string
  /** Ends the process and removes its data (a pooled serve's: the pool finishes that after returning). */
  stop(): Promise<void>
  /** Sends a signal and waits for the process to end; keeps the data for a restart. Resolves with the exit code (or the signal's name). */
  halt(signal?: NodeJS.Signals): Promise<number | string | null>
}

/** A `serve` this process started, with the process itself (for tests of how it stops). */
export interface ServeProcess extends Served {
  process: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string | null>
}

/**
 * Starts `serve` exactly as `npm run serve` does (after the build), and waits for its URL line.
 * A restart passes the `dataDir` and `port` of the one before. Throws when the build is missing,
 * or when serve exits or prints no URL within 30 s.
 */
export async function startServe(o: { dataDir?: string; port?: number } = {}): Promise<ServeProcess> {
  const serveJs = resolve(ROOT, 'out/main/serve.js')
  if (!existsSync(serveJs)) throw new Error('out/main/serve.js is missing: run `npx electron-vite build` first (npm test does)')
  const dataDir = o.dataDir ?? tempDir()
  const child = spawn(process.execPath, [serveJs, '--port', String(o.port ?? 0), '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<number | string | null>((ok) => child.once('exit', (code, signal) => ok(code ?? signal)))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('serve did not print its URL within 30 s')), 30_000) // a loaded machine starts slowly
    void exited.then((code) => fail(new Error(`serve exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^JobDesk listening on (http:\/\/\S+)$/.exec(line)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    })
  })
  const halt = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    process: child,
    exited,
    halt,
    async stop() {
      await halt('SIGTERM')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * A fresh `serve` for a test file: the one the run's pool started ahead (then the pool starts the
 * next), or, outside a run with the pool, one started now. Its stop and halt go through the pool;
 * its stop returns once the process is told to end (the pool waits for it at the end of the run).
 */
export async function takeServe(): Promise<Served> {
  const pool = process.env[SERVE_POOL_ENV]
  if (!pool) return startServe()
  const call = async (path: string) => {
    const res = await fetch(`${pool}${path}`, { method: 'POST' })
    const body = (await res.json()) as any
    if (!res.ok) throw new Error(`serve pool: ${body.error}`)
    return body
  }
  const { id, url, port, dataDir } = (await call('/take')) as { id: number; url: string; port: number; dataDir: string }
  return {
    url,
    port,
    dataDir,
    async stop() {
      await call(`/stop?id=${id}`)
    },
    async halt(signal: NodeJS.Signals = 'SIGTERM') {
      return ((await call(`/halt?id=${id}&signal=${signal}`)) as { code: number | string | null }).code
    },
  }
}

/** globalSetup: the pool's HTTP endpoint on loopback (take, halt, stop), named in JOBDESK_E2E_SERVE_POOL. */
export default async function setup(): Promise<() => Promise<void>> {
  let next: Promise<ServeProcess> | undefined
  const lent = new Map<number, ServeProcess>()
  const stopping: Promise<void>[] = []
  let ids = 0
  const startNext = () => {
    next = startServe()
    next.catch(() => undefined) // reported to the file that takes it
  }
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://pool')
    const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    void (async () => {
      if (q.pathname === '/take') {
        const ready = next ?? startServe()
        startNext() // the next file's, while this one runs
        const served = await ready
        const id = ++ids
        lent.set(id, served)
        return answer(200, { id, url: served.url, port: served.port, dataDir: served.dataDir })
      }
      const served = lent.get(Number(q.searchParams.get('id')))
      if (!served) return answer(404, { error: `no serve ${q.searchParams.get('id')}` })
      if (q.pathname === '/halt') return answer(200, { code: await served.halt((q.searchParams.get('signal') ?? 'SIGTERM') as NodeJS.Signals) })
      if (q.pathname === '/stop') {
        // answered at once: the file is done with it, and the next file need not wait for it to end
        lent.delete(Number(q.searchParams.get('id')))
        stopping.push(served.stop())
        return answer(200, {})
      }
      answer(404, { error: `no ${q.pathname}` })
    })().catch((e: unknown) => answer(500, { error: e instanceof Error ? e.message : String(e) }))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  process.env[SERVE_POOL_ENV] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  startNext() // the first file's, while vitest loads it
  return async () => {
    delete process.env[SERVE_POOL_ENV]
    server.close()
    const left = [...lent.values(), ...(next ? [await next.catch(() => undefined)] : [])]
    await Promise.all([...left.map((s) => s?.stop()), ...stopping])
  }
}
