import { afterAll, beforeAll } from 'vitest'
import { startTestApp, type TestApp } from '../../support/app'
import { rillClient } from './rill-client'
import { startSampleExecutor, type SampleExecutor } from './sample-executor'

export interface RillSuite {
  t: TestApp
  /** Unset with `{ sampleExecutor: false }`. */
  exec: SampleExecutor
  rill: ReturnType<typeof rillClient>
}

/** What a file's suite differs in; every field optional. */
export interface RillSuiteOptions {
  /** `false`: no sample executor (the file's flows call no service). Started unless set false. */
  sampleExecutor?: boolean
  /** startTestApp's options (`concurrency`, limits) for the file's app; its defaults unless set. */
  app?: Parameters<typeof startTestApp>[0]
  /**
   * `true`: the client sends the admin's bearer token (`t.token`), as a Rill Flow call must once the
   * file adds a second user; else none (loopback while the admin is the only user).
   */
  token?: boolean
}

/**
 * A JobDesk app, the sample executor (unless `sampleExecutor: false`) and a Rill Flow client for a
 * test file or describe: started before its tests (60 s allowed: an app's start is slow on a loaded
 * machine) and stopped after them. The fields are set once that beforeAll has run: take them in a
 * later beforeAll (`beforeAll(() => ({ t, rill } = suite))`) or read them in the tests.
 */
export function rillSuite(options: RillSuiteOptions = {}): RillSuite {
  const suite = {} as RillSuite
  beforeAll(async () => {
    const [t, exec] = await Promise.all([startTestApp(options.app), options.sampleExecutor === false ? undefined : startSampleExecutor()])
    suite.t = t
    if (exec) suite.exec = exec
    suite.rill = rillClient(suite.t.url, options.token ? suite.t.token : undefined)
  }, 60_000)
  afterAll(async () => {
    await suite.t?.close()
    await suite.exec?.close()
  })
  return suite
}
