// Attack (#9 §2): a RUNNING workflow whose tasks hold megabytes, watched by several UI tabs. Every
// task change went out as a `task.changed` event carrying the task's whole input and output (JSON of
// megabytes serialized on the main thread, then written to every open stream), and Rill Flow's
// get.json of a running execution serialized the engine's in-memory task values on every poll.
// Here four pass tasks each map a 2 MB context value into their input (a pass task's output is its
// input: 16 MB of task values), then a function task hangs so the execution stays running. STREAMS
// event streams are open while it runs, and get.json is polled while it is running; a health probe
// must stay fast throughout. Clients still get every value whole from the detail routes.
import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS_PATH } from '../../shared/api'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { getFromOwnProcess } from '../workflows/support/own-process-client'
import { rillClient } from '../workflows/support/rill-client'

const app = servedProcessSuite()
const auth = () => ({ authorization: `Bearer ${app.token}` })
const STREAMS = 10
const PASS_TASKS = 4
const READS = 6

let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
})
afterAll(() => exec?.close())

// Between pass tasks a function task answers at once: the tasks change in commits of their own, as
// tasks that take time do. (Eight pass tasks of 3 MB finishing in one engine tick hold the main thread
// ~800 ms at load 7 to store their values alone: stateJson and SQLite, whatever the events carry.)
const descriptor = (executor: string) => {
  const tasks = Array.from({ length: PASS_TASKS }, (_, i) => {
    const next = i + 1 < PASS_TASKS ? `f${i + 1}` : 'hang'
    const pass = `  - {category: pass, name: p${i + 1}, next: ${next}, inputMappings: [{source: $.context.s, target: $.input.s}]}`
    return i + 1 < PASS_TASKS ? `${pass}\n  - {category: function, name: f${i + 1}, next: p${i + 2}, pattern: task_sync, resourceName: ${executor}/executor.json}` : pass
  })
  return `workspace: attack\ndagName: runningbig\ntype: flow\ntasks:\n${tasks.join('\n')}\n  - {category: function, name: hang, pattern: task_sync, resourceName: ${executor}/hang.json}\n`
}

interface StreamsReport {
  /** Bytes each stream received. */
  bytes: number[]
  /** Streams that ended or broke before the reader stopped (the server cuts a reader that falls behind). */
  ended: number
  /** Per task name, the last `task.changed` event's task's output and the event's `omitted` sizes. */
  tasks: Record<string, { output: unknown; omitted?: { input?: number; output?: number } }>
}

/**
 * Opens `n` event streams from a node process of its own (megabytes read on the test's event loop
 * would hold the probe client), reads them until `stop` resolves, then reports what came.
 */
function watchStreams(n: number): { ready: Promise<void>; stop: () => Promise<StreamsReport> } {
  const script = `
const url = ${JSON.stringify(`${app.url}${EVENTS_PATH}`)}
const headers = ${JSON.stringify(auth())}
const bytes = Array(${n}).fill(0)
let ended = 0
let stopping = false
const tasks = {}
const controllers = []
await Promise.all(Array.from({ length: ${n} }, async (_, i) => {
  const controller = new AbortController()
  controllers.push(controller)
  const res = await fetch(url, { headers, signal: controller.signal })
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  ;(async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) { ended++; return }
        bytes[i] += value.byteLength
        if (i !== 0) continue
        text += decoder.decode(value, { stream: true })
        let end
        while ((end = text.indexOf('\\n\\n')) >= 0) {
          const frame = text.slice(0, end)
          text = text.slice(end + 2)
          if (!frame.startsWith('event: task.changed\\n')) continue
          const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6))
          tasks[data.task.name] = { output: typeof data.task.output === 'object' && data.task.output && typeof data.task.output.s === 'string' ? { sLength: data.task.output.s.length } : data.task.output, omitted: data.omitted }
        }
      }
    } catch {
      if (!stopping) ended++ // cut by the server
    }
  })()
}))
process.stdout.write('ready\\n')
process.stdin.once('data', () => {
  stopping = true
  for (const c of controllers) c.abort()
  process.stdout.write(JSON.stringify({ bytes, ended, tasks }) + '\\n')
  process.exit(0)
})
`
  const child = execFile(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 16 * 1024 * 1024 })
  let out = ''
  const lines: ((line: string) => void)[] = []
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    let nl
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl)
      out = out.slice(nl + 1)
      lines.shift()?.(line)
    }
  })
  const nextLine = () => new Promise<string>((ok) => lines.push(ok))
  const ready = nextLine().then(() => undefined)
  return {
    ready,
    stop: async () => {
      const report = nextLine()
      child.stdin!.write('stop\n')
      return JSON.parse(await report) as StreamsReport
    },
  }
}

