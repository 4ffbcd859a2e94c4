import { defineConfig } from 'vitest/config'

// Responsiveness tests: hostile or heavy work against the app in its own process while a status probe
// measures how fast it still answers (and how much memory it takes). They run one file at a time,
// after the other tests, so that the timings they assert measure JobDesk, not the test run around it.
//
// Most files only drive an app in a process of its own (served-process.ts) and probe it from a worker
// thread: they share one test process (isolate: false), which saves a fork and the imports of each
// (about 0.7 s of CPU a file). The files below measure the test process itself (an app started in it,
// or its own event-loop delay) and keep a fresh process each, with nothing of the files before in it.
const IN_PROCESS = [
  'test/graph/import-large.probe.test.ts',
  'test/http/held-work-fail-sliced.probe.test.ts',
  'test/http/wide-job-detail.probe.test.ts',
  'test/workflows/attack-constant-wide-map.probe.test.ts',
  'test/workflows/attack-function-answer-wide-map.probe.test.ts',
  'test/workflows/attack-gray-rules-subflows.probe.test.ts',
  'test/workflows/attack-parallel-subflow-contexts.probe.test.ts',
  'test/workflows/attack-submit-wide-map.probe.test.ts',
]

export default defineConfig({
  test: {
    environment: 'node',
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/worker-bundle.ts'], // the worker threads and SQL child, bundled once per run
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    maxWorkers: 1, // one file at a time across both projects too
    projects: [
      {
        extends: true,
        test: {
          name: 'probe-served',
          include: ['test/**/*.probe.test.ts'],
          exclude: IN_PROCESS,
          isolate: false,
          execArgv: ['--expose-gc'], // each file's garbage is collected after it (shared-process.ts)
          setupFiles: ['test/support/shared-process.ts'], // after the config's setup.ts (extends merges the lists)
        },
      },
      { extends: true, test: { name: 'probe-in-process', include: IN_PROCESS } },
    ],
  },
})
