// Keys that would reach or replace an object's prototype. Aviator scripts and JsonPath targets are
// untrusted descriptor content, so the interpreter never reads or writes these keys and path writes
// refuse them: otherwise a script or mapping could pollute Object.prototype for the whole process.
// Data may still hold a `__proto__` key (JSON.parse makes it an own key, as Jackson makes any key a
// map entry): code that copies keys from data into another map sets them with setOwn / assignOwn,
// since `map.__proto__ = v` (plain assignment, Object.assign) replaces the map's prototype instead.

const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

export function isPrototypeKey(key: unknown): boolean {
  return typeof key === 'string' && PROTOTYPE_KEYS.has(key)
}

/** Sets `map[key] = value` as an own, enumerable data property, `__proto__` included (never the prototype). */
export function setOwn(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true })
  else map[key] = value
}

/**
 * Object.assign(target, source) for data: each own enumerable key of `source` becomes an own key of
 * `target` (setOwn), a `__proto__` key included. Returns `target`. As fast as Object.assign when
 * `source` has no `__proto__` key (a map of 240,000 keys is assigned by the engine, not key by key here).
 */
export function assignOwn<T extends Record<string, unknown>>(target: T, source: object | null | undefined): T {
  if (source === null || source === undefined) return target
  if (!Object.hasOwn(source, '__proto__')) return Object.assign(target, source)
  for (const key of Object.keys(source)) setOwn(target, key, (source as Record<string, unknown>)[key])
  return target
}
