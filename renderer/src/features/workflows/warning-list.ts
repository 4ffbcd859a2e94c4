// The editor's warnings (views.ts descriptorWarnings) as the list under the editor shows them.
import type { DescriptorProblem } from '../../../../shared/workflows'

/** One entry of the warning list: a line of the descriptor (none when the warning names no line) and its messages. */
export interface WarningEntry {
  /** 1-based line of the descriptor text; undefined for warnings that name no line. */
  line?: number
  /** The line's warnings, in the order the server gave them. */
  messages: string[]
}

/**
 * The warnings merged by line, one entry per line (two warnings of a flow-style mapping list on one
 * line were two boxes), ordered by line; warnings without a line come last, one entry each.
 */
export function warningEntries(warnings: readonly DescriptorProblem[]): WarningEntry[] {
  const byLine = new Map<number, WarningEntry>()
  const lineless: WarningEntry[] = []
  for (const w of warnings) {
    if (w.line === undefined) {
      lineless.push({ messages: [w.message] })
      continue
    }
    const entry = byLine.get(w.line)
    if (entry) entry.messages.push(w.message)
    else byLine.set(w.line, { line: w.line, messages: [w.message] })
  }
  return [...[...byLine.values()].sort((a, b) => a.line! - b.line!), ...lineless]
}
