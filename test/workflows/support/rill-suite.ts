import { afterAll, beforeAll } from 'vitest'
import { startTestApp, type TestApp } from '../../support/app'
import { rillClient } from './rill-client'
import { startSampleExecutor, type SampleExecutor } from './sample-executor'

export interface RillSuite {
  t: TestApp
  exec: SampleExecutor
  rill: ReturnType<typeof rillClient>
}

/** A JobDesk app, the sample executor and a Rill Flow client for a test file; stopped after it. */
export function rillSuite(): RillSuite {
  const suite = {} as RillSuite
  beforeAll(async () => {
    ;[suite.t, suite.exec] = await Promise.all([startTestApp(), startSampleExecutor()])
    suite.rill = rillClient(suite.t.url)
  })
  afterAll(async () => {
    await suite.t?.close()
    await suite.exec?.close()
  })
  return suite
}
