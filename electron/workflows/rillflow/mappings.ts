// Rill Flow input/output mappings and conditions (JSONPathInputOutputMapping.java, ConditionsUtil.java;
// rillflow.md §1.4, §2.1). Paths follow Jayway semantics via ./jsonpath; the Aviator `transform` is
// injected through hooks so this module never evaluates script text itself. Each pass (one
// applyMappings call) works within one PassBudget (value-budget.ts): steps, copies, context size.

import { checkJsonShape, countJsonContainers, MAX_JSON_CONTAINERS } from '../../../shared/json-limits'
import type { Mapping } from './descriptor/types'
import { isJsonObject, JsonPathError, PathBudgetError, pathMatches, PathWork, readPath, writePath, writePlaces } from './jsonpath'
import { DECIMAL } from './jsonpath/json'
import { copyContainers, PassBudget, PassBudgetError, shareReadOnly, ValueTooLargeError, type WritePlace } from './value-budget'

export type { Mapping }

export interface MappingEnv {
  source: unknown
  context: unknown
  input: unknown
  output: unknown
}

export interface MappingHooks {
  /**
   * Evaluates an Aviator `transform` script; its result replaces the source value. Its steps and
   * its copy of the source are spent from `budget`, the pass's (see applyMappings).
   */
  transform?: (script: string, env: MappingEnv, budget: PassBudget) => unknown
  /** The task whose mappings these are, named in the errors of a pass that runs out of budget. */
  task?: string
  /**
   * A value over VALUE_LIMITS (ValueTooLargeError) stops the pass with a MappingError naming the rule
   * (its cause the ValueTooLargeError), whatever the rule's tolerance, instead of being skipped: for a
   * wakeup, whose client can send less, rather than a value silently left out.
   */
  refuseTooLarge?: boolean
  /**
   * Told each rule that failed and was skipped for its tolerance (any but `tolerance: false`), with
   * why (the error's message: a transform's parse error with its position, its 100,000 steps used
   * up, a path that does not read), as upstream logs it: the job's log, the dry run's `skipped`.
   * Not told of what stops the pass (a MappingError is thrown instead).
   */
  skipped?: (rule: Mapping, reason: string) => void
  /**
   * Told each rule that wrote nothing because its JSONPath source matched nothing (or only null), with
   * a note on why when one can be told (`$.it`: the root holds only context, input and output).
   * Upstream writes nothing and logs nothing then (its read has DEFAULT_PATH_LEAF_TO_NULL, and a null
   * is not written); so does a pass here, but it tells: a foreach of 3,000 suspense tasks whose input
   * rule read `$.it` gave each an empty input, in silence, and waited for ever (#9).
   */
  unmatched?: (rule: Mapping, note: string) => void
  /** Builds the callback URL for `$.tasks.<task>.trigger_url[?query]`. */
  triggerUrl?: (taskName: string, query: string | undefined) => string
  /**
   * Told the characters of each constant a source of these mappings parsed (not found cached): the
   * engine charges them to the tick that runs the mappings (CONSTANT_PARSE_CHARGE). Mappings run
   * outside an engine tick (mapping_evaluation.json, a completion callback) leave it unset.
   */
  parsed?: (chars: number) => void
}

export interface MappingRoot {
  context: unknown
  input: unknown
  output: unknown
}

export class MappingError extends Error {
  constructor(
    message: string,
    readonly mapping: Mapping,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'MappingError'
  }
}

/** application.properties defaults: rill.flow.server.host + rill.flow.function.trigger.uri. */
const DEFAULT_TRIGGER_URL = 'http://127.0.0.1:8080/flow/trigger.json'

/** YAML may hand us numbers or booleans where upstream (Jackson) coerces to String. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** StringUtils.isNotBlank, returning the text itself. */
function nonBlank(value: unknown): string | undefined {
  const text = textOf(value)
  return text !== undefined && text.trim() !== '' ? text : undefined
}

/** `mapping (source: $.context.x, target: $.input.x)`: a rule as errors and log lines name it. */
export function describeMapping(mapping: Mapping): string {
  const source = textOf(mapping.source) ?? textOf(mapping.transform) ?? '<none>'
  return `mapping (source: ${source}, target: ${textOf(mapping.target) ?? '<none>'})`
}

