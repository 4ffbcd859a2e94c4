// Headless JobDesk: engine + REST API + the web UI on loopback, without a window.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApp } from './app'
import { ConfigError, readConfig } from './config'

async function main(): Promise<void> {
  // Last resort: background paths catch their own errors and log them with their job; a rejection
  // that escapes is a bug, logged, and the server carries on rather than ending every run.
  process.on('unhandledRejection', (e) => console.error('jobdesk: unhandled rejection (a bug; JobDesk carries on):', e))
  const config = readConfig(process.argv.slice(2))
  // Built to out/main/serve.js; the renderer is built next to it in out/renderer.
  const here = dirname(fileURLToPath(import.meta.url))
  const app = await startApp({ ...config, staticDir: join(here, '../renderer') })
  console.log(`JobDesk listening on ${app.url}`)
  console.log(`data: ${config.dataDir}`)
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    app.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException & { port?: number }
  if (e instanceof ConfigError) console.error(`jobdesk: ${e.message}`)
  else if (err.code === 'EADDRINUSE') console.error(`jobdesk: port ${err.port ?? ''} is in use; pass --port 0 for any free port, or another --port`)
  else if (err.code === 'EACCES') console.error(`jobdesk: not allowed to listen on port ${err.port ?? ''}; choose a port above 1024`)
  else console.error(e)
  process.exit(1)
})
