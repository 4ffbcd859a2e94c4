// Gray rules (modify_gray.json / get_gray.json): per workflow, alias → Aviator expression; a submit by
// `ws:dag` runs the first alias whose rule is true (service.ts resolve). Every workflow's rules live in
// one settings row (SETTING_KEYS.rillflowGray) that each change reads and rewrites whole and that each
// such submit reads, so each workflow's share of it is bounded here (atk28: rules of any number and
// length let one owner grow it for everyone). Who may change them is the service's check
// (ownership.ts); rules exist only for a stored workflow, and go with it.

import { invalid } from '../../../shared/errors'
import type { Store } from '../../store'
import { SETTING_KEYS } from '../../store/setting-keys'

/** Gray rules one workflow may hold (aliases with a rule). A canary rollout needs two or three. */
export const MAX_GRAY_RULES = 16
/** Characters of one gray rule, e.g. `rand(100) < 10` is 14. */
export const MAX_GRAY_RULE_CHARS = 1_000

type AllRules = Record<string, Record<string, string>>

const keyOf = (workspace: string, dagName: string): string => `${workspace}:${dagName}`
const readAll = (store: Store): AllRules => store.settings.get<AllRules>(SETTING_KEYS.rillflowGray, {})

/** A workflow's gray rules, alias → rule, in the order they were first set ({} for none). */
export const grayRulesOf = (store: Store, workspace: string, dagName: string): Record<string, string> =>
  readAll(store)[keyOf(workspace, dagName)] ?? {}

/** Throws invalid `gray_rule_too_long` (field gray_rule) for a rule past MAX_GRAY_RULE_CHARS: checked before it is compiled. */
export function assertGrayRuleSize(rule: string): void {
  if (rule.length > MAX_GRAY_RULE_CHARS) {
    throw invalid('gray_rule_too_long', `a gray rule is at most ${MAX_GRAY_RULE_CHARS} characters; this one has ${rule.length}`, 'gray_rule')
  }
}

/**
 * Sets (`rule` a string) or removes (`rule` null) one alias's gray rule. The caller has checked the
 * alias name, the rule (assertGrayRuleSize, syntax) and the caller's right. Throws invalid
 * `too_many_gray_rules` (field alias) for a rule of a new alias when the workflow already holds
 * MAX_GRAY_RULES (replacing or removing one is always allowed).
 */
export function putGrayRule(store: Store, workspace: string, dagName: string, alias: string, rule: string | null): void {
  const all = readAll(store)
  const key = keyOf(workspace, dagName)
  const rules = { ...(all[key] ?? {}) }
  if (rule === null) {
    if (!Object.hasOwn(rules, alias)) return
    delete rules[alias]
  } else {
    if (!Object.hasOwn(rules, alias) && Object.keys(rules).length >= MAX_GRAY_RULES) {
      throw invalid('too_many_gray_rules', `workflow ${key} already has ${MAX_GRAY_RULES} gray rules, the most it may hold; remove one first`, 'alias')
    }
    rules[alias] = rule
  }
  const { [key]: _old, ...others } = all
  store.settings.set(SETTING_KEYS.rillflowGray, Object.keys(rules).length > 0 ? { ...others, [key]: rules } : others)
}

/**
 * Drops every gray rule of a workflow: when it is deleted, and when its first version is stored (rules
 * left under a name no one owned, by releases that accepted them, must not steer its new owner's submits).
 */
export function dropGrayRules(store: Store, workspace: string, dagName: string): void {
  const all = readAll(store)
  const key = keyOf(workspace, dagName)
  if (!Object.hasOwn(all, key)) return
  const { [key]: _gone, ...others } = all
  store.settings.set(SETTING_KEYS.rillflowGray, others)
}
