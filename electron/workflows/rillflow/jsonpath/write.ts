// Writing through a path, as Rill Flow's setValue does: missing containers are created along a
// definite path, an indefinite path sets every node it matches.

import type { CompiledPath, Token } from './compiled'
import { fail, JsonPathError, PathNotFoundError } from './errors'
import { isJsonObject, type JsonMap, type Key } from './json'
import { compilePath } from './parser'
import { READ_OPTIONS } from './read'
import { walk } from './walk'
import { PathWork } from './work'
import { isPrototypeKey, setOwn } from '../safe-keys'
import { copyContainers, isReadOnly } from '../value-budget'
import { MAX_JSON_DEPTH } from '../../../../shared/json-limits'
import { jsonEscapedLength } from '../../../json-bytes'

/**
 * Steps a write target may have (`$.context.a.b` has three): each creates a level where missing,
 * and a context may nest at most MAX_JSON_DEPTH levels. A target of 8,000 steps built a value
 * that deep (an internal error when answered), and a context written 2,000 levels deep could not be
 * read back.
 */
export const MAX_TARGET_STEPS = MAX_JSON_DEPTH

/** A write target with more than MAX_TARGET_STEPS steps. */
export class TargetTooDeepError extends JsonPathError {
  constructor(path: string, steps: number) {
    super(`the target ${path.length > 60 ? `${path.slice(0, 60)}…` : path} has ${steps} steps; at most ${MAX_TARGET_STEPS} are accepted`)
    this.name = 'TargetTooDeepError'
  }
}

/**
 * Throws TargetTooDeepError when `path` has more than MAX_TARGET_STEPS steps; other path errors are
 * left to the write (upstream reads them as a failed rule, not a bad descriptor).
 */
export function checkTargetSteps(path: string): void {
  let steps: number
  try {
    steps = compilePath(path).tokens.length
  } catch (e) {
    if (e instanceof JsonPathError) return
    throw e
  }
  if (steps > MAX_TARGET_STEPS) throw new TargetTooDeepError(path, steps)
}

/** Arrays are padded with null up to the written index; this caps the padding. */
const MAX_ARRAY_INDEX = 100_000

function assertSafeKey(key: Key): void {
  if (isPrototypeKey(key)) throw new JsonPathError(`Refusing to write reserved key '${key}'`)
}

/**
 * Rill Flow's setValue: intermediate objects/arrays along a definite path are created (array
 * indexes padded with null), then the leaf is set. Indefinite targets set every node they match.
 * Refuses `__proto__`/`constructor`/`prototype` anywhere in the path. The walk of an indefinite
 * target spends from `work` (a fresh PathWork when not given): PathBudgetError when it is used up,
 * before anything is written. Read-only (frozen) lists and maps, shared constants a mapping wrote
 * (value-budget.ts shareReadOnly), are copied on write: a definite path copies each one it passes
 * through (one level: the rest stays shared), an indefinite one that lands in one makes writable
 * copies of all of them under `root` first.
 */
export function writePath(root: unknown, path: string, value: unknown, work = new PathWork()): void {
  const compiledPath = writablePath(path)
  const steps = simpleSteps(compiledPath.tokens)
  if (steps) writeCreating(root, steps, value)
  else writeMatches(root, compiledPath, value, work)
}

/** `path` compiled, or JsonPathError when it cannot be written through. */
function writablePath(path: string): CompiledPath {
  const compiledPath = compilePath(path)
  if (compiledPath.tokens.length === 0) fail('Cannot replace the root document')
  if (compiledPath.tokens.length > MAX_TARGET_STEPS) throw new TargetTooDeepError(path, compiledPath.tokens.length)
  for (const token of compiledPath.tokens) {
    if (token.kind === 'func') fail(`Cannot write through function ${token.name}()`)
    if (token.kind === 'prop') token.names.forEach(assertSafeKey)
  }
  return compiledPath
}

