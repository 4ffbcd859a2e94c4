// Kuzu, the peer the graph benches compare with (bench/graph-import.ts: COPY speed; bench/cypher.ts:
// query speed): installed by the bench into bench/.peers (never a JobDesk dependency), loaded from
// there, and opened on a throw-away database folder that is removed afterwards.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

/** The Kuzu release compared with; installed by the bench into bench/.peers when missing. */
export const KUZU_VERSION = '0.11.3'
const PEERS = resolve(import.meta.dirname, '.peers')

export interface KuzuResult {
  getAll(): Promise<Record<string, unknown>[]>
}

/** A connection of Kuzu's Node binding (its default thread pool). */
export interface KuzuConnection {
  query(q: string): Promise<KuzuResult>
}

interface KuzuModule {
  VERSION: string
  Database: new (path: string) => { close(): Promise<void> }
  Connection: new (db: unknown) => KuzuConnection & { close(): Promise<void> }
}

/** Installs kuzu@KUZU_VERSION into bench/.peers unless it is there; returns why not, or null. */
export function ensureKuzu(): string | null {
  const pkg = join(PEERS, 'node_modules', 'kuzu', 'package.json')
  const installed = () => existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version === KUZU_VERSION
  if (installed()) return null
  console.log(`installing kuzu@${KUZU_VERSION} into bench/.peers (bench only) …`)
  const r = spawnSync('npm', ['install', '--prefix', PEERS, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `kuzu@${KUZU_VERSION}`], {
    encoding: 'utf8',
    timeout: 600_000,
    shell: process.platform === 'win32',
  })
  if (r.status !== 0 || !installed()) return `npm install kuzu@${KUZU_VERSION} failed: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`
  return null
}

/**
 * Opens a fresh Kuzu database in `dbPath` (anything there is removed first), runs `work` with a
 * connection and Kuzu's version text, then closes both and removes the folder. Kuzu must be
 * installed (ensureKuzu, in the parent process).
 */
export async function withKuzu<T>(dbPath: string, work: (conn: KuzuConnection, version: string) => Promise<T>): Promise<T> {
  const kuzu = createRequire(join(PEERS, 'node_modules', 'x.js'))('kuzu') as KuzuModule
  rmSync(dbPath, { recursive: true, force: true })
  const db = new kuzu.Database(dbPath)
  const conn = new kuzu.Connection(db)
  try {
    return await work(conn, kuzu.VERSION)
  } finally {
    await conn.close()
    await db.close()
    rmSync(dbPath, { recursive: true, force: true })
  }
}
