// A view worker (http/view-workers.ts serveView) whose build writes `${done}.started` (a file) as it
// begins, takes `ms` of CPU and then writes `done`, for tests of what happens to a view whose client
// hangs up; `fail` makes it throw; `queries` spends the time in SQLite statements, one after another,
// as a view of many jobs reads them (instead of in JavaScript).
import { writeFileSync } from 'node:fs'
import { serveView } from '../../electron/http/view-workers'

export interface SlowViewInput {
  ms: number
  done: string
  fail?: string
  queries?: boolean
}

serveView<SlowViewInput>((db, input) => {
  if (input.fail) throw new Error(input.fail)
  writeFileSync(`${input.done}.started`, '')
  const read = db.prepare('SELECT count(*) FROM jobs')
  for (const end = Date.now() + input.ms; Date.now() < end; ) if (input.queries) read.get() // held as a view of megabytes holds it
  writeFileSync(input.done, 'built')
  return { built: true }
})
