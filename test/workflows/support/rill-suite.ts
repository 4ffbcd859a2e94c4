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

/**
 * A JobDesk app, the sample executor (unless `sampleExecutor: false`: the file's flows call no
 * service) and a Rill Flow client for a test file; stopped after it.
 */
export function rillSuite(options: { sampleExecutor?: boolean } = {}): RillSuite {
  const suite = {} as RillSuite
  beforeAll(async () => {
    const [t, exec] = await Promise.all([startTestApp(), options.sampleExecutor === false ? undefined : startSampleExecutor()])
    suite.t = t
    if (exec) suite.exec = exec
    suite.rill = rillClient(suite.t.url)
  })
  afterAll(async () => {
    await suite.t?.close()
    await suite.exec?.close()
  })
  return suite
}
