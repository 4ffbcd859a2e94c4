// Gray rules (modify_gray.json / get_gray.json): per workflow, alias → Aviator expression; a submit by
// `ws:dag` runs the first alias whose rule is true (service.ts resolve). Each rule is a row of its own
// (store/gray-rule.repository.ts, table workflow_gray_rules), so one workflow's change touches its
// rows alone; each workflow's rules are still bounded here, as a `ws:dag` submit reads them all
// (atk28: rules of any number and length). Who may change them is the service's check (ownership.ts);
// rules exist only for a stored workflow and go with it (the table's foreign key to workflow_owners).

import { invalid } from '../../../shared/errors'
import type { Store } from '../../store'

/** Gray rules one workflow may hold (aliases with a rule). A canary rollout needs two or three. */
export const MAX_GRAY_RULES = 16
/** Characters of one gray rule, e.g. `rand(100) < 10` is 14. */
export const MAX_GRAY_RULE_CHARS = 1_000

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
 * when the workflow already holds MAX_GRAY_RULES (replacing or removing one is always allowed).
 */
export function putGrayRule(store: Store, workspace: string, dagName: string, alias: string, rule: string | null, by: string): void {
  if (rule === null) {
    store.grayRules.remove(workspace, dagName, alias)
    return
  }
  store.transaction(() => {
    if (!store.grayRules.has(workspace, dagName, alias) && store.grayRules.count(workspace, dagName) >= MAX_GRAY_RULES) {
      throw invalid('too_many_gray_rules', `workflow ${workspace}:${dagName} already has ${MAX_GRAY_RULES} gray rules, the most it may hold; remove one first`, 'alias')
    }
    store.grayRules.put(workspace, dagName, alias, rule, by)
  })
}
