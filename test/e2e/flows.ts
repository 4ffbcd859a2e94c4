// Workflow descriptors more than one browser test runs.

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
