// One Rill Flow attack suite for the probe tests (#9 §2): the app in its own process on a fresh data
// dir, a Rill Flow client, and `underProbe`, the measure — the process lives and a status
// probe answers in under 200 ms while the hostile work runs.
import { expect } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../../support/served-process'
import { rillClient } from './rill-client'

/** Registers the suite's beforeAll/afterAll; call at the top of a probe test file. */
export function rillAttackSuite() {
  const app = servedProcessSuite()
  const rill = () => rillClient(app.url)
  const alive = () => app.child.exitCode === null && app.child.signalCode === null
  return {
    app,
    rill,
    /** Whether the served process is still running. */
    alive,
    /** The head of a descriptor in workspace `attack`. */
    head: (name: string) => `workspace: attack\ndagName: ${name}\ntype: flow\n`,
    /** add_descriptor.json with a YAML text; answers { status, body }. */
    add: (yaml: string) => rill().call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain'),
    /** Runs `work` under the probe; fails unless the process lives and every probe answered in time. */
    async underProbe<T>(work: () => Promise<T>): Promise<T> {
      const { result, probe } = await probeWhile(app, work)
      console.log(`probe maxMs ${Math.round(probe.maxMs)} over ${probe.count} probes, failures: ${probe.failures.length}`)
      expect(alive()).toBe(true)
      expectResponsive(probe)
      return result
    },
  }
}
