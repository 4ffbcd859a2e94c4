// Attack (atk23): a saved-script path is at most 8 names deep and 500 characters (checkPath, every
// route), but a folder move checks only `from` and `to`, not the paths of what it carries: moving a
// folder that holds a script 8 deep under another folder makes that script 10 deep (or its path
// longer than 500 characters). Such a script can no longer be opened, saved or deleted by its own
// path (each route answers bad_path), though it is listed. Expected: the move is refused (bad_path,
// naming `to`) when anything under the folder would pass the limits; nothing moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t.close())

describe('moving a folder past the depth limit', () => {
  it('is refused instead of leaving scripts no route can reach', async () => {
    const deep = 'a/b/c/d/e/f/g/leaf' // 8 names: the most
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: deep, language: 'sql', code: 'select 1;' })).status).toBe(201)
    const moved = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'a', to: 'x/y/a' })
    const listed = ((await t.call('GET', '/api/v1/saved-scripts')).body as { path: string }[]).map((e) => e.path)
    const stranded = listed.filter((p) => p.split('/').length > 8)
    for (const p of stranded) {
      // what the owner can still do with it: today 400 bad_path for each
      const read = await t.call('GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(p)}`)
      expect.soft(read.status, `GET ${p}`).toBe(200)
    }
    expect(moved.status, JSON.stringify(moved.body)).toBe(400) // today: 200, {moved: 1}
    expect(stranded).toEqual([])
  })
})
