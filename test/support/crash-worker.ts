// Runs an engine in its own process so a test can kill -9 it mid-job, as a real crash would.
// argv: <data dir> [<n>: the script also starts a `setsid sleep <n>` that leaves its group, and a
// `setsid sleep <n + 1>` with a cleared environment whose parent ends at once]. Prints one JSON line
// once the jobs are running, then waits to be killed.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import { createShellExecutor } from '../../electron/executors/process'
import { openStore } from '../../electron/store'

const dir = process.argv[2]
const n = Number(process.argv[3])
const escapee = process.argv[3] ? `setsid sleep ${n} & env -i /bin/sh -c "setsid sleep ${n + 1} >/dev/null 2>&1 &"; ` : ''
const store = openStore(join(dir, 'jobdesk.db'))
const engine = new Engine({ store, executors: new ExecutorRegistry([noopExecutor, createShellExecutor({ workRoot: join(dir, 'work') })]) })
const job = (name: string) => ({ uuid: randomUUID(), kind: 'dag' as const, name, submitter: 'admin' })

const scriptJob = engine.submit(job('script'), [
  { name: 'prep', executor: 'noop' },
  { name: 'sleeper', executor: 'shell', dependsOn: ['prep'], spec: { code: `${escapee}sleep 300 & sleep 300` } },
])
const pureJob = engine.submit(job('pure'), [
  { name: 'first', executor: 'noop' },
  { name: 'slow', executor: 'noop', dependsOn: ['first'], spec: { delayMs: 3000 } },
  { name: 'last', executor: 'noop', dependsOn: ['slow'] },
])

const timer = setInterval(() => {
  const sleeper = store.jobs.tasks(scriptJob.id).find((t) => t.name === 'sleeper')!
  const slow = store.jobs.tasks(pureJob.id).find((t) => t.name === 'slow')!
  if (sleeper.runtime?.pid && slow.status === 'running') {
    clearInterval(timer)
    console.log(JSON.stringify({ scriptJob: scriptJob.id, pureJob: pureJob.id, pgid: sleeper.runtime.pgid, cgroup: sleeper.runtime.cgroup ?? null }))
  }
}, 20)
