import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/**/*.probe.test.ts'], // probe tests: vitest.probe.config.ts
    setupFiles: ['test/support/setup.ts'],
    // Two files at a time, also on 2 cores (vitest's default there is one): most of a file's time is
    // waiting (for child processes, workers, timers), and each file has its own app, data dir and port.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000, // starting an app (migrations, scrypt of the default admin) is slow on a loaded machine
  },
})
