// Attack (atk30) on the JSON container cap (cc89b33/00a9748: "every dialect's JSON body with more than
// 320,000 lists and maps refused before parse", shared/json-limits.ts). A Rill Flow function task's
// answer is JSON too, chosen by whoever wrote the descriptor (any loopback process: resourceName is any
// http URL), and the function executor reads it whole and parses it on the main thread with neither a
// byte limit nor checkJsonShape (electron/workflows/rillflow/runtime/function-executor.ts: `await
// res.text()` then `JSON.parse`). Measured against the served app (load 15-16, other helpers' tests):
//  - 4 MB of 1.3 million empty lists: the task SUCCEEDED with them as its output; the main thread was
//    held 5,264 ms in one piece (garbage collection 1,631 ms, CPU wait 3,991 ms);
//  - `[` x 1,000,000 and `]` x 1,000,000: "unexpected error in job: RangeError: Maximum call stack size
//    exceeded", the execution FAILED with "JobDesk could not save this job's state", the thread held 4.2 s;
//  - a 450 MB JSON string: read whole (no limit), the main thread held 39 s (CPU wait 30.7 s), the status
//    probe timed out; the task then failed "output is not a JSON object".
// Expected (#9 §2): no answer holds the status probe past 200 ms; an answer too large, too deep or of too
// many lists fails its task with a reason naming it. A fix: read the answer with a byte limit (stop the
// stream, as body-limits.ts does for requests: BODY_LIMITS.content), then parse with checkJsonShape
// (parseClientJson) and fail the task with that error, or parse large answers off the main thread. The
// Linkis/native HTTP executor (electron/executors/http.ts) has the same `res.text()` + JSON.parse.
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeWhile, expectResponsive } from '../support/served-process'
import { rillAttackSuite } from './support/rill-attack'

const { app, rill, head, add, alive } = rillAttackSuite()

const MB = Buffer.from('a'.repeat(1 << 20))
/** What the hostile function server answers at each path: written in 1 MB pieces. */
const answers: Record<string, () => Iterable<string | Buffer>> = {
  wide: () => [`[${Array.from({ length: 1_300_000 }, () => '[]').join(',')}]`],
  deep: () => ['['.repeat(1_000_000) + ']'.repeat(1_000_000)],
  huge: function* () {
    yield '"'
    for (let i = 0; i < 450; i++) yield MB
    yield '"'
  },
}
let port = 0
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  // the function executor adds execution_id and name to the query: the path alone names the answer
  const pieces = answers[new URL(req.url ?? '/', 'http://x').pathname.slice(1)]?.()[Symbol.iterator]() ?? [].values()
  const more = () => {
    for (let p = pieces.next(); !p.done; p = pieces.next()) if (!res.write(p.value)) return void res.once('drain', more)
    res.end()
  }
  more()
})
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  port = (server.address() as { port: number }).port
})
afterAll(() => server.close())

/** Runs a one-function-task execution whose function answers `kind`, under the status probe; the execution as get.json ends it. */
async function runAnswer(kind: string): Promise<any> {
  const r = await add(`${head(kind)}tasks:\n  - {category: function, name: f, pattern: task_sync, resourceName: "http://127.0.0.1:${port}/${kind}"}\n`)
  expect(r.status).toBe(200)
  const { result, probe } = await probeWhile(app, async () => rill().finished(await rill().submit(`attack:${kind}`), 180_000))
  console.log(`${kind}: ${result.dag_status} ${JSON.stringify(result.dag_invoke_msg?.msg)}; probe max ${Math.round(probe.maxMs)} ms, failures ${probe.failures.length}`)
  expect(alive()).toBe(true)
  expectResponsive(probe)
  return result
}

describe('a function task answer is bounded before the main thread parses it', () => {
  it('4 MB of 1.3 million empty lists never holds the status probe past 200 ms', async () => {
    // fails (load 15): the main thread held 5,264 ms (gc 1,631, CPU wait 3,991), the task SUCCEEDED
    await runAnswer('wide')
  }, 240_000)

  it('an answer nested a million levels deep fails its task naming the nesting, not "could not save this job\'s state"', async () => {
    const ret = await runAnswer('deep')
    // fails (load 15): FAILED "JobDesk could not save this job's state: … Maximum call stack size exceeded", held 4.2 s
    expect(ret.dag_status).toBe('FAILED')
    expect(String(ret.dag_invoke_msg?.msg)).not.toMatch(/could not save|call stack/)
    expect(String(ret.dag_invoke_msg?.msg)).toMatch(/deep|levels|nest/)
  }, 240_000)

  it('a 450 MB answer is cut at a limit and fails its task naming it, the status probe answering meanwhile', async () => {
    const ret = await runAnswer('huge')
    // fails (load 15-16): read whole, the main thread held 39 s (CPU wait 30.7 s), probes timed out
    expect(ret.dag_status).toBe('FAILED')
    expect(String(ret.dag_invoke_msg?.msg)).toMatch(/large|MB|limit/)
  }, 300_000)
})
