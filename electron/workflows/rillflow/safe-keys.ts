// Keys that would reach or replace an object's prototype. Aviator scripts and JsonPath targets are
// untrusted descriptor content, so the interpreter never reads or writes these keys and path writes
// refuse them: otherwise a script or mapping could pollute Object.prototype for the whole process.

const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

export function isPrototypeKey(key: unknown): boolean {
  return typeof key === 'string' && PROTOTYPE_KEYS.has(key)
}