/**
 * What writePath(root, path, …) would replace, looked at before writing (so a mapping can count a
 * copy before building it): the key every place written lies under at the top of `root` (undefined
 * when the path starts with a wildcard, a scan or several names), the value now at each place
 * (undefined where there is none yet), and the lists and maps along a definite path that the write
 * changes (`root` first; undefined for an indefinite path), `framing`: the UTF-8 bytes of JSON the
 * write adds besides its values (slotFraming, createdFraming), and `commaIn`: the maps it adds a key
 * to whose `,` before it was counted though they may be empty (finding out walks all their keys).
 * Throws as writePath does for a path it cannot write,
 * and PathBudgetError when the walk of an indefinite path uses up `work`.
 */
export function writePlaces(
  root: unknown,
  path: string,
  work = new PathWork(),
): { top: Key | undefined; replaced: unknown[]; changes: object[] | undefined; framing: number; commaIn: object[] } {
  const compiledPath = writablePath(path)
  const first = compiledPath.tokens[0]
  const top = first?.kind === 'prop' && first.names.length === 1 ? first.names[0] : undefined
  const steps = simpleSteps(compiledPath.tokens)
  if (steps) {
    const changes: object[] = []
    let current: unknown = root
    for (let i = 0; i < steps.length; i++) {
      const key = steps[i] as Key
      if (typeof current !== 'object' || current === null) return { top, replaced: [undefined], changes, framing: 0, commaIn: [] } // writeCreating refuses it
      changes.push(current)
      const next = peek(current, key)
      // from a missing place on writeCreating makes what is missing: the key in `current`, then a list
      // or map for each later step (one in place of a null on the way)
      if (next === undefined) {
        const framing = slotFraming(current, key) + createdFraming(steps.slice(i + 1))
        return { top, replaced: [undefined], changes, framing, commaIn: typeof key === 'string' ? [current] : [] }
      }
      if (next === null && i < steps.length - 1) return { top, replaced: [undefined], changes, framing: createdFraming(steps.slice(i + 1)) - 4, commaIn: [] }
      current = next
    }
    return { top, replaced: [current], changes, framing: 0, commaIn: [] }
  }
  const replaced: unknown[] = []
  const added = new Set<object>() // the lists and maps this write adds places to
  let framing = 0
  for (const hit of walk(compiledPath, root, root, READ_OPTIONS, work)) {
    if (!hit.ref) continue
    for (const key of hit.ref.keys) {
      const old = peek(hit.ref.parent, key)
      replaced.push(old)
      if (old !== undefined || typeof hit.ref.parent !== 'object' || hit.ref.parent === null) continue
      framing += slotFraming(hit.ref.parent, key)
      added.add(hit.ref.parent)
    }
  }
  const commaIn = [...added].filter(isJsonObject)
  return { top, replaced, changes: undefined, framing, commaIn }
}

/**
 * UTF-8 bytes of JSON a new place `key` adds to `container` besides its value: a map's key with its
 * quotes and escapes and `:`, and the `,` before it, even in an empty map (writePlaces' commaIn: an
 * emptiness check walks every key, and 3,000 writes into a context of 20,000 keys took 30 s instead
 * of 50 ms); a list's `,` and the `null`s that pad it up to `key`.
 * 0 for a place writeCreating would refuse (a key in a list, a negative index past the start).
 */
function slotFraming(container: object, key: Key): number {
  if (typeof key === 'string') {
    if (!isJsonObject(container)) return 0
    return 1 + jsonEscapedLength(key) + 3
  }
  if (!Array.isArray(container)) return 0
  const index = absoluteIndex(container, key)
  if (index < container.length || index > MAX_ARRAY_INDEX) return 0
  const nulls = index - container.length // each `null` and the `,` after it, then the `,` before the new value if any came before it
  return nulls * 5 + (container.length > 0 ? 1 : 0)
}

/** UTF-8 bytes of JSON of the lists and maps writeCreating makes to reach `steps` below a new place: brackets, keys, padding. */
function createdFraming(steps: readonly Key[]): number {
  let bytes = 0
  for (const key of steps) {
    if (typeof key === 'string') bytes += 2 + jsonEscapedLength(key) + 3 // `{` `}`, `"key":`
    else bytes += 2 + Math.max(0, key) * 5 // `[` `]`, `null,` before the index
  }
  return bytes
}

/** The own value at `key` of a map or list, else undefined (never throws). */
function peek(container: unknown, key: Key): unknown {
  if (typeof key === 'string') return isJsonObject(container) && Object.hasOwn(container, key) ? container[key] : undefined
  if (!Array.isArray(container)) return undefined
  const index = absoluteIndex(container, key)
  return index >= 0 && index < container.length ? container[index] : undefined
}