/** Whether parseSource reads `text` (trimmed) as JSON: only text that starts like a list or a map can be one. */
const startsLikeContainer = (text: string): boolean => text[0] === '{' || text[0] === '['

/**
 * Checks a constant that parseSource would read as JSON (a mapping's constant `source`, a
 * defaultContext value) with checkJsonShape, for the descriptor's reader to refuse it where it is
 * written: throws its AppError naming `field` (too deep, too many lists and maps, or keys). Returns how many
 * lists and maps it holds (0 for other text).
 */
export function checkConstantShape(text: string, field: string): number {
  const trimmed = text.trim()
  if (!startsLikeContainer(trimmed)) return 0
  checkJsonShape(trimmed, field)
  return countJsonContainers(trimmed)
}

/**
 * Constants parsed as JSON lists and maps, by their trimmed text, least recently used first: a
 * constant is parsed once, not at every run (a foreach of 6 parsed one of 495,000 lists six times,
 * holding the thread 7.9 s; atk30) nor at every submit (defaultContext). Bounded by CONSTANT_CACHE.
 */
const constants = new Map<string, { value: object | null; containers: number }>()
/**
 * What parsing a constant (a cache miss: JSON.parse, freezing and measuring, ~0.2 µs a character for
 * a map of 95,000 keys at load 12-14) costs, in characters of JSON saved per character parsed
 * (engine/budget.ts TICK_MAX_BYTES, ~0.01-0.03 µs each): the tick that parsed a large constant stops
 * early (its first run held the event loop 0.7 s parsing a 0.95 MB one with 5 other items' work in the
 * same turn). Charged through MappingHooks.parsed, to the tick whose mappings parsed it only: a
 * module-wide count, taken by whichever tick asked next, charged one user's job with another's
 * parses (a mapping_evaluation.json request's, a submit's defaultContext).
 */
export const CONSTANT_PARSE_CHARGE = 4
/**
 * How many constants, characters of their texts and lists and maps of their values (all together)
 * the cache keeps at most: 640,000 empty lists are some 30 MB.
 */
const CONSTANT_CACHE = { entries: 1000, chars: 8 << 20, containers: 2 * MAX_JSON_CONTAINERS }
const cached = { chars: 0, containers: 0 }

/**
 * The JSON list or map `text` (trimmed) holds, shared and read-only (frozen: shareReadOnly; a
 * mapping writes it as it is, a caller that changes it copies it), or null when it is not one. Throws checkJsonShape's AppError for a text too deep or of too
 * many lists and maps (a descriptor stored before they were refused at add_descriptor).
 */
function constantContainer(text: string, parsed?: (chars: number) => void): object | null {
  // a failed JSON.parse costs an exception, and 30,000 plain defaultContext values made a submit
  // spend ~200 ms on them (#9 §2)
  if (!startsLikeContainer(text)) return null
  const hit = constants.get(text)
  if (hit !== undefined) {
    constants.delete(text) // most recently used last
    constants.set(text, hit)
    return hit.value
  }
  checkJsonShape(text, 'a JSON constant')
  parsed?.(text.length)
  let value: unknown = null
  try {
    value = JSON.parse(text)
  } catch {
    // not JSON: the text itself
  }
  return cacheConstant(text, value)
}

/**
 * Parses the JSON list or map `text` (a descriptor's constant source, trimmed) with `parse` (the JSON
 * worker: off the main thread) and caches it as constantContainer does, so that the first run mapping
 * it does not parse it inside an engine tick (0.95 MB of one map of 95,000 keys: ~0.36 s at load 6).
 * A text already cached, not a list or map, or that `parse` refuses, is left to constantContainer.
 */
export async function warmConstant(text: string, parse: (text: string) => Promise<unknown>): Promise<void> {
  if (!startsLikeContainer(text) || constants.has(text)) return
  let parsed: unknown
  try {
    parsed = await parse(text)
  } catch {
    return // refused (too deep, a `__proto__` key, not JSON): constantContainer says so at run time
  }
  if (!constants.has(text) && typeof parsed === 'object' && parsed !== null) cacheConstant(text, parsed)
}

