import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/**/*.probe.test.ts'], // probe tests: vitest.probe.config.ts
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000, // starting an app (migrations, scrypt of the default admin) is slow on a loaded machine
  },
})
