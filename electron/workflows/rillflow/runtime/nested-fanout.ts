// The items of a foreach (its collection, and what each group's sub-context shares), and the whole size of
// its fan-out with the foreaches nested in its groups: a foreach is weighed against its submitter's bound
// of held tasks at its start (groups.ts planForeach, JobControl.roomFor), and an inner foreach counted
// as one task there let 40 x 40 x 2 against a bound of 1,000 start inner foreaches, whose groups' tasks
// ran (real calls, for function tasks), until one of them failed "would add 80 tasks" (#9). An inner
// collection is known at the outer's start when it is read from what its group's sub-context holds then
// (the outer's input, its item, its index): counted then, without building a sub-context or a task.

import { counted } from '../../../../shared/number-format'
import type { FanOutShape } from '../../../../shared/quotas'
import type { ForeachTask, Mapping, Task } from '../descriptor/types'
import { PATH_WORK_LIMIT, PathBudgetError, PathWork, readPath } from '../jsonpath'
import { evaluateSource, isRunnable } from '../mappings'
import { PassBudget } from '../value-budget'

type Json = Record<string, unknown>

/** The items a foreach's input gives it (its collection, as read from `input`), or null when there are none. Throws PathBudgetError when the read uses up `work`. */
export function readCollection(def: ForeachTask, input: Json, work = new PathWork()): unknown[] | null {
  let collection: unknown
  try {
    collection = readPath({ input }, def.iterationMapping.collection, work)
  } catch (err) {
    if (err instanceof PathBudgetError) throw err // refused, not "no items": the job fails with the reason
    collection = null
  }
  return Array.isArray(collection) && collection.length > 0 ? collection : null
}

/** What every sub-context of a foreach shares: its input without the collection (when that is an input key), a shallow copy. */
export function foreachBase(def: ForeachTask, input: Json): Json {
  const base = { ...input }
  const key = /^\$\.input\.(\w+)$/.exec(def.iterationMapping.collection)?.[1]
  if (key) delete base[key]
  return base
}

/**
 * Inner foreaches' inputs evaluated by one estimate at most (an outer item each, for a collection read
 * from the item): past it, the rest of the items weigh only their inner collections' lengths, when these
 * are read plainly (plainCollectionKeys), and the rest is weighed as its foreaches start. Each is two
 * path reads and their garbage, 10-60 us of CPU at a load of 8-16 (tsx; 100k items each with a 100k-item
 * collection): 1,000 took 6-61 ms, 500 take 4-42 ms, in the outer's start, a tick of its own
 * (test/workflows/nested-fanout.test.ts logs it).
 */
export const NESTED_EVALUATIONS = 500

/** A value of an estimate's virtual input that is not known at the outer's start (a transform's result). */
const UNKNOWN = Symbol('not known at the start')

/**
 * One term of a fan-out's size: the item counts of the levels above multiplied, by `each` tasks a group
 * ("40 items x 40 items x 2 tasks"), or `varying` tasks in the groups of foreach `name`, counted item
 * by item. Numbers, put in words only for a refusal: formatting them per evaluation cost more than the
 * reads.
 */
type Term = { factors: number[]; each: number } | { factors: number[]; varying: number; name: string }

function termWords(t: Term): string {
  const tail = 'each' in t ? counted(t.each, 'task') : `${counted(t.varying, 'task')} in the groups of foreach ${t.name}, whose collections vary by item`
  return [...t.factors.map((n) => counted(n, 'item')), tail].join(' x ')
}

/** The tasks a foreach's groups add with those of the foreaches nested in them that are known, and how. */
interface Weight {
  tasks: number
  terms: Term[]
}

/** What one estimate may still count (`room`: tasks it may add before it is refused) and why it stopped. */
class Estimate {
  evaluations = 0
  stopped: 'room' | 'work' | null = null
  readonly paths = new PathWork("the estimate of one foreach's nested fan-out", PATH_WORK_LIMIT)
  readonly pass = new PassBudget(this.paths)
  constructor(readonly room: number) {}
}