function simpleSteps(tokens: readonly Token[]): Key[] | null {
  const steps: Key[] = []
  for (const token of tokens) {
    if (token.kind === 'prop' && token.names.length === 1 && token.names[0] !== undefined) steps.push(token.names[0])
    else if (token.kind === 'index' && token.indexes.length === 1 && token.indexes[0] !== undefined) steps.push(token.indexes[0])
    else return null
  }
  return steps
}

/** A writable copy of one level of the read-only list or map `v` (its lists and maps stay shared). */
function shallowWritable(v: object): object {
  if (Array.isArray(v)) return v.slice()
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) setOwn(out, k, (v as Record<string, unknown>)[k])
  return out
}

/** Replaces each read-only list or map held under the writable `v` by a writable deep copy of it (copyContainers). */
function thawUnder(v: object): void {
  const keys = Array.isArray(v) ? undefined : Object.keys(v)
  const n = keys ? keys.length : (v as unknown[]).length
  for (let i = 0; i < n; i++) {
    const key = keys ? keys[i] : i
    const x = (v as Record<string | number, unknown>)[key]
    if (typeof x !== 'object' || x === null) continue
    if (!isReadOnly(x)) thawUnder(x)
    else if (keys) setOwn(v as Record<string, unknown>, key as string, copyContainers(x))
    else (v as unknown[])[key as number] = copyContainers(x)
  }
}

function writeCreating(root: unknown, steps: Key[], value: unknown): void {
  let current = root
  for (let i = 0; i < steps.length - 1; i++) {
    const key = steps[i] as Key
    let child = getChild(current, key)
    if (child === undefined || child === null) {
      child = typeof steps[i + 1] === 'number' ? [] : {}
      setChild(current, key, child)
    } else if (isReadOnly(child)) {
      child = shallowWritable(child) // copy on write: the shared constant stays as it is
      setChild(current, key, child)
    }
    current = child
  }
  setChild(current, steps[steps.length - 1] as Key, value)
}

function objectHolding(container: unknown, key: string): JsonMap {
  if (!isJsonObject(container)) throw new PathNotFoundError(`Expected an object to hold property '${key}'`)
  return container
}

function arrayHolding(container: unknown, key: number): unknown[] {
  if (!Array.isArray(container)) throw new PathNotFoundError(`Expected an array to hold index ${key}`)
  return container
}

/** Negative indexes count from the end, as in reads. */
function absoluteIndex(array: unknown[], key: number): number {
  return key < 0 ? array.length + key : key
}

function getChild(container: unknown, key: Key): unknown {
  if (typeof key === 'string') {
    const map = objectHolding(container, key)
    return Object.hasOwn(map, key) ? map[key] : undefined
  }
  const array = arrayHolding(container, key)
  const index = absoluteIndex(array, key)
  return index >= 0 && index < array.length ? array[index] : undefined
}

function setChild(container: unknown, key: Key, value: unknown): void {
  if (typeof key === 'string') {
    const map = objectHolding(container, key)
    assertSafeKey(key)
    map[key] = value
    return
  }
  const array = arrayHolding(container, key)
  const index = absoluteIndex(array, key)
  if (index < 0 || index > MAX_ARRAY_INDEX) throw new PathNotFoundError(`Array index ${key} is out of range`)
  while (array.length < index) array.push(null)
  array[index] = value
}

/** Jayway `set` on an indefinite path: every matched node (a missing leaf counts, as null). */
function writeMatches(root: unknown, compiledPath: CompiledPath, value: unknown, work: PathWork): void {
  let hits = walk(compiledPath, root, root, READ_OPTIONS, work)
  if (typeof root === 'object' && root !== null && hits.some((hit) => hit.ref && isReadOnly(hit.ref.parent))) {
    // a place inside a shared constant: where each one sits is not known, so all are made writable (rare)
    thawUnder(root)
    hits = walk(compiledPath, root, root, READ_OPTIONS, work)
  }
  for (const hit of hits) {
    if (!hit.ref) continue
    for (const key of hit.ref.keys) setChild(hit.ref.parent, key, value)
  }
}
