// Attack (atk24): POST /api/v1/saved-scripts takes `path` as entryPath, which has no maxLength (so an
// entry an older version stored past the limits can still be saved over), and checkPath('existing')
// only bounds each name (100 characters). For a path naming no entry, checkNewPath then runs
// assertNameChars over the WHOLE path before limitBreach refuses it as too long (500 characters), and
// nameCharProblem collects every hidden character (an object per U+3000, which it lets pass) before it
// looks at the first. Any signed-in user's one request of 3 MB (a million characters: names of 'x',
// 98 U+3000 and 'x') holds the main thread for seconds; the 16 MB body limit allows five times that.
// Measured (load 9-11): 1.8-2.3 s for the spaced path, 0.7 s for a million characters of letters.
// Expected: a new path longer than the limit is refused at once, whatever is in it.
import { beforeAll, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let bob: TestUser

const suite = appSuite('bob')
beforeAll(() => ({ users: { bob } } = suite))

/** Milliseconds bob's save of a new script at `path` takes, and its status. */
async function timedSave(path: string): Promise<{ ms: number; status: number }> {
  const started = performance.now()
  const res = await bob.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code: 'select 1' })
  return { ms: performance.now() - started, status: res.status }
}

it('refuses a new path of a million characters (500 allowed) within a second, look-alike spaces in it or not', async () => {
  const plain = await timedSave('xy/'.repeat(333_333) + 'x') // a million characters too, for comparison
  const spaced = await timedSave(`x${'\u3000'.repeat(98)}x/`.repeat(10_000).slice(0, -1))
  expect([plain.status, spaced.status]).toEqual([400, 400])
  expect(spaced.ms, `letters: ${Math.round(plain.ms)} ms; look-alike spaces: ${Math.round(spaced.ms)} ms`).toBeLessThan(1000)
}, 60_000)
