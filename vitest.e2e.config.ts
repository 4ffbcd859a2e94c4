import { defineConfig } from 'vitest/config'

// Browser tests drive the built renderer through `serve` mode in Debian's Chromium. Each file starts
// its own `serve` (own data dir, own port) and its own Chromium (test/e2e/support.ts browserSuite), so
// two files run side by side: much of a file's time is waiting for the page and the server.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
})
