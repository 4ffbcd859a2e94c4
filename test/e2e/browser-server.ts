// globalSetup (vitest.e2e.config.ts): starts Chromium once for the run and names its endpoint in
// JOBDESK_E2E_BROWSER; each file connects (chromium.ts launchChromium) instead of starting its own.
import { chromium } from 'playwright-core'
import { BROWSER_ENDPOINT_ENV, chromiumLaunchOptions } from './chromium'

export default async function setup(): Promise<() => Promise<void>> {
  const server = await chromium.launchServer(chromiumLaunchOptions())
  process.env[BROWSER_ENDPOINT_ENV] = server.wsEndpoint()
  return async () => {
    delete process.env[BROWSER_ENDPOINT_ENV]
    await server.close()
  }
}
