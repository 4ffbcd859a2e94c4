// Debian's Chromium for the browser tests: one browser for the whole run (browser-server.ts, the
// globalSetup of vitest.e2e.config.ts), each test file connecting to it with its own pages.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type LaunchOptions } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Names the shared browser's WebSocket endpoint, set by browser-server.ts for the test files. */
export const BROWSER_ENDPOINT_ENV = 'JOBDESK_E2E_BROWSER'

/** How the browser is started: headless, no network of its own, no first-run work. Throws when Chromium is missing. */
export function chromiumLaunchOptions(): LaunchOptions {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`)
  }
  return {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  }
}

/**
 * A browser for one test file: a connection to the run's shared browser when there is one (about 4 s
 * less per file on 2 cores than starting and closing Chromium), else a browser of its own. Its
 * `close()` closes the contexts and pages the file opened (and, for its own browser, the browser).
 */
export function launchChromium(): Promise<Browser> {
  const endpoint = process.env[BROWSER_ENDPOINT_ENV]
  return endpoint ? chromium.connect(endpoint) : chromium.launch(chromiumLaunchOptions())
}
