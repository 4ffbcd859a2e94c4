import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/**/*.probe.test.ts'], // probe tests: vitest.probe.config.ts
    testTimeout: 20_000,
  },
})
