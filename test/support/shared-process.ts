// Runs before every responsiveness file that shares its test process with the files before it
// (vitest.probe.config.ts, project probe-served, isolate: false, node started with --expose-gc).
import { afterAll } from 'vitest'

// A file leaves its garbage in the shared heap (up to ~280 MB after reading a result of 8 MB several
// times, measured): collected by V8 whenever it chooses, that major GC could fall inside the next
// file's measured window and take one of the 2 cores from the served app it measures. Collected here,
// after the file's own afterAll hooks, it is paid between files, as a process of its own per file did.
afterAll(() => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('shared-process.ts needs node --expose-gc (vitest.probe.config.ts execArgv)')
  gc()
})
