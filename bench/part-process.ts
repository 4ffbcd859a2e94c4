// One contender of a bench in a process of its own (its peak RSS and thread pool are its own): the
// parent runs the bench file again with `--part <name> <args…>`; the child prints one result line.
import { spawnSync } from 'node:child_process'

const RESULT = 'bench-result:'

/** Runs `file --part part ...args` through tsx and returns the figures its result line holds, or why there are none. */
export function runPart<T>(file: string, part: string, args: string[]): T | { error: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, '--part', part, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 3_600_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const line = r.stdout?.split('\n').find((l) => l.startsWith(RESULT))
  if (line) return JSON.parse(line.slice(RESULT.length)) as T
  const why = (r.error?.message ?? `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' ')) || `exit ${r.status ?? r.signal}`
  return { error: why }
}

/** In the child: prints the figures as the result line and exits (a worker or a native pool left running must not hold the bench). */
export function answerPart(figures: unknown): never {
  console.log(RESULT + JSON.stringify(figures))
  process.exit(0)
}
