// Gray rules (modify_gray.json / get_gray.json): per workflow, alias → Aviator expression; a submit by
// `ws:dag` runs the first alias whose rule is true (service.ts resolve). Each rule is a row of its own
// (store/gray-rule.repository.ts, table workflow_gray_rules), so one workflow's change touches its
// rows alone; each workflow's rules are still bounded here, as a `ws:dag` submit reads them all
// (atk28: rules of any number and length). Who may change them is the service's check (ownership.ts);
// rules exist only for a stored workflow and go with it (the table's foreign key to workflow_owners).
// They run on the main thread at every `ws:dag` submit and sub-flow start (pickGrayAlias): the rules
// of one resolve share one step budget, and a rule that calls no rand is run once (atk29).

import { invalid } from '../../../shared/errors'
import type { Store } from '../../store'
import { AviatorError, createCompileCache, type CompileCache } from './aviator'
import { PassBudgetError, StepPool } from './value-budget'

/** Gray rules one workflow may hold (aliases with a rule). A canary rollout needs two or three. */
export const MAX_GRAY_RULES = 16
/** Characters of one gray rule, e.g. `rand(100) < 10` is 14. */
export const MAX_GRAY_RULE_CHARS = 1_000
/**
 * Gray rules one owner's workflows may hold together: MAX_GRAY_RULES bounds one resolve, this the
 * rows and compiled rules one user can make the server keep (atk29: rules spread over workflows).
 */
export const MAX_GRAY_RULES_PER_OWNER = 256

/**
 * Aviator steps of gray rules, which run on the main thread at every `ws:dag` submit and every
 * sub-flow start without an alias. A rule is a line such as `rand(100) < 10` (a few steps); with a
 * transform's 100,000 each and nothing shared, 16 looping rules took 1.6 M steps per resolve, and a
 * foreach of 200 sub-flows resolved 200 times (atk29: 26 s of main thread, the loop held 100-480 ms).
 */
export const GRAY_LIMITS = {
  /** Steps one rule may take. */
  stepsPerRule: 2_000,
  /** Steps all the rules of one resolve may take together (some 1-4 ms). */
  stepsPerResolve: 10_000,
} as const

/** A workflow's gray rules, alias → rule, in the order they were first set ({} for none). */
export const grayRulesOf = (store: Store, workspace: string, dagName: string): Record<string, string> =>
  store.grayRules.of(workspace, dagName)

/** Throws invalid `gray_rule_too_long` (field gray_rule) for a rule past MAX_GRAY_RULE_CHARS: checked before it is compiled. */
export function assertGrayRuleSize(rule: string): void {
  if (rule.length > MAX_GRAY_RULE_CHARS) {
    throw invalid('gray_rule_too_long', `a gray rule is at most ${MAX_GRAY_RULE_CHARS} characters; this one has ${rule.length}`, 'gray_rule')
  }
}

/**
 * Sets (`rule` a string) or removes (`rule` null) one alias's gray rule, as user `by`. The caller has
 * checked the alias name, the rule (assertGrayRuleSize, syntax), the caller's right and that the
 * workflow is stored. Throws invalid `too_many_gray_rules` (field alias) for a rule of a new alias
 * when the workflow already holds MAX_GRAY_RULES, or its owner's workflows MAX_GRAY_RULES_PER_OWNER
 * together (replacing or removing one is always allowed).
 */
export function putGrayRule(store: Store, workspace: string, dagName: string, alias: string, rule: string | null, by: string): void {
  if (rule === null) {
    store.grayRules.remove(workspace, dagName, alias)
    return
  }
  store.transaction(() => {
    if (!store.grayRules.has(workspace, dagName, alias)) {
      if (store.grayRules.count(workspace, dagName) >= MAX_GRAY_RULES) {
        throw invalid('too_many_gray_rules', `workflow ${workspace}:${dagName} already has ${MAX_GRAY_RULES} gray rules, the most it may hold; remove one first`, 'alias')
      }
      const owner = store.workflows.owner(workspace, dagName)
      if (owner !== undefined && store.grayRules.countOfOwner(owner) >= MAX_GRAY_RULES_PER_OWNER) {
        throw invalid(
          'too_many_gray_rules',
          `the workflows of ${owner} already have ${MAX_GRAY_RULES_PER_OWNER} gray rules together, the most they may hold; remove one first`,
          'alias',
        )
      }
    }
    store.grayRules.put(workspace, dagName, alias, rule, by)
  })
}

/** What one run of a rule over the empty context gave: it matched (true), did not (false), or failed (why). */
type Outcome = boolean | { failed: string }

/**
 * What gray rules keep between resolves, per owner of the workflows they belong to: their compiled
 * rules (a compile cache of their own: 256 rules of 1,000 characters filled the cache transforms
 * share and dropped every compiled transform, #9) and the outcomes of rules that called no `rand`.
 * Rules see no context ({}), so such a rule gives the same outcome at every resolve: it is run once,
 * not at each of a foreach's sub-flow starts (atk29). Its steps are still spent from each resolve's
 * pool, so a resolve picks the same alias whether the outcome was kept or not.
 */