/**
 * The tasks a foreach `def` over `collection` (read from its `input`) adds once all its groups have
 * started: each group's tasks, and for each inner foreach among them whose collection is known now,
 * that foreach's own groups' tasks, counted without building them, at any depth. `room`: how many tasks
 * it may add (JobControl.heldRoom); counting stops once they pass it (`shape.atLeast`: the count is the
 * part counted), or after NESTED_EVALUATIONS inner inputs (past which the remaining items add their
 * plainly read inner collections' lengths only, also `atLeast`), and is skipped when there is no bound.
 *
 * An inner foreach's collection is known when its input mappings read it, without a transform, from its
 * group's sub-context as it is made (the outer's input without the collection, with the item and index:
 * rillflow.md §2.3 foreach), and no other task of the group writes the keys they read into that
 * sub-context (a task's output mapped into `$.context.x`, a suspense's wakeup). Otherwise it is counted
 * as one task here, and its own groups are weighed when it starts, in batches as before: work done by
 * then stays done. A group's tasks are counted whether or not they will run (a skipped branch, a
 * degraded task), as the foreach's own whole-size check counts them.
 *
 * Returns the tasks and, when nested foreaches were counted, the shape that says how ("40 items x 1 task
 * + 40 items x 40 items x 2 tasks"); a read that uses up the estimate's path budget stops it as its
 * evaluation cap does. Throws nothing else.
 */
export function weighForeach(def: ForeachTask, input: Json, collection: unknown[], room: number): { tasks: number; shape?: FanOutShape } {
  const own = collection.length * def.tasks.length
  // a plain foreach, or no bound (an admin): its own size, as before, at no cost
  if (room === Infinity || own > room || plansOf(def).length === 0) return { tasks: own }
  const estimate = new Estimate(room)
  const weight = weighGroups(def, input, collection, estimate, 0)
  // a count the estimate stopped says so even with no nested term: its later items may hold more
  if (weight.terms.length === 1 && estimate.stopped === null) return { tasks: weight.tasks }
  const words = weight.terms.map(termWords).join(' + ')
  return { tasks: weight.tasks, shape: { words, atLeast: estimate.stopped !== null } }
}

/** An inner foreach `def` of a group whose collection can be known at the outer's start; `reads`: the sub-context keys its input mappings read ('*': any). */
interface Plan {
  def: ForeachTask
  reads: Set<string> | '*'
  /** The plain keys its collection is read by from its group's sub-context (plainCollectionKeys), or null. */
  keys: (string | number)[] | null
}

// by a foreach's definition: its inner foreaches that can be known at its start (a pure function of the definition)
const plans = new WeakMap<ForeachTask, Plan[]>()

function plansOf(def: ForeachTask): Plan[] {
  let found = plans.get(def)
  if (!found) {
    found = def.tasks.flatMap((t) => (t.category === 'foreach' ? (planOf(t, def.tasks) ?? []) : []))
    plans.set(def, found)
  }
  return found
}

const INPUT_KEY = /^\$\.input\.(\w+)$/

/** Whether a rule's value is made by a script (not known until it runs). */
const hasTransform = (rule: Mapping): boolean => String(rule.transform ?? '').trim() !== ''

/** `inner`'s plan when its collection can be known from its group's sub-context as it is made (weighForeach), else null. */
function planOf(inner: ForeachTask, group: Task[]): Plan | null {
  const rules = (inner.inputMappings ?? []).filter(isRunnable)
  // an input built only of `$.input.<key>` targets: evaluated over a plain object, nothing else written
  if (!rules.every((r) => INPUT_KEY.test(r.target!))) return null
  const reads = new Set<string>()
  for (const r of rules) {
    if (hasTransform(r)) continue // its value is not known: only matters if it is read
    const key = topKey(r.source!, 'context')
    if (key === '*') return { def: inner, reads: '*', keys: null }
    if (key !== undefined) reads.add(key)
  }
  // another task of the group that writes what it reads into the sub-context makes it known only then
  for (const t of group) {
    if (t === inner) continue
    for (const r of [...(t.inputMappings ?? []), ...(t.outputMappings ?? [])]) {
      if (!isRunnable(r)) continue
      const written = topKey(r.target!, 'context')
      if (written === '*' || (written !== undefined && reads.has(written))) return null
    }
  }
  return { def: inner, reads, keys: plainCollectionKeys(inner, rules) }
}