describe('attack: a running workflow whose tasks hold 16 MB, watched by several event streams', () => {
  it('keeps the health probe fast while its tasks change and get.json is polled; clients still get every value whole', async () => {
    const rill = rillClient(app.url)
    await rill.addDescriptor(descriptor(exec.url))
    const s = `${'r'.repeat(2_000_000)}中文€😀"\\\n`

    const streams = watchStreams(STREAMS)
    await streams.ready
    let executionId = ''
    const run = await probeWhile(app, async () => {
      executionId = await rill.submit('attack:runningbig', { s })
      const deadline = Date.now() + 60_000
      for (;;) {
        // the last task is running once its call reached the executor
        if (exec.calls.some((c) => c.path === '/hang.json')) return
        if (Date.now() > deadline) throw new Error('task hang never ran')
        await new Promise((r) => setTimeout(r, 100))
      }
    })
    const seen = await streams.stop()
    console.log(`run with ${STREAMS} streams: probe max ${Math.round(run.probe.maxMs)} ms over ${run.probe.count} probes; stalls ${JSON.stringify(run.probe.stalls)}; stream bytes ${JSON.stringify(seen.bytes)}, ${seen.ended} ended early`)
    expect(app.child.exitCode).toBe(null)
    expectResponsive(run.probe)
    // every stream kept up: none was cut for falling a megabyte behind
    expect(seen.ended).toBe(0)
    // the events said each task's values were left out, and how large they are (2 MB and its JSON quotes and escapes)
    const stored = Buffer.byteLength(JSON.stringify({ s }))
    for (let i = 1; i <= PASS_TASKS; i++) expect(seen.tasks[`p${i}`]).toEqual({ output: null, omitted: { input: stored, output: stored } })

    // a client gets each value whole from the detail routes while the execution runs
    const list = (await (await fetch(`${app.url}/api/v1/jobs?limit=5`, { headers: auth() })).json()) as { items: { id: number; status: string; labels: { executionId?: string } }[] }
    const job = list.items.find((j) => j.labels.executionId === executionId)!
    expect(job.status).toBe('running')
    const detail = (await (await fetch(`${app.url}/api/v1/jobs/${job.id}`, { headers: auth() })).json()) as { tasks: { name: string; input: unknown; output: unknown }[] }
    for (const t of detail.tasks.filter((t) => t.name.startsWith('p'))) expect({ name: t.name, input: t.input, output: t.output }).toEqual({ name: t.name, input: { s }, output: { s } })
    const full = `${app.url}/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=false`
    const ret = (await (await fetch(full)).json()) as { ret: { dag_status: string; tasks: Record<string, { invoke_msg: { input: unknown; output: unknown } }> } }
    expect(ret.ret.dag_status).toBe('RUNNING')
    for (let i = 1; i <= PASS_TASKS; i++) expect(ret.ret.tasks[`p${i}`].invoke_msg).toMatchObject({ input: { s }, output: { s } })

    // get.json of the running execution, polled
    const polls = await probeWhile(app, async () => {
      for (let i = 0; i < READS; i++) for (const a of await getFromOwnProcess(full, {}, 2)) expect(a.status).toBe(200)
    })
    console.log(`${READS * 2} get.json of a running execution: probe max ${Math.round(polls.probe.maxMs)} ms over ${polls.probe.count} probes; stalls ${JSON.stringify(polls.probe.stalls)}`)
    expect(app.child.exitCode).toBe(null)
    expectResponsive(polls.probe)
  }, 240_000)
})
