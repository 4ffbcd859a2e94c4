// Log lines for mapping rules skipped for their tolerance (mappings.ts MappingHooks.skipped), as
// upstream's JSONPathInputOutputMapping logs each ("mapping fails, intolerance:false, mapping:… due
// to …"): here in the job's log, where its owner reads it; and for rules whose source matched nothing
// (MappingHooks.unmatched), which upstream passes in silence. Counted per execution, task and rule, so
// a foreach of 100,000 items whose rule fails in each writes six lines, not 100,000.

import type { JobControl } from '../../../engine/driver'
import type { JobRecord, TaskRecord } from '../../../store/job.repository'
import { describeMapping, type Mapping } from '../mappings'
import { specOf } from './task-specs'
import { formatCount } from '../../../../shared/number-format'

/** At most this many characters of a reason are logged (a parse error may quote the script). */
const REASON_CHARS = 500

/** A rule logger for one driver (skippedRuleLog). */
export interface RuleLog {
  /** A rule skipped for its tolerance (MappingHooks.skipped): the first line says why. */
  note(ctl: JobControl, task: TaskRecord, rule: Mapping, reason: string): void
  /** A rule whose source matched nothing, so it wrote nothing (MappingHooks.unmatched): the first line says so. */
  unmatched(ctl: JobControl, task: TaskRecord, rule: Mapping, note: string): void
}

/**
 * A logger for one driver: each writes a WARN line on the 1st, 10th, 100th, … time `rule` of the task
 * `task` is an instance of (a foreach's groups' sub-tasks share one count) was skipped (`note`) or
 * matched nothing (`unmatched`, counted apart) in the execution `ctl` runs: the first says why; the
 * others how many so far and the last reason. The counts live as long as the job's record in memory
 * (a restart counts anew).
 */
export function skippedRuleLog(): RuleLog {
  const counts = new WeakMap<JobRecord, Map<string, number>>()
  /** Counts one more of `kind` for the rule; the count when a line is due, else 0. */
  function due(ctl: JobControl, task: TaskRecord, kind: string, what: string): number {
    let byRule = counts.get(ctl.job)
    if (!byRule) counts.set(ctl.job, (byRule = new Map()))
    const key = `${kind}\n${specOf(task).def.name}\n${what}`
    const n = (byRule.get(key) ?? 0) + 1
    byRule.set(key, n)
    return isPowerOfTen(n) ? n : 0
  }
  const cut = (text: string): string => (text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS)}…` : text)
  return {
    note(ctl, task, rule, reason) {
      const what = describeMapping(rule)
      const n = due(ctl, task, 'skipped', what)
      if (n === 0) return
      const why = cut(reason)
      const text = n === 1 ? `${what} skipped: ${why}` : `${what} skipped ${formatCount(n)} times so far in this execution; the last: ${why}`
      ctl.log('WARN', `task ${task.name}: ${text}`, task.name)
    },
    unmatched(ctl, task, rule, note) {
      const what = describeMapping(rule)
      const n = due(ctl, task, 'unmatched', what)
      if (n === 0) return
      const text = n === 1 ? `${what} wrote nothing: ${cut(note)}` : `${what} wrote nothing ${formatCount(n)} times so far in this execution: ${cut(note)}`
      ctl.log('WARN', `task ${task.name}: ${text}`, task.name)
    },
  }
}

const isPowerOfTen = (n: number): boolean => n >= 1 && 10 ** Math.round(Math.log10(n)) === n
