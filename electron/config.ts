import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export interface AppConfig {
  dataDir: string
  host: string
  port: number
  concurrency: number
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/** The OS's per-user app data folder, as Electron's app.getPath('userData') would give it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'JobDesk')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'JobDesk')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'JobDesk')
}

export class ConfigError extends Error {}

/** `--data DIR` (or JOBDESK_DATA), `--port N` (0 = any free port), `--host`, `--concurrency N`. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      concurrency: { type: 'string' },
      'allow-remote': { type: 'boolean' },
    },
    strict: false,
    allowPositionals: true,
  })
  for (const name of ['data', 'port', 'host', 'concurrency'] as const) {
    if (values[name] === true || values[name] === '') throw new ConfigError(`--${name} needs a value`)
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const port = Number(str(values.port) ?? env.JOBDESK_PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0..65535, got ${String(values.port)}`)
  const concurrency = Number(str(values.concurrency) ?? 16)
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('--concurrency must be a positive integer')
  const host = str(values.host) ?? '127.0.0.1'
  if (!LOOPBACK.has(host) && values['allow-remote'] !== true) {
    throw new ConfigError(`refusing to listen on ${host}: JobDesk listens on loopback only unless --allow-remote is given`)
  }
  const dataDir = resolve(str(values.data) ?? env.JOBDESK_DATA ?? defaultDataDir(env))
  return { dataDir, host, port, concurrency }
}
