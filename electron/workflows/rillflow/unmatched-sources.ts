// The workflow check's list of mappings whose JSONPath source can match nothing (#9 §5): at run time
// such a rule writes nothing and the job's log says so in a WARN line (mappings.ts tellUnmatched); the
// check under the editor says it before the run, as a warning (the run is not refused: a wakeup or a
// task may still write the value, and Rill Flow runs it as written).

import type { Dag, Mapping, Task } from './descriptor'
import type { YamlPath } from './descriptor/lines'
import { subLevel, topLevel, type TaskRef } from './descriptor/walk'
import { OUTSIDE_ROOT } from './mappings'

/** A warning of the check: where (the rule's `source` field) and what. */
export interface UnmatchedSource {
  field: YamlPath
  message: string
}

/** `$.context.<key>` and what follows, the key a plain name: the only sources (and targets) read here. */
const CONTEXT_KEY = /^\$\.context\.([A-Za-z_$][\w$-]*)(?:$|[.[])/
/** `$.input.<key>` likewise (a foreach's or choice's input rules: their targets make its groups' contexts). */
const INPUT_KEY = /^\$\.input\.([A-Za-z_$][\w$-]*)(?:$|[.[])/

/**
 * The keys a context of one level may hold, or null when they cannot be told from the descriptor (the
 * top level without an inputSchema: the run's context gives what it likes; a rule writing the context
 * or a group's input at a place not of the form `$.context.<name>`).
 */
type Keys = { keys: Set<string>; said: string } | null

/**
 * Each input or output mapping of `dag` whose source reads `$.context.<key>` where no context of its
 * level can hold `key`, or reads outside the mapping root (`$.it`): with the rule's field path
 * (`tasks[0].tasks[0].inputMappings[0].source`) and a message naming the task, the rule, the source
 * and why. A level's context holds: at the top, the inputSchema's fields (`schema`: their names; none
 * given, the top level is not checked); in a foreach's groups, its input's keys (its inputMappings'
 * `$.input.<key>` targets, less the collection's) with its item and index; in a choice's, its input's
 * keys; and at every level, whatever a task of it (or under it) writes (`$.context.<key>` targets),
 * wherever that task runs. Rules with a transform are not checked (the script may mean a null), nor
 * sources that are not a plain path (`$.tasks.…`, a constant).
 */
export function unmatchedSources(dag: Dag, schema: readonly string[] | undefined): UnmatchedSource[] {
  const found: UnmatchedSource[] = []
  const visit = (level: TaskRef[], keys: Keys): void => {
    const scope = withWrites(keys, level)
    for (const ref of level) {
      for (const kind of ['inputMappings', 'outputMappings'] as const) {
        for (const [i, rule] of (ref.task[kind] ?? []).entries()) {
          const why = unmatchedWhy(rule, scope)
          if (why) found.push({ field: [...ref.path, kind, i, 'source'], message: `task ${ref.task.name}: ${kind}[${i}] reads ${rule.source!.trim()}, which matches nothing: ${why}; it writes nothing` })
        }
      }
      const children = subLevel(ref)
      if (children.length) visit(children, groupKeys(ref.task))
    }
  }
  visit(topLevel(dag.tasks), schema ? { keys: new Set(schema), said: 'the run’s context (inputSchema)' } : null)
  return found
}

/** Why `rule`'s source matches nothing in a context of `scope`, or null when it may match (or is not checked). */
function unmatchedWhy(rule: Mapping, scope: Keys): string | null {
  const source = typeof rule.source === 'string' ? rule.source.trim() : ''
  if (!source.startsWith('$') || (typeof rule.transform === 'string' && rule.transform.trim() !== '')) return null
  if (OUTSIDE_ROOT.test(source)) return `the mapping root holds only $.context, $.input and $.output (a foreach's item is $.context.<item>)`
  const key = CONTEXT_KEY.exec(source)?.[1]
  if (key === undefined || scope === null || scope.keys.has(key)) return null
  const held = [...scope.keys].sort()
  return `nothing in the context at that path: ${scope.said} holds ${held.length ? `only ${held.join(', ')}` : 'nothing'}, and no task writes $.context.${key}`
}

/** `keys` and the context keys written by the tasks of `level` and those under them; null if one writes elsewhere in the context. */
function withWrites(keys: Keys, level: TaskRef[]): Keys {
  if (keys === null) return null
  const all = new Set(keys.keys)
  const walk = (refs: TaskRef[]): boolean =>
    refs.every((ref) => {
      for (const rule of ref.task.outputMappings ?? []) {
        const target = typeof rule.target === 'string' ? rule.target.trim() : ''
        if (!target.startsWith('$.context') && !target.startsWith('$[')) continue
        const key = CONTEXT_KEY.exec(target)?.[1]
        if (key === undefined) return false
        all.add(key)
      }
      return walk(subLevel(ref))
    })
  return walk(level) ? { keys: all, said: keys.said } : null
}

/** The keys of the context of a foreach's or choice's groups (groups.ts foreachSubContext, startChoice), before their tasks write. */
function groupKeys(task: Task): Keys {
  const keys = new Set<string>()
  for (const rule of task.inputMappings ?? []) {
    const key = INPUT_KEY.exec(typeof rule.target === 'string' ? rule.target.trim() : '')?.[1]
    if (key === undefined) return null
    keys.add(key)
  }
  if (task.category !== 'foreach') return { keys, said: `the context of choice ${task.name}'s branches (its input)` }
  const { collection, item = 'item', index } = task.iterationMapping
  const listed = /^\$\.input\.(\w+)$/.exec(collection)?.[1]
  if (listed !== undefined) keys.delete(listed) // the collection is not in a group's context (nested-fanout.ts foreachBase)
  keys.add(item)
  if (index) keys.add(index)
  return { keys, said: `the context of foreach ${task.name}'s items (its input, item and index)` }
}
