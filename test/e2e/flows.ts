// Workflow descriptors (and a run of one) that more than one browser test uses.
import { api, poll, type Served } from './support'

/** A chain whose second task calls a port nothing listens on: `boom` fails, `after` and `last` are never reached. */
export const FAILING_FLOW = `workspace: demo
dagName: failing
type: flow
tasks:
  - {category: pass, name: start, next: boom}
  - {category: function, name: boom, pattern: task_sync, resourceName: "http://127.0.0.1:1/nothing-listens-here", next: after}
  - {category: pass, name: after, next: last}
  - {category: pass, name: last}
`

/** The #13 trials' wide workflow: twelve tasks side by side (w01…w12, in that order) between start and join. */
export const WIDE_FLOW = `workspace: trial
dagName: wide
type: flow
tasks:
  - {category: pass, name: start, next: "w01,w02,w03,w04,w05,w06,w07,w08,w09,w10,w11,w12"}
${Array.from({ length: 12 }, (_, i) => `  - {category: pass, name: w${String(i + 1).padStart(2, '0')}, next: join}`).join('\n')}
  - {category: pass, name: join}
`

/** A workflow `workspace:dagName` of one pass task, `only`: its runs succeed at once. */
export const onePassFlow = (workspace: string, dagName: string): string => `workspace: ${workspace}
dagName: ${dagName}
type: flow
tasks:
  - {category: pass, name: only}
`

/**
 * A workflow `workspace:dagName` whose one task waits for a wakeup with `go: true` that no test
 * sends: its runs stay running until cancelled.
 */
export const waitingFlow = (workspace: string, dagName: string): string => `workspace: ${workspace}
dagName: ${dagName}
type: flow
tasks:
  - category: suspense
    name: wait
    conditions:
      - "$.input.[?(@.go == true)]"
    inputMappings:
      - {source: $.context.go, target: $.input.go}
`

/** Saves FAILING_FLOW as the admin (`token`), runs it and waits until the run has failed; resolves with its ids. */
export async function runFailingFlow(served: Served, token: string): Promise<{ descriptorId: string; jobId: number }> {
  const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FAILING_FLOW })
  const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
  await poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${jobId}`)).status).toBe('failed')
  return { descriptorId, jobId }
}

/**
 * A workflow `workspace:dagName` of one foreach over the context's `items`, `maxConcurrency` groups at
 * a time, each a suspense task `hold` waiting for a wakeup with `go: true`: its items wait, the rest unmade.
 */
export const throttledFlow = (workspace: string, dagName: string, maxConcurrency: number): string => `workspace: ${workspace}
dagName: ${dagName}
type: flow
tasks:
  - category: foreach
    name: each
    iterationMapping: {collection: $.input.items, item: it}
    synchronization: {maxConcurrency: "${maxConcurrency}"}
    inputMappings: [{source: $.context.items, target: $.input.items}]
    tasks:
      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
         inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
`