/** Caches the value `parsed` from the constant `text` (null: not a list or map), read-only; returns it. */
function cacheConstant(text: string, parsed: unknown): object | null {
  const value = typeof parsed === 'object' && parsed !== null ? shareReadOnly(parsed) : null // written as it is, never copied per run (copy on write)
  const containers = value === null ? 0 : countJsonContainers(text)
  constants.set(text, { value, containers })
  cached.chars += text.length
  cached.containers += containers
  for (const [old, entry] of constants) {
    if (constants.size <= CONSTANT_CACHE.entries && cached.chars <= CONSTANT_CACHE.chars && cached.containers <= CONSTANT_CACHE.containers) break
    constants.delete(old) // the oldest first; the one just parsed too, when it alone is over a bound
    cached.chars -= old.length
    cached.containers -= entry.containers
  }
  return value
}

/** parseSource, with a JSON list or map shared from the cache (constantContainer) rather than a copy of its own; `parsed` as MappingHooks.parsed. */
function sharedSource(text: string, parsed?: (chars: number) => void): unknown {
  const trimmed = text.trim()
  if (trimmed === '') return text
  const json = constantContainer(trimmed, parsed)
  if (json !== null) return json
  const lower = trimmed.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  if (DECIMAL.test(trimmed)) {
    const number = Number(trimmed)
    return trimmed.includes('.') ? number : Math.trunc(number) || 0
  }
  return text
}

/**
 * Rill Flow parseSource: a JSON object/array, true/false (any case), a number (BigDecimal syntax;
 * without a '.' it is truncated like longValue()), otherwise the original string untouched. A JSON
 * object or array is the caller's own (a copy of the one parsed once: constantContainer). Throws an
 * AppError for JSON too deep or of too many lists and maps (checkJsonShape).
 */
export function parseSource(text: string): unknown {
  const value = sharedSource(text)
  return typeof value === 'object' && value !== null ? copyContainers(value) : value
}

/** JSONPathInputOutputMapping.tryToGenerateTriggerUrl; any other `$.tasks.X.Y` reads as null. */
function taskSourceValue(source: string, root: MappingRoot, hooks: MappingHooks | undefined): unknown {
  const [, , taskName = '', key = ''] = source.split('.')
  if (key !== 'trigger_url' && !key.startsWith('trigger_url?')) return null
  // Upstream appends only the text between the first and second '?'.
  const query = source.split('?')[1] || undefined
  if (hooks?.triggerUrl) return hooks.triggerUrl(taskName, query)
  const executionId = isJsonObject(root.context) ? textOf(root.context.flow_execution_id) : undefined
  const base = `${DEFAULT_TRIGGER_URL}?execution_id=${executionId ?? ''}&task_name=${taskName}`
  return query === undefined ? base : `${base}&${query}`
}

/** Jayway read; InvalidPathException (PathNotFoundException included) reads as null upstream. A used-up `work` throws PathBudgetError. */
function readOrNull(root: MappingRoot, path: string, work: PathWork): unknown {
  try {
    return readPath(root, path, work) ?? null
  } catch (err) {
    if (err instanceof JsonPathError) return null
    throw err
  }
}

function sourceValue(source: string, root: MappingRoot, hooks: MappingHooks | undefined, work: PathWork): unknown {
  if (source.startsWith('$.tasks.') && source.split('.').length > 3) return taskSourceValue(source, root, hooks)
  if (source.startsWith('$')) return readOrNull(root, source, work)
  return sharedSource(source, hooks?.parsed) // a constant list or map is shared and read-only: a pass writes it as it is (copy on write)
}

/**
 * Steps 1–4 of rillflow.md §2.1: trigger URL, JsonPath read, constant, then `transform`, within
 * `budget` (a pass's; a fresh one when not given). Returns null when there is nothing to write; a
 * list or map returned may be shared (the context's, a cached constant's): copy it to change it.
 * Throws MappingError when a transform is set but no transform hook is, PathBudgetError when the
 * read uses up the budget's paths, and lets errors thrown by the hooks propagate (PassBudgetError
 * among them).
 */
