// Test support scripts that tests run as processes of their own (to kill -9 them as a crash would).
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WORKER_BUNDLE_ENV } from '../../electron/worker-thread'

/** The scripts, by name: `test/support/<name>.ts`; the run bundles them with the workers (worker-bundle.ts). */
export const SUPPORT_SCRIPTS = ['serve-worker', 'graph-import-child', 'crash-worker'] as const
export type SupportScript = (typeof SUPPORT_SCRIPTS)[number]

/** The source file of a support script. */
export const supportScriptSource = (name: SupportScript): string => resolve(__dirname, `${name}.ts`)

/**
 * The arguments for `node` that run a support script: its bundle in the run's worker bundle folder
 * (JOBDESK_WORKER_BUNDLE), about 1.5 s of CPU less per start on 2 cores, else its source through tsx.
 */
export function supportScriptArgs(name: SupportScript): string[] {
  const bundle = process.env[WORKER_BUNDLE_ENV]
  const built = bundle && join(bundle, `${name}.js`)
  return built && existsSync(built) ? [built] : ['--import', 'tsx', supportScriptSource(name)]
}
