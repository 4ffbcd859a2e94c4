// globalSetup (vitest.config.ts, vitest.probe.config.ts): bundles the worker entries of the build
// (electron.vite.config.ts: graph, export, result-query and descriptor worker threads, the SQL child
// process) and the support scripts tests run as processes (support-script.ts) once per test run, and
// names the folder in JOBDESK_WORKER_BUNDLE, which startWorker and startChild honour
// (electron/worker-thread.ts builtEntry). Run from source, each worker and script loads tsx and its
// modules through tsx's loader: about 0.8 s more CPU per query worker and 1.5 s per app process on
// 2 cores, and every test file that runs Cypher, exports, runs a SQL job or kills an app starts its
// own. The folder sits in test-results/ so that the packages left external resolve from the
// project's node_modules.
import { build } from 'esbuild'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { UserConfig } from 'electron-vite'
import config from '../../electron.vite.config'
import { WORKER_BUNDLE_ENV } from '../../electron/worker-thread'
import { SUPPORT_SCRIPTS, supportScriptSource } from './support-script'

const ROOT = resolve(__dirname, '../..')
/** The app's own entries: everything else the main build lists is loaded by path at run time. */
const APP_ENTRIES = new Set(['index', 'serve'])

/** The worker entries of the main build: name → source file. */
export function workerEntries(): Record<string, string> {
  const input = (config as UserConfig).main?.build?.rolldownOptions?.input as Record<string, string>
  return Object.fromEntries(Object.entries(input).filter(([name]) => !APP_ENTRIES.has(name)))
}

export default async function setup(): Promise<() => void> {
  if (process.env[WORKER_BUNDLE_ENV]) return () => undefined // set by the caller (or a second project of the run)
  mkdirSync(join(ROOT, 'test-results'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'test-results', 'workers-'))
  await bundleEntries({ ...workerEntries(), ...Object.fromEntries(SUPPORT_SCRIPTS.map((name) => [name, supportScriptSource(name)])) }, dir)
  process.env[WORKER_BUNDLE_ENV] = dir
  return () => {
    delete process.env[WORKER_BUNDLE_ENV]
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Bundles `entries` (name → source file) into `dir` as the build's workers run: ESM for Node, node_modules left external (also bench/served-app.ts). */
export async function bundleEntries(entries: Record<string, string>, dir: string): Promise<void> {
  await build({
    entryPoints: entries,
    outdir: dir,
    bundle: true,
    splitting: true, // the Cypher engine stays a chunk of its own, loaded only by query workers (graph-worker.ts)
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external', // node_modules load as they are (better-sqlite3 is native); the Cypher grammar, imported by path, is bundled
    logLevel: 'warning',
  })
}
