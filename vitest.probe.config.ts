import { defineConfig } from 'vitest/config'

// Responsiveness tests: hostile or heavy work against the app in its own process while a status probe
// measures how fast it still answers (and how much memory it takes). They run one file at a time,
// after the other tests, so that the timings they assert measure JobDesk, not the test run around it.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.probe.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/worker-bundle.ts'], // the worker threads and SQL child, bundled once per run
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
