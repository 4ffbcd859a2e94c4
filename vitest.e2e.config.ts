import { defineConfig } from 'vitest/config'

// Browser tests drive the built renderer through `serve` mode in Debian's Chromium, one file at a time:
// two side by side saved 18 s of 338 on a clean clone and made layout and timing checks flaky there.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/browser-server.ts'], // one Chromium for the run; each file opens its own pages in it
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
