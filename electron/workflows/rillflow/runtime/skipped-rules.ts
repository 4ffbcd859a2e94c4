// Log lines for mapping rules skipped for their tolerance (mappings.ts MappingHooks.skipped), as
// upstream's JSONPathInputOutputMapping logs each ("mapping fails, intolerance:false, mapping:… due
// to …"): here in the job's log, where its owner reads it. Counted per execution, task and rule, so
// a foreach of 100,000 items whose rule fails in each writes six lines, not 100,000.

import type { JobControl } from '../../../engine/driver'
import type { JobRecord, TaskRecord } from '../../../store/job.repository'
import { describeMapping, type Mapping } from '../mappings'
import { specOf } from './task-specs'

/** At most this many characters of a reason are logged (a parse error may quote the script). */
const REASON_CHARS = 500

/**
 * A skip logger for one driver: `note(ctl, task, rule, reason)` writes a WARN line on the 1st, 10th,
 * 100th, … skip of `rule` of the task `task` is an instance of (a foreach's groups' sub-tasks share
 * one count) in the execution `ctl` runs: the first says why; the others how many so far and the last
 * reason. The counts live as long as the job's record in memory (a restart counts anew).
 */
export function skippedRuleLog(): { note(ctl: JobControl, task: TaskRecord, rule: Mapping, reason: string): void } {
  const counts = new WeakMap<JobRecord, Map<string, number>>()
  return {
    note(ctl, task, rule, reason) {
      let byRule = counts.get(ctl.job)
      if (!byRule) counts.set(ctl.job, (byRule = new Map()))
      const what = describeMapping(rule)
      const key = `${specOf(task).def.name}\n${what}`
      const n = (byRule.get(key) ?? 0) + 1
      byRule.set(key, n)
      if (!isPowerOfTen(n)) return
      const why = reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason
      const text = n === 1 ? `${what} skipped: ${why}` : `${what} skipped ${n} times so far in this execution; the last: ${why}`
      ctl.log('WARN', `task ${task.name}: ${text}`, task.name)
    },
  }
}

const isPowerOfTen = (n: number): boolean => n >= 1 && 10 ** Math.round(Math.log10(n)) === n
