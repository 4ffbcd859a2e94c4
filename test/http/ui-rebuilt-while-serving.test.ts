// A rebuild while `serve` runs (`npm run build` in another terminal) writes the page's scripts under
// new hashed names. The server routed only the files there at its start, so the new page asked for
// scripts it answered 404 and stayed blank until a restart.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import { uiAppSuite } from '../support/ui-app'

const suite = uiAppSuite({
  'index.html': '<!doctype html><script type="module" src="./assets/index-old.js"></script>',
  'assets/index-old.js': 'console.log("old")',
})
let app: JobDeskApp
let ui: string
beforeAll(() => ({ app, ui } = suite))

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
