// `serve` (electron/serve.ts) died when the reader of its output went away: `node out/main/serve.js
// | head -1` ended it with an unhandled 'error' event (write EPIPE) as it logged the lines after its
// URL. It must keep serving, writing nothing further there.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { tempDir } from '../support/temp-store'

/** A port free a moment ago, for a process that must be reached without reading its output. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  await new Promise((ok) => server.close(ok))
  return port
}

it('keeps serving when the reader of its output (head -1) has gone', { timeout: 120_000 }, async () => {
  const dir = tempDir()
  const port = await freePort()
  const serve = resolve(__dirname, '../../electron/serve.ts')
  // as a shell runs `serve | head -1`: its output goes into a pipe whose reader reads one line and
  // exits (its own process group, so the test can end both by the group's id)
  const line = '"$0" --import tsx "$1" --port "$2" --data "$3" 2>&1 | head -1 > /dev/null'
  const child = spawn('sh', ['-c', line, process.execPath, serve, String(port), dir], { stdio: 'ignore', detached: true })
  let exit: number | string | null | undefined
  const exited = new Promise<void>((ok) =>
    child.once('exit', (code, signal) => {
      exit = code ?? signal
      ok()
    }),
  )
  const status = async () => (await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined))?.status
  try {
    const end = Date.now() + 90_000
    while (exit === undefined && (await status()) === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 200))
    await new Promise((r) => setTimeout(r, 1_000)) // it logged its URL as it began to listen: a failed write ends it within a tick
    expect(await status(), 'the server stopped answering').toBeDefined()
    expect(exit, 'the server ended').toBeUndefined()
  } finally {
    if (exit === undefined) process.kill(-child.pid!, 'SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
})
