import { defineConfig } from 'vitest/config'

// Files that replace a module with vi.mock need a module graph of their own; every other file shares
// its worker's (isolate: false), which saves re-importing the app — fastify, the routes, the engine —
// for each of ~140 files (about 10 s of CPU a file on a loaded 2-core machine). Test files must
// therefore leave no module-level state behind them (setupFiles still runs before each file).
const MOCKING = ['test/main/*.test.ts']

export default defineConfig({
  test: {
    environment: 'node',
    exclude: ['test/e2e/**', 'test/**/*.probe.test.ts'], // probe tests: vitest.probe.config.ts
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/worker-bundle.ts'], // the worker threads and SQL child, bundled once per run
    // Two files at a time, also on 2 cores (vitest's default there is one): most of a file's time is
    // waiting (for child processes, workers, timers), and each file has its own app, data dir and port.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000, // starting an app (migrations, scrypt of the default admin) is slow on a loaded machine
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/**/*.probe.test.ts', ...MOCKING], isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
})
