import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { tempDir } from './temp-store'

/** An app serving a web UI of its own, and where that UI's files are (`ui`, which a test may change). */
export interface UiApp {
  app: JobDeskApp
  ui: string
}

/**
 * An app (startApp on 127.0.0.1, a port of its own) for the test file it is called in, serving as its
 * web UI the folder `renderer/` of a new temp data dir holding `files` (path under it → text):
 * started before the file's tests, closed and removed after. The fields are set once that beforeAll
 * has run: read them in the tests.
 */
export function uiAppSuite(files: Record<string, string>): UiApp {
  const suite = {} as UiApp
  let dir: string | undefined
  beforeAll(async () => {
    dir = tempDir()
    suite.ui = join(dir, 'renderer')
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(suite.ui, path)), { recursive: true })
      writeFileSync(join(suite.ui, path), text)
    }
    suite.app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2, staticDir: suite.ui })
  })
  afterAll(async () => {
    await suite.app?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  return suite
}