// `$.context` then `.name`, `['name']`, `["name"]` or `[3]` segments: read by plain property access
const PLAIN_CONTEXT_PATH = /^\$\.context((?:\.\w+|\[(?:'\w+'|"\w+"|\d+)\])+)$/
const PLAIN_SEGMENT = /\.(\w+)|\['(\w+)'\]|\["(\w+)"\]|\[(\d+)\]/g

/**
 * The keys `inner`'s collection is read by from its group's sub-context when that read is plain (its
 * collection is `$.input.<key>`, which one rule without a transform reads from a PLAIN_CONTEXT_PATH),
 * else null: strings are object keys, numbers list indexes. Such a read costs a few property accesses
 * (readPlain), where readPath costs about 10 us (120,000 reads of `$.context.it['kids']` took
 * 1.3-2.4 s at a load of 15 on 2 cores): only these are read past NESTED_EVALUATIONS.
 */
function plainCollectionKeys(inner: ForeachTask, rules: Mapping[]): (string | number)[] | null {
  const key = INPUT_KEY.exec(inner.iterationMapping.collection.trim())?.[1]
  const writers = rules.filter((r) => INPUT_KEY.exec(r.target!)![1] === key)
  if (key === undefined || writers.length !== 1 || hasTransform(writers[0])) return null
  const path = PLAIN_CONTEXT_PATH.exec(String(writers[0].source ?? '').trim())?.[1]
  if (path === undefined) return null
  return [...path.matchAll(PLAIN_SEGMENT)].map((m) => (m[4] !== undefined ? Number(m[4]) : (m[1] ?? m[2] ?? m[3])))
}

/** The length of the list `keys` lead to from `from` (0 when they lead to anything else), by own properties only. */
function plainLength(from: unknown, keys: (string | number)[]): number {
  let value = from
  for (const k of keys) {
    if (value === null || typeof value !== 'object') return 0
    if (typeof k === 'number' ? !Array.isArray(value) || k >= value.length : Array.isArray(value) || !Object.hasOwn(value, k)) return 0
    value = (value as Record<string | number, unknown>)[k]
  }
  return Array.isArray(value) ? value.length : 0
}

/**
 * The key of `root` (`context`, `input`) that `path` reads or writes first: `x` for `$.context.x.y` or
 * `$.context['x']`; '*' when it may reach any of them (`$.context`, `$..x`, `$[*]`); undefined when it
 * does not reach `root` (`$.input.x` for the context, a constant).
 */
function topKey(path: unknown, root: 'context' | 'input'): string | '*' | undefined {
  const text = String(path ?? '').trim()
  if (!text.startsWith('$')) return undefined // a constant
  const m = new RegExp(`^\\$\\.${root}(?:\\.(\\w+)|\\[['"](\\w+)['"]\\])(?=$|[.[])`).exec(text)
  if (m) return m[1] ?? m[2]
  if (text.startsWith(`$.${root}`) || text.startsWith('$..') || text.startsWith('$[') || text.startsWith('$.*')) return '*'
  return undefined
}

/** Whether `keys` (a plan's reads, or '*') of `values` hold something not known at the start. */
function readsUnknown(values: Json, keys: Set<string> | '*' | string | undefined): boolean {
  if (keys === undefined) return false
  if (keys === '*') return Object.values(values).includes(UNKNOWN)
  if (typeof keys === 'string') return values[keys] === UNKNOWN
  for (const k of keys) if (values[k] === UNKNOWN) return true
  return false
}

