// Rill Flow's names (workspace, DAG, alias): one rule for the descriptor checks, the alias routes and
// the store's migration 024, which drops stored gray rules whose alias breaks it (the store may import
// shared/ but not the workflows code above it).

/** Workspace, DAG and alias names: letters and digits (DescriptorController, modify_alias.json). */
export const NAME_PATTERN = /^[a-zA-Z0-9]+$/
/** The longest workspace, DAG or alias name, in characters. */
export const NAME_MAX_LENGTH = 100

/**
 * What is wrong with `alias` as an alias name, or undefined when it is one: letters and digits, as
 * Rill Flow's modify_alias.json takes them (DescriptorController), at most NAME_MAX_LENGTH characters
 * (the limit of workspace and DAG names; a longer one once wrapped the editor's save notice off the page).
 */
export function aliasProblem(alias: string): string | undefined {
  if (!NAME_PATTERN.test(alias)) return 'an alias is letters and digits only'
  if (alias.length > NAME_MAX_LENGTH) return `an alias is at most ${NAME_MAX_LENGTH} characters`
  return undefined
}

/**
 * Task names that would change what mapping paths mean: the descriptor rewrite reads `$.<task>.…` as
 * the task's output (rillflow.md §1.4), so a task named `context` would turn every `$.context.x` into
 * a read of that task, and `input`, `output`, `tasks` are the other roots a mapping reads (§2.1).
 * Upstream's FlowDAGValidator does not reserve them; JobDesk refuses them rather than change a DAG's
 * meaning silently. Case-sensitive, as JsonPath keys are.
 */
export const RESERVED_TASK_NAMES: readonly string[] = ['context', 'input', 'output', 'tasks']

/**
 * Why `name` cannot be a task name because it is reserved (a sentence ending in "rename the task"),
 * or undefined. One rule for add_descriptor (descriptor/validate.ts) and the graph's rename (dag-edit.ts).
 */
export function reservedTaskNameProblem(name: string): string | undefined {
  if (!RESERVED_TASK_NAMES.includes(name)) return undefined
  return `"${name}" is reserved: mapping paths read $.${name}… as the run's own data, not as a task's output; rename the task`
}
