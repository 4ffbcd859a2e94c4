// A rebuild while `serve` runs (`npm run build` in another terminal) writes the page's scripts under
// new hashed names. The server routed only the files there at its start, so the new page asked for
// scripts it answered 404 and stayed blank until a restart.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { tempDir } from '../support/temp-store'

let app: JobDeskApp
let dir: string
let ui: string
beforeAll(async () => {
  dir = tempDir()
  ui = join(dir, 'renderer')
  mkdirSync(join(ui, 'assets'), { recursive: true })
  writeFileSync(join(ui, 'index.html'), '<!doctype html><script type="module" src="./assets/index-old.js"></script>')
  writeFileSync(join(ui, 'assets', 'index-old.js'), 'console.log("old")')
  app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2, staticDir: ui })
})
afterAll(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`)
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') }
}

describe('the web UI rebuilt while the server runs', () => {
  it('serves the new page and its new scripts without a restart', async () => {
    expect((await get('/assets/index-old.js')).text).toBe('console.log("old")')
    // what a rebuild does: the old script goes, a new one comes, the page names it
    rmSync(join(ui, 'assets', 'index-old.js'))
    writeFileSync(join(ui, 'assets', 'index-new.js'), 'console.log("new")')
    writeFileSync(join(ui, 'index.html'), '<!doctype html><script type="module" src="./assets/index-new.js"></script>')
    expect((await get('/')).text).toContain('index-new.js')
    const script = await get('/assets/index-new.js')
    expect(script.status).toBe(200)
    expect(script.text).toBe('console.log("new")')
    expect(script.type).toMatch(/javascript/)
  })

  it('answers a missing or escaping asset path 404 in the native envelope, never a file outside', async () => {
    for (const path of ['/assets/nope.js', '/assets/..%2findex.html', '/assets/%2e%2e/%2e%2e/jobdesk.db']) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(JSON.parse(res.text).error, path).toBeTruthy()
    }
  })
})
