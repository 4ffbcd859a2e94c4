// The descriptors the attack tests build on: one foreach over `$.context.items`, a parent whose one
// task starts a sub-flow, and JSON of one wide map. Each test said them again in full; what differs
// between them is given here as options.

/** What sets one foreachDescriptor apart. */
export interface ForeachShape {
  /** The foreach task's name ('each' unless given). */
  name?: string
  /**
   * Context keys mapped into its input by the same name, after `items` (or in this order, where the
   * list names `items`); an entry that starts with `{` is a mapping as written (a YAML flow map).
   */
  inputs?: string[]
  /** The name the item's index is given in each group's context, if any. */
  index?: string
  /** Its outputMappings, each a YAML flow map (`{source: "…", target: "…"}`). */
  output?: string[]
  /** Its sub-tasks: a YAML flow list (`[{…}]`), or block items indented six spaces (passTask). */
  tasks: string
}

/**
 * The text of a Rill Flow descriptor `workspace:dagName` of one foreach task over `$.context.items`,
 * each item as `it` in its group's context; the rest as `shape` says.
 */
export function foreachDescriptor(workspace: string, dagName: string, shape: ForeachShape): string {
  const lines = [
    `workspace: ${workspace}`,
    `dagName: ${dagName}`,
    'type: flow',
    'tasks:',
    '  - category: foreach',
    `    name: ${shape.name ?? 'each'}`,
    '    inputMappings:',
    ...(shape.inputs?.includes('items') ? shape.inputs : ['items', ...(shape.inputs ?? [])]).map((key) => `      - ${key.startsWith('{') ? key : `{source: "$.context.${key}", target: "$.input.${key}"}`}`),
    `    iterationMapping: {collection: "$.input.items", item: it${shape.index ? `, index: ${shape.index}` : ''}}`,
    ...(shape.output?.length ? ['    outputMappings:', ...shape.output.map((m) => `      - ${m}`)] : []),
    shape.tasks.startsWith('[') ? `    tasks: ${shape.tasks}` : `    tasks:\n${shape.tasks.replace(/\n$/, '')}`,
  ]
  return `${lines.join('\n')}\n`
}

/**
 * A pass sub-task P of a foreach (block YAML items under its `tasks:`) whose one output mapping writes
 * `source` (as YAML: quote it) to `target`.
 */
export const passTask = (source: string, target: string): string =>
  `      - category: pass\n        name: P\n        outputMappings:\n          - {source: ${source}, target: "${target}"}\n`

/**
 * The text of a Rill Flow descriptor `workspace:parent` of one function task `sub` that runs the
 * sub-flow `workspace:child` (flow_sync) with these inputMappings and outputMappings (YAML flow maps,
 * `{source: "…", target: "…"}`).
 */
export function subflowParent(workspace: string, mappings: { input: string[]; output: string[] }): string {
  const lines = [
    `workspace: ${workspace}`,
    'dagName: parent',
    'type: flow',
    'tasks:',
    '  - category: function',
    '    name: sub',
    '    pattern: flow_sync',
    `    resourceName: "rillflow://${workspace}:child"`,
    '    inputMappings:',
    ...mappings.input.map((m) => `      - ${m}`),
    '    outputMappings:',
    ...mappings.output.map((m) => `      - ${m}`),
  ]
  return `${lines.join('\n')}\n`
}

/** One JSON map of keys "k0".."k…" (each to 0), just under `chars` characters. */
export function wideMap(chars: number): string {
  const parts: string[] = []
  for (let len = 2, i = 0; len < chars - 20; i++) {
    const p = `"k${i.toString(36)}":0`
    parts.push(p)
    len += p.length + 1
  }
  return `{${parts.join(',')}}`
}

/**
 * `workspace:dagName`: a foreach `f` over `$.context.items` (each item a pass task `p`, which maps the
 * item into its input unless `options.bare`), then `options.chain` pass tasks `c0`, `c1`, … (none
 * unless given), then `last`, a call to a closed port: the execution fails after the foreach, so it
 * can be redone from `f`.
 */
export function foreachThenFailingCall(workspace: string, dagName: string, options: { chain?: number; bare?: boolean } = {}): string {
  const chain = options.chain ?? 0
  const links = Array.from({ length: chain }, (_, i) => `  - {category: pass, name: c${i}, next: ${i + 1 < chain ? `c${i + 1}` : 'last'}}\n`).join('')
  const item = options.bare ? '{category: pass, name: p}' : '{category: pass, name: p, inputMappings: [{target: $.input.x, source: $.it}]}'
  return `workspace: ${workspace}
dagName: ${dagName}
type: flow
tasks:
  - category: foreach
    name: f
    next: ${chain ? 'c0' : 'last'}
    inputMappings: [{target: $.input.items, source: $.context.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - ${item}
${links}  - category: function
    name: last
    pattern: task_sync
    resourceName: http://127.0.0.1:1/x
`
}