interface OwnerRules {
  compiled: CompileCache
  /** Outcome and steps taken, by rule text; oldest dropped past GRAY_CACHE_LIMITS.settled. */
  settled: Map<string, { outcome: Outcome; steps: number }>
}

/**
 * Bounds of what gray rules keep. Per owner: as many rules as an owner may store, and the source of
 * one workflow's rules at their longest (so a resolve's rules stay compiled; some 2 MB of AST);
 * owners kept, least recently resolving dropped first: 16 x 16,000 characters is the shared cache's
 * 256 K. One owner's rules evict only that owner's.
 */
export const GRAY_CACHE_LIMITS = {
  owners: 16,
  scripts: MAX_GRAY_RULES_PER_OWNER,
  sourceChars: MAX_GRAY_RULES * MAX_GRAY_RULE_CHARS,
  settled: MAX_GRAY_RULES_PER_OWNER,
} as const

const owners = new Map<string, OwnerRules>()

/** What gray rules keep for `owner`, made when missing (marked most recently used). */
function rulesOf(owner: string): OwnerRules {
  let kept = owners.get(owner)
  if (kept) owners.delete(owner)
  else kept = { compiled: createCompileCache(GRAY_CACHE_LIMITS), settled: new Map() }
  owners.set(owner, kept)
  if (owners.size > GRAY_CACHE_LIMITS.owners) owners.delete(owners.keys().next().value as string)
  return kept
}

/** How many times gray rules of `owner`'s workflows were compiled while their cache was kept (0 when none is): for tests and diagnostics. */
export const grayRuleCompiles = (owner: string): number => owners.get(owner)?.compiled.compiles ?? 0

/**
 * The outcome of `rule` over {}, from `kept.settled` or run within `pool` (and GRAY_LIMITS.stepsPerRule).
 * Throws PassBudgetError when the pool runs out: that depends on the rules before, so it is not kept.
 */
function outcomeOf(rule: string, pool: StepPool, kept: OwnerRules): Outcome {
  const { settled } = kept
  const known = settled.get(rule)
  if (known !== undefined) {
    pool.spendSteps(known.steps) // throws where the run would have, as a run spends them all
    return known.outcome
  }
  let random = false
  let steps = 0
  let outcome: Outcome
  try {
    const value = kept.compiled.evaluate(rule, {}, {
      maxSteps: GRAY_LIMITS.stepsPerRule,
      budget: {
        spendSteps: (n) => {
          steps += n
          pool.spendSteps(n)
        },
      },
      random: () => {
        random = true
        return Math.random()
      },
    })
    outcome = value === true
  } catch (e) {
    if (e instanceof PassBudgetError) throw e
    outcome = { failed: e instanceof AviatorError ? e.message : String(e) }
  }
  if (!random) {
    settled.set(rule, { outcome, steps })
    if (settled.size > GRAY_CACHE_LIMITS.settled) settled.delete(settled.keys().next().value as string)
  }
  return outcome
}

/** The alias gray rules chose (undefined when none matched), and the rules skipped as failed on the way. */
export interface GrayPick {
  alias: string | undefined
  /** One line per rule that did not evaluate (over its steps or the resolve's, or an error), e.g. `alias a0: Step budget of 2000 exceeded`; [] for none. */
  skipped: string[]
}

/**
 * The first alias of `rules` (alias → Aviator rule, in order) whose rule is true over the empty
 * context, as Rill Flow picks a `biz:feature` submit's version. All the rules of one call share
 * GRAY_LIMITS.stepsPerResolve steps, each at most GRAY_LIMITS.stepsPerRule; a rule that fails or
 * runs out is taken as not matching and named in `skipped` (the caller says so once). `owner`: whose
 * workflow the rules are ('' for one of no owner): its compiled rules and kept outcomes are its own
 * (GRAY_CACHE_LIMITS). Never throws.
 */
export function pickGrayAlias(rules: Record<string, string>, owner: string): GrayPick {
  const kept = rulesOf(owner)
  const pool = new StepPool('the gray rules of one resolve', GRAY_LIMITS.stepsPerResolve)
  const skipped: string[] = []
  const entries = Object.entries(rules)
  for (const [i, [alias, rule]] of entries.entries()) {
    let outcome: Outcome
    try {
      outcome = outcomeOf(rule, pool, kept)
    } catch (e) {
      if (!(e instanceof PassBudgetError)) throw e
      // every rule takes a step at least, so the rest would each fail alike: named, not run
      for (const [rest] of entries.slice(i)) skipped.push(`alias ${rest}: ${e.message}`)
      break
    }
    if (outcome === true) return { alias, skipped }
    if (outcome !== false) skipped.push(`alias ${alias}: ${outcome.failed}`)
  }
  return { alias: undefined, skipped }
}
