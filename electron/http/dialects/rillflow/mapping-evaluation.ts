// mapping_evaluation.json's work, apart from its route: a dry run of mappings over a client's JSON
// text, nothing stored. It runs on the main thread for a short body and in a worker thread for a long
// one (services/mapping-evaluator.ts), so it imports nothing of fastify's.
import { invalid } from '../../../../shared/errors'
import { DescriptorError } from '../../../workflows/rillflow/descriptor'
import { readMapping } from '../../../workflows/rillflow/descriptor/parts'
import { applyMappings, MappingError, type Mapping } from '../../../workflows/rillflow/mappings'
import { mappingHooks } from '../../../workflows/rillflow/runtime/context'
import { parseJson } from './request'

/**
 * The answer's JSON text to a mapping_evaluation.json body `text` (empty: no fields): the rules
 * (`mappings`, or `rules`) applied to its `context`, `input` and `output`, and those three as they end;
 * then, when a rule failed and was skipped for its tolerance (as a run skips and logs it), `skipped`:
 * `[{mapping: index, source, target, reason}]` (upstream answers only the three; a client reads those
 * by name, so an extra field passes it by). The rules are one pass, with one budget (value-budget.ts PassBudget). Throws AppError `invalid`:
 * bad_json naming the body or a rule that is not JSON or not a mapping, bad_mapping naming the rule
 * with `tolerance: false` that failed or that ran the pass out of budget.
 */
export function evaluateMappingText(text: string): string {
  const body = text.trim() ? parseJson(text, 'body') : {}
  const rules = body.mappings ?? body.rules
  if (!Array.isArray(rules)) throw invalid('bad_json', 'body.mappings must be a list of {source, target, transform?}', 'mappings')
  const bad = rules.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r))
  if (bad >= 0) throw invalid('bad_json', `body.mappings[${bad}] must be an object {source, target, transform?}`, `mappings[${bad}]`)
  // the body was parsed here, so its objects are this call's own: mapped in place, not copied
  const root = { context: objectOf(body.context), input: objectOf(body.input), output: objectOf(body.output) }
  const mappings = mappingRules(rules)
  const skipped: SkippedRule[] = []
  const skip = (rule: Mapping, reason: string) =>
    skipped.push({ mapping: mappings.indexOf(rule), source: rule.source ?? null, target: rule.target ?? null, reason })
  try {
    applyMappings(mappings, root, { ...mappingHooks(() => ''), skipped: skip })
  } catch (e) {
    if (!(e instanceof MappingError)) throw e
    const at = mappings.indexOf(e.mapping)
    const field = at >= 0 ? `mappings[${at}]` : 'mappings'
    throw invalid('bad_mapping', `${field}: ${e.message}`, field)
  }
  return JSON.stringify(skipped.length ? { ...root, skipped } : root)
}

/** A rule of the dry run skipped for its tolerance: its index in `mappings`, as the client sent it, and why. */
interface SkippedRule {
  mapping: number
  source: unknown
  target: unknown
  reason: string
}

/** Each rule read as a descriptor's mapping is (typed fields), so a bad one is named rather than an internal error. */
function mappingRules(rules: unknown[]): Mapping[] {
  return rules.map((rule, i) => {
    try {
      return readMapping(rule, { path: [] }, [])
    } catch (e) {
      if (e instanceof DescriptorError) throw invalid('bad_json', `mappings[${i}]: ${e.message}`, `mappings[${i}]`)
      throw e
    }
  })
}

const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})
