// Gray rules keep their compiled rules apart (#9): they shared the compile cache of mapping transforms,
// so one owner's 256 rules of 1,000 characters (rules can be replaced at will, so as many as they like)
// dropped everyone's compiled transforms, and another owner's compiled rules, from it.
import { describe, expect, it } from 'vitest'
import { compileCacheSize, evaluateAviator, sharedCompileCache } from '../../electron/workflows/rillflow/aviator'
import { GRAY_CACHE_LIMITS, grayRuleCompiles, MAX_GRAY_RULE_CHARS, MAX_GRAY_RULES, MAX_GRAY_RULES_PER_OWNER, pickGrayAlias } from '../../electron/workflows/rillflow/gray-rules'

/** Rule `i` of `round`: MAX_GRAY_RULE_CHARS characters, never true, a few steps (a string compared). */
const longRule = (round: number, i: number): string => {
  const head = `'${round}-${i}-`
  return `${head}${'x'.repeat(MAX_GRAY_RULE_CHARS - head.length - 8)}' == 'y'`
}

/** `owner` resolves each of MAX_GRAY_RULES_PER_OWNER long rules once, a workflow's MAX_GRAY_RULES at a time. */
function flood(owner: string, round: number): void {
  for (let w = 0; w < MAX_GRAY_RULES_PER_OWNER / MAX_GRAY_RULES; w++) {
    const rules: Record<string, string> = {}
    for (let i = 0; i < MAX_GRAY_RULES; i++) rules[`a${i}`] = longRule(round, w * MAX_GRAY_RULES + i)
    expect(pickGrayAlias(rules, owner)).toEqual({ alias: undefined, skipped: [] })
  }
}

describe('gray rules compile apart from transforms and from other owners', () => {
  it("one owner's rules evict no compiled mapping transform", () => {
    expect(longRule(0, 0)).toHaveLength(MAX_GRAY_RULE_CHARS)
    // eight transforms of some 900 characters, as a descriptor's longer mappings are
    const transforms = Array.from({ length: 8 }, (_, k) => `${Array(80).fill('source.a').join(' + ')} + ${k}`)
    for (const t of transforms) evaluateAviator(t, { source: { a: 1 } })
    const size = compileCacheSize()
    const compiles = sharedCompileCache.compiles
    flood('mallory', 0)
    flood('mallory', 1) // replaced rules: as many distinct ones as an owner likes
    expect(compileCacheSize()).toEqual(size) // no gray rule went into the transforms' cache
    for (const t of transforms) evaluateAviator(t, { source: { a: 1 } })
    expect(sharedCompileCache.compiles).toBe(compiles) // every transform was still compiled
  })

  it("one owner's rules evict no other owner's compiled rules", () => {
    // rules that call rand run (and so look up their compiled form) at every resolve
    const alices = { a: 'rand(100) < 0', b: 'rand(100) < -1', c: 'rand(100) < -2' }
    expect(pickGrayAlias(alices, 'alice').alias).toBeUndefined()
    const compiled = grayRuleCompiles('alice')
    expect(compiled).toBeGreaterThan(0)
    flood('mallory', 2)
    flood('mallory', 3)
    expect(pickGrayAlias(alices, 'alice').alias).toBeUndefined()
    expect(grayRuleCompiles('alice')).toBe(compiled)
    // mallory's own rules past her bound are compiled again: her floods cost her alone
    const mallorys = grayRuleCompiles('mallory')
    flood('mallory', 2)
    expect(grayRuleCompiles('mallory')).toBeGreaterThan(mallorys)
  })

  it(`keeps the rules of at most ${GRAY_CACHE_LIMITS.owners} owners, the least recently resolving dropped first`, () => {
    pickGrayAlias({ a: 'rand(10) < 0' }, 'first')
    expect(grayRuleCompiles('first')).toBe(1)
    for (let o = 0; o < GRAY_CACHE_LIMITS.owners; o++) pickGrayAlias({ a: 'rand(10) < 0' }, `other${o}`)
    expect(grayRuleCompiles('first')).toBe(0) // dropped: compiled again at its next resolve
    pickGrayAlias({ a: 'rand(10) < 0' }, 'first')
    expect(grayRuleCompiles('first')).toBe(1)
  })
})
