// Headless JobDesk: engine + REST API + the web UI on loopback, without a window.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApp, VERSION } from './app'
import { ConfigError, parseCommand, USAGE } from './config'
import { DataDirInUseError } from './instance-lock'

/**
 * A Ctrl+C can reach the process twice at once (from the terminal, and forwarded by npm or a
 * shell in the same process group): a second signal within this window is the same one.
 */
const SAME_SIGNAL_MS = 300

/**
 * Keeps the server running when the reader of `stream` (stdout, stderr) goes away, as in
 * `serve | head -1`: a write into the closed pipe fails with EPIPE, emitted on the stream as an
 * 'error' nobody handled, which ended the process. The stream is then destroyed, so nothing further
 * is written there (console ignores writes to a destroyed stream). Any other error is thrown as before.
 */
function outliveClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}

async function main(): Promise<void> {
  outliveClosedPipe(process.stdout)
  outliveClosedPipe(process.stderr)
  // Last resort: background paths catch their own errors and log them with their job; a rejection
  // that escapes is a bug, logged, and the server carries on rather than ending every run.
  process.on('unhandledRejection', (e) => console.error('jobdesk: unhandled rejection (a bug; JobDesk carries on):', e))
  const command = parseCommand(process.argv.slice(2))
  if (command.kind === 'help') return console.log(USAGE)
  if (command.kind === 'version') return console.log(VERSION)
  const config = command.config
  // Built to out/main/serve.js; the renderer is built next to it in out/renderer.
  const here = dirname(fileURLToPath(import.meta.url))
  const app = await startApp({ ...config, staticDir: join(here, '../renderer'), watchStalls: true })
  console.log(`JobDesk listening on ${app.url}`)
  console.log(`data: ${config.dataDir}`)
  if (app.scriptConfinement.kind !== 'none') console.log(`scripts: ${app.scriptConfinement.summary}`) // else startApp warned
  let firstSignalAt = 0
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now()
    if (!firstSignalAt) {
      firstSignalAt = now
      console.log(`\njobdesk: stopping (${signal}); press Ctrl+C again to stop at once`)
      app.close().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error('jobdesk: could not stop cleanly:', e)
          process.exit(1)
        },
      )
    } else if (now - firstSignalAt > SAME_SIGNAL_MS) {
      // Forced: scripts got SIGTERM with the first signal; what is left is reaped at the next start.
      console.error(`jobdesk: stopped at once (${signal} again)`)
      process.exit(130)
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException & { port?: number }
  if (e instanceof ConfigError || e instanceof DataDirInUseError) console.error(`jobdesk: ${e.message}`)
  else if (err.code === 'EADDRINUSE') console.error(`jobdesk: port ${err.port ?? ''} is in use; pass --port 0 for any free port, or another --port`)
  else if (err.code === 'EACCES') console.error(`jobdesk: not allowed to listen on port ${err.port ?? ''}; choose a port above 1024`)
  else console.error(e)
  process.exit(e instanceof ConfigError ? 2 : 1)
})