export function evaluateSource(mapping: Mapping, root: MappingRoot, hooks?: MappingHooks, budget = new PassBudget()): unknown {
  const source = nonBlank(mapping.source)
  const value = source === undefined ? null : sourceValue(source, root, hooks, budget.paths)
  const transform = nonBlank(mapping.transform)
  if (transform === undefined) return value
  if (!hooks?.transform) throw new MappingError(`${describeMapping(mapping)}: no transform evaluator`, mapping)
  const env: MappingEnv = { source: value, context: root.context, input: root.input, output: root.output }
  return hooks.transform(transform, env, budget) ?? null
}

/** Upstream drops rules without a target, or without both source and transform. */
export function isRunnable(rule: Mapping): boolean {
  return nonBlank(rule.target) !== undefined && (nonBlank(rule.source) !== undefined || nonBlank(rule.transform) !== undefined)
}

function applyRule(rule: Mapping, root: MappingRoot, hooks: MappingHooks | undefined, budget: PassBudget): void {
  const value = evaluateSource(rule, root, hooks, budget)
  if (value === null || value === undefined) {
    if (hooks?.unmatched) tellUnmatched(rule, hooks.unmatched)
    return
  }
  // Written values are copies (upstream's context round-trips through JSON between tasks), so a
  // mapped object never aliases the context; the copy is bounded, and counted before it is built
  // against the pass's copies and the size the context may grow to (value-budget.ts). A read-only
  // constant is not copied: it cannot change, and writes into it copy on write (jsonpath/write.ts).
  const target = nonBlank(rule.target) ?? ''
  const place = placeOf(root, target, budget.paths)
  refuseRootReplacement(root, place)
  const copy = budget.copyFor(value, place)
  try {
    writePath(root, target, copy, budget.paths)
  } finally {
    budget.wrote(place)
  }
}

