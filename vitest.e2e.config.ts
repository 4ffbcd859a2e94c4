import { defineConfig } from 'vitest/config'

// Browser tests drive the built renderer through `serve` mode in Debian's Chromium, one file at a time:
// two side by side saved 18 s of 338 on a clean clone and made layout and timing checks flaky there.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    // One Chromium for the run, each file opening its own pages in it; and each file's `serve` started
    // while the file before it runs (serve-pool.ts).
    globalSetup: ['test/e2e/browser-server.ts', 'test/e2e/serve-pool.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    isolate: false,
  },
})