/** The weight of `def`'s groups over `collection` (weighForeach); `running`: what the estimate counted before them. */
function weighGroups(def: ForeachTask, input: Json, collection: unknown[], est: Estimate, running: number): Weight {
  const n = collection.length
  const weight: Weight = { tasks: n * def.tasks.length, terms: [{ factors: [n], each: def.tasks.length }] }
  const inner = plansOf(def)
  if (inner.length === 0) return weight
  const { item = 'item', index } = def.iterationMapping
  // one sub-context for every group, its item and index set in turn: nothing is copied per item
  const context = foreachBase(def, input)
  const setGroup = (i: number) => {
    context[item] = collection[i]
    if (index) context[index] = i
  }
  for (const plan of inner) {
    // stopped by its evaluation cap, it still weighs plain collections' lengths (below)
    if (est.stopped === 'room' || running + weight.tasks > est.room) {
      est.stopped = 'room'
      break
    }
    const perItem = plan.reads === '*' || plan.reads.has(item) || (index !== undefined && plan.reads.has(index))
    if (!perItem) {
      // the same for every group: counted once
      setGroup(0)
      const one = weighInner(plan, context, est, running + weight.tasks)
      if (!one?.tasks) continue
      weight.tasks += n * one.tasks
      for (const t of one.terms) weight.terms.push({ ...t, factors: [n, ...t.factors] })
      continue
    }
    let sum = 0
    let i = 0
    for (; i < n && !est.stopped; i++) {
      if (running + weight.tasks + sum > est.room) est.stopped = 'room'
      else if (est.evaluations >= NESTED_EVALUATIONS) est.stopped = 'work'
      else {
        setGroup(i)
        sum += weighInner(plan, context, est, running + weight.tasks + sum)?.tasks ?? 0
        continue
      }
      break // item i not weighed
    }
    // past the evaluation cap, the rest of the items still weigh their inner collections' lengths when
    // these are read plainly: their own groups only (an inner foreach's nested ones count as one task
    // each: the count says "at least"). Without it, items ordered cheap first passed whatever the rest
    // held (500 empty inner lists, then 500 of 300: weighed 1,000 of 151,000 tasks, #9). Each item is
    // counted in the room already, so this reads at most about as many lists as the bound has tasks.
    if (est.stopped === 'work' && plan.keys && !readsUnknown(context, plan.reads)) {
      const each = plan.def.tasks.length
      const [first, ...rest] = plan.keys
      if (first === item) {
        // read from the item itself: no sub-context written per item
        for (; i < n; i++) {
          if (running + weight.tasks + sum > est.room) {
            est.stopped = 'room'
            break
          }
          sum += plainLength(collection[i], rest) * each
        }
      } else if (first !== index) {
        // the same list for every remaining group (the index is a number: no list)
        sum += (n - i) * plainLength(context, plan.keys) * each
      }
    }
    if (sum) {
      weight.tasks += sum
      weight.terms.push({ factors: [], varying: sum, name: plan.def.name })
    }
  }
  return weight
}

/**
 * The weight of one inner foreach whose group's sub-context is `context`: its input evaluated as its
 * mappings would make it (values read, not copied), its collection read from it. Null when it is not
 * known (it reads a value not known at the start) or the estimate ran out of path work.
 */
function weighInner(plan: Plan, context: Json, est: Estimate, running: number): Weight | null {
  if (readsUnknown(context, plan.reads)) return null
  est.evaluations++
  const input: Json = {}
  const root = { context, input, output: {} }
  try {
    for (const rule of plan.def.inputMappings ?? []) {
      if (!isRunnable(rule)) continue
      const key = INPUT_KEY.exec(rule.target!)![1]
      if (hasTransform(rule) || readsUnknown(input, topKey(rule.source!, 'input'))) {
        input[key] = UNKNOWN
        continue
      }
      const value = evaluateSource(rule, root, undefined, est.pass)
      if (value !== null && value !== undefined) input[key] = value // null is not written (mappings.ts applyRule)
    }
    if (readsUnknown(input, topKey(plan.def.iterationMapping.collection, 'input'))) return null
    const collection = readCollection(plan.def, input, est.paths)
    if (!collection || plan.def.tasks.length === 0) return { tasks: 0, terms: [] } // an empty loop: no groups
    return weighGroups(plan.def, input, collection, est, running)
  } catch (e) {
    if (e instanceof PathBudgetError) est.stopped = 'work'
    return null // a read that fails at run time fails that foreach there, not this estimate
  }
}