/** A source path under a name the root has not (`$.it`, not `$.context.it`, `$..it` or `$.*`): it can match nothing (also the workflow check's: unmatched-sources.ts). */
export const OUTSIDE_ROOT = /^\$\.(?!(?:context|input|output)(?:$|[.[]))[\w-]/

/**
 * Tells `unmatched` of `rule`, which wrote nothing, when that is because its JSONPath source matched
 * nothing: a `$` source, not a `$.tasks.` one (a trigger URL, or null by design), and no transform
 * (whose null may be meant, whatever its source read).
 */
function tellUnmatched(rule: Mapping, unmatched: (rule: Mapping, note: string) => void): void {
  const source = nonBlank(rule.source)
  if (source === undefined || !source.startsWith('$') || source.startsWith('$.tasks.') || nonBlank(rule.transform) !== undefined) return
  const target = nonBlank(rule.target) ?? ''
  const hint = !OUTSIDE_ROOT.test(source.trim()) ? '' : ` (the mapping root holds only $.context, $.input and $.output: a foreach's item is $.context.<item>)`
  unmatched(rule, `source ${source} matched nothing, so ${target} was not written${hint}`)
}

/**
 * Throws a JsonPathError when `place` is one of `root`'s own values (`$.context`, `$['input']`, `$.*`):
 * the pass's caller keeps the objects it passed in, so a replaced one would be lost, and with it every
 * later rule's write into it (upstream's setValue loses them the same way, silently). A failing rule,
 * skipped (and logged) or thrown as any other for its tolerance; the rules after it apply.
 */
function refuseRootReplacement(root: MappingRoot, place: WritePlace): void {
  for (const name of ['context', 'input', 'output'] as const) {
    if (place.replaced.includes(root[name])) throw new JsonPathError(`cannot replace the whole $.${name}; write under it ($.${name}.<key>)`)
  }
}

/** A target that writes only into the context or the input: `$.context`, `$.context.x`, `$.input[0]` (a deep scan under either too). */
const CONTEXT_OR_INPUT_TARGET = /^\$\.(?:context|input)(?:$|[.[])/

/**
 * Whether a pass of `rules` may write into its root's `output` (a target such as `$.output.x`, or one
 * not plainly under `$.context` or `$.input`: `$..x`, `$['output']`); false when none of them can.
 */
export function mayWriteOutput(rules: Mapping[] | undefined): boolean {
  return (rules ?? []).some((rule) => isRunnable(rule) && !CONTEXT_OR_INPUT_TARGET.test(nonBlank(rule.target) ?? ''))
}

/** The value a write to `target` lands in (`$.context…`: the context), what it replaces there, what it changes. */
function placeOf(root: MappingRoot, target: string, work: PathWork): WritePlace {
  const { top, replaced, changes, framing, commaIn } = writePlaces(root, target, work)
  if (top === 'context' || top === 'input' || top === 'output') return { name: top, holder: root[top], replaced, changes, framing, commaIn }
  return { name: 'mapping root', holder: root, replaced, changes, framing, commaIn }
}

function asMappingError(err: unknown, rule: Mapping): MappingError {
  if (err instanceof MappingError && err.mapping === rule) return err
  const reason = err instanceof Error ? err.message : String(err)
  return new MappingError(`${describeMapping(rule)} failed: ${reason}`, rule, { cause: err })
}

/**
 * Runs the rules in order against `root` (reads see earlier writes): one mapping pass. Targets such
 * as `$.input.x` or `$.context.a[2].b` are written into the objects `root` holds, creating what is
 * missing; null results are not written. A failing rule is skipped, and `hooks.skipped` told (upstream
 * logs it), unless it says `tolerance: false`, which throws a MappingError naming its source and target. The pass
 * works within one PassBudget (value-budget.ts): when it runs out (transform steps, copies, or
 * the size the context may reach), the pass stops with a MappingError naming the rule that ran
 * out, whatever its tolerance; so does a JSONPath source or target that uses up the pass's nodes
 * (PathBudgetError, naming the path), and a value over VALUE_LIMITS when `hooks.refuseTooLarge`. `paths`, when given, is the PathWork the pass's paths spend
 * (shared with the other evaluations of one step, such as a foreach start's); else its own.
 */
export function applyMappings(
  rules: Mapping[],
  root: { context: Record<string, unknown>; input: Record<string, unknown>; output: Record<string, unknown> },
  hooks?: MappingHooks,
  paths?: PathWork,
): void {
  const budget = new PassBudget(paths)
  for (const rule of rules) {
    if (!isRunnable(rule)) continue
    try {
      applyRule(rule, root, hooks, budget)
    } catch (err) {
      if (err instanceof PassBudgetError || err instanceof PathBudgetError || (hooks?.refuseTooLarge && err instanceof ValueTooLargeError)) {
        throw new MappingError(`${describeMapping(rule)}${hooks?.task ? ` of task ${hooks.task}` : ''}: ${err.message}`, rule, { cause: err })
      }
      if (rule.tolerance === false) throw asMappingError(err, rule)
      hooks?.skipped?.(rule, err instanceof Error ? err.message : String(err))
    }
  }
}

/**
 * ConditionsUtil: each condition is a JsonPath read with SUPPRESS_EXCEPTIONS + AS_PATH_LIST over
 * `root` (e.g. `{input}` or `{output}`) and holds when it finds a node. `all` of none is true and
 * `any` of none is false, as Java's allMatch/anyMatch. The conditions spend from `work` together
 * (a fresh PathWork when not given; a task's cases may share one): PathBudgetError, naming the
 * condition, when they use it up.
 */
export function conditionsMatch(
  conditions: string[] | undefined,
  root: object,
  mode: 'all' | 'any',
  work = new PathWork('the conditions of one check together'),
): boolean {
  const list = conditions ?? []
  const holds = (condition: unknown): boolean => typeof condition === 'string' && pathMatches(root, condition, work)
  return mode === 'all' ? list.every(holds) : list.some(holds)
}

/** `reference: NAME` rules are replaced by copies of `commonMapping[NAME]`; other rules stay. */
export function expandReferences(rules: Mapping[], common: Record<string, Mapping[]> | undefined): Mapping[] {
  const expanded: Mapping[] = []
  for (const rule of rules) {
    const name = nonBlank(rule.reference)
    if (name === undefined) {
      expanded.push(rule)
      continue
    }
    const shared = common !== undefined && Object.hasOwn(common, name) ? common[name] : undefined
    if (!Array.isArray(shared)) throw new MappingError(`unknown commonMapping reference '${name}'`, rule)
    expanded.push(...shared.map((mapping) => ({ ...mapping })))
  }
  return expanded
}
