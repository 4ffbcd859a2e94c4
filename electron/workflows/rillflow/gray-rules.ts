// Gray rules (modify_gray.json / get_gray.json): per workflow, alias → Aviator expression; a submit by
// `ws:dag` runs the first alias whose rule is true (service.ts resolve). Every workflow's rules live in
// one settings row (SETTING_KEYS.rillflowGray) that each change reads and rewrites whole and that each
// such submit reads. Who may change them is the service's check (ownership.ts); rules exist only for
// a stored workflow, and go with it.

import type { Store } from '../../store'
import { SETTING_KEYS } from '../../store/setting-keys'

type AllRules = Record<string, Record<string, string>>

const keyOf = (workspace: string, dagName: string): string => `${workspace}:${dagName}`
const readAll = (store: Store): AllRules => store.settings.get<AllRules>(SETTING_KEYS.rillflowGray, {})

/** A workflow's gray rules, alias → rule, in the order they were first set ({} for none). */
export const grayRulesOf = (store: Store, workspace: string, dagName: string): Record<string, string> =>
  readAll(store)[keyOf(workspace, dagName)] ?? {}

/**
 * Sets (`rule` a string) or removes (`rule` null) one alias's gray rule. The caller has checked the
 * alias name, the rule's syntax and the caller's right.
 */
export function putGrayRule(store: Store, workspace: string, dagName: string, alias: string, rule: string | null): void {
  const all = readAll(store)
  const key = keyOf(workspace, dagName)
  const rules = { ...(all[key] ?? {}) }
  if (rule === null) {
    if (!Object.hasOwn(rules, alias)) return
    delete rules[alias]
  } else {
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
