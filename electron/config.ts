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
const DEFAULT_PORT = 8080
const DEFAULT_CONCURRENCY = 16

/** The OS's per-user app data folder, as Electron's app.getPath('userData') would give it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'JobDesk')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'JobDesk')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'JobDesk')
}

/** A command line or environment the app cannot start with; the message is for the person who typed it. */
export class ConfigError extends Error {}

/** What `serve --help` prints: every flag and environment variable (README.md lists the same). */
export const USAGE = `Usage: npm run serve -- [options]    (or: node out/main/serve.js [options])

Runs JobDesk headless: the engine, the REST API and the web UI, on 127.0.0.1.

Options:
  --port N          port to listen on; 0 picks any free port (env JOBDESK_PORT; default ${DEFAULT_PORT})
  --data DIR        where the database and job files live (env JOBDESK_DATA;
                    default: the per-user app folder, ${defaultDataDir()})
  --host ADDR       address to listen on (default 127.0.0.1; anything but loopback needs --allow-remote)
  --allow-remote    allow --host to be a non-loopback address (refused while an admin
                    still has the default password: change it first)
  --concurrency N   how many tasks may run at once (env JOBDESK_CONCURRENCY; default ${DEFAULT_CONCURRENCY})
  -h, --help        print this help and exit
  -v, --version     print the version and exit

Environment:
  JOBDESK_PORT, JOBDESK_DATA, JOBDESK_CONCURRENCY   as the options above (an option wins)
  XDG_CONFIG_HOME (Linux), APPDATA (Windows)         where the default data folder is

It prints "JobDesk listening on <URL>" once it serves. Ctrl+C stops it within a few seconds
(running script jobs are stopped and shown as interrupted); a second Ctrl+C stops it at once.`

export type Command = { kind: 'run'; config: AppConfig } | { kind: 'help' } | { kind: 'version' }

const OPTIONS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  concurrency: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/**
 * Parses serve's command line. Unknown options and stray arguments are errors (a mistyped
 * `--prot 9000` must not start on 8080). Throws ConfigError with a message naming the option.
 */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }))
  } catch (e) {
    throw new ConfigError(`${cleanParseError(e)}; see --help`)
  }
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  return { kind: 'run', config: configFrom(values, env) }
}

/**
 * The Electron entry's configuration: the same options, but Electron and Chromium add flags
 * of their own to its command line, so unknown ones are left to them.
 */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true })
  return configFrom(values, env)
}

function configFrom(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): AppConfig {
  for (const name of ['data', 'port', 'host', 'concurrency'] as const) {
    if (values[name] === true || values[name] === '') throw new ConfigError(`--${name} needs a value`)
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const port = integer(str(values.port), '--port', env.JOBDESK_PORT, 'JOBDESK_PORT', DEFAULT_PORT)
  if (port.value < 0 || port.value > 65535) throw new ConfigError(`${port.source} must be 0..65535, got ${port.text}`)
  const concurrency = integer(str(values.concurrency), '--concurrency', env.JOBDESK_CONCURRENCY, 'JOBDESK_CONCURRENCY', DEFAULT_CONCURRENCY)
  if (concurrency.value < 1) throw new ConfigError(`${concurrency.source} must be a positive integer, got ${concurrency.text}`)
  const host = str(values.host) ?? '127.0.0.1'
  if (!LOOPBACK.has(host) && values['allow-remote'] !== true) {
    throw new ConfigError(`refusing to listen on ${host}: JobDesk listens on loopback only unless --allow-remote is given`)
  }
  const dataDir = resolve(str(values.data) ?? (env.JOBDESK_DATA || undefined) ?? defaultDataDir(env))
  return { dataDir, host, port: port.value, concurrency: concurrency.value }
}

/** An integer option, from the flag, else the environment, else the default; says which one was wrong. */
function integer(flag: string | undefined, flagName: string, envValue: string | undefined, envName: string, fallback: number): { value: number; text: string; source: string } {
  const [text, source] = flag !== undefined ? [flag, flagName] : envValue ? [envValue, envName] : [String(fallback), 'default']
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value)) throw new ConfigError(`${source} must be an integer, got "${text}"`)
  return { value, text, source }
}

function cleanParseError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  // node:util words it for programmers ("Unknown option '--prot'. To specify a positional argument…").
  const unknown = /Unknown option '([^']+)'/.exec(message)
  if (unknown) return `unknown option ${unknown[1]}`
  const positional = /Unexpected argument '([^']+)'/.exec(message)
  if (positional) return `unexpected argument "${positional[1]}" (options start with --)`
  const missing = /Option '(-\S+)(?:, (--\S+))? <value>' argument missing/.exec(message)
  if (missing) return `${missing[2] ?? missing[1]} needs a value`
  return message.split('. ')[0]
}
