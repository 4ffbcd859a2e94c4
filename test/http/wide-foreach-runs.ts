// Runs of one wide foreach, as the run grid's tests (workflow-grid-wide) read them.
import { foreachDescriptor } from '../workflows/support/foreach-descriptor'
import type { rillClient } from '../workflows/support/rill-client'

/** Descriptor `wide:f20k`: one foreach `f` over `$.context.items`, one pass task `p` in each item. */
export const WIDE_FOREACH = foreachDescriptor('wide', 'f20k', { name: 'f', tasks: '[{category: pass, name: p}]' })

/** Polls run `id` every 500 ms until it has ended (SUCCEED or FAILED), for up to 5 minutes. */
export async function finishRun(rill: ReturnType<typeof rillClient>, id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ret = await rill.get(id, true)
    if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Adds WIDE_FOREACH and runs it `runs` times over `items` items each, one after the other, to their end. */
export async function runWideForeach(rill: ReturnType<typeof rillClient>, runs: number, items: number): Promise<void> {
  await rill.addDescriptor(WIDE_FOREACH)
  for (let run = 0; run < runs; run++) await finishRun(rill, await rill.submit('wide:f20k', { items: Array.from({ length: items }, (_, i) => i) }))
}
