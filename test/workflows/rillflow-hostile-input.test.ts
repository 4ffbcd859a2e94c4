// Hostile descriptors and requests through the Rill Flow REST surface (#9 §1, §2, §6): each gets
// a 4xx in Rill Flow's envelope naming the field or line and the limit it met, and nothing is stored
// for it. No stopwatch here (they failed under load 12): the limit named in each answer is what bounds
// the work; that the server keeps answering in time while they run is rillflow-hostile.probe.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { INLINE_MAPPING_CHARS } from '../../electron/services/mapping-evaluator'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const add = (yaml: string) => rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')
const head = (name: string) => `workspace: hostile\ndagName: ${name}\ntype: flow\n`
const stored = (name: string) => t.app.store.workflows.list().some((w) => w.name === name)

/** Asserts a refused descriptor: 400, Rill Flow's descriptor error code, the message, and nothing stored. */
async function refused(name: string, yaml: string, message: RegExp): Promise<string> {
  const r = await add(yaml)
  expect(r.status).toBe(400)
  expect(r.body).toMatchObject({ error_code: 30110, pass_through: true })
  expect(r.body.error).toMatch(message)
  expect(stored(name)).toBe(false)
  return r.body.error
}

describe('YAML aliases and size (#9.2: a 469-byte descriptor stored as a 230 MB row)', () => {
  it('refuses aliases that double twenty times, naming the line where the limit is crossed', async () => {
    let yaml = `${head('doubling')}defaultContext:\n  x0: &x0 {k: "${'a'.repeat(75)}"}\n`
    for (let i = 1; i < 20; i++) yaml += `  x${i}: &x${i} [*x${i - 1}, *x${i - 1}]\n`
    yaml += 'tasks:\n  - {category: pass, name: a}\n'
    expect(yaml.length).toBeLessThan(700)
    await refused('doubling', yaml, /expands to more than \d+ (YAML nodes|characters of values) through alias \*x\d+ \(line (1\d|2\d)\)/)
  })

  it('refuses a billion laughs (it answered 500 before)', async () => {
    let yaml = `${head('laughs')}defaultContext:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`
    for (let i = 1; i < 9; i++) yaml += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`
    yaml += 'tasks:\n  - {category: pass, name: a}\n'
    await refused('laughs', yaml, /expands to more than .* through alias \*a\d \(line \d+\)/)
  })

  it('refuses an alias inside the node it names (a cycle)', async () => {
    await refused('cycle', `${head('cycle')}defaultContext:\n  a: &x [1, *x]\ntasks:\n  - {category: pass, name: a}\n`, /alias \*x refers to a node that contains it \(line 5\)/)
  })

  it('still accepts anchors and aliases used the ordinary way', async () => {
    const yaml = `${head('anchors')}tasks:\n  - category: pass\n    name: a\n    next: b\n    inputMappings: &common\n      - {source: $.context.x, target: $.input.x}\n  - {category: pass, name: b, inputMappings: *common}\n`
    const r = await add(yaml)
    expect(r.status).toBe(200)
  })

  it('refuses a 60k-task chain by its size, and a 5k-task chain by its task count naming the line (§6)', async () => {
    const chain = (n: number, name: string) => {
      let yaml = `${head(name)}tasks:\n`
      for (let i = 0; i < n; i++) yaml += `  - {category: pass, name: t${i}${i + 1 < n ? `, next: t${i + 1}` : ''}}\n`
      return yaml
    }
    // a descriptor over 64 kB is parsed in a worker thread; the process's first one waits for that worker to
    // boot (seconds from source under tsx on a loaded machine), a one-time cost that is not the refusal's
    expect((await add(chain(900, 'warm'))).status).toBe(200)
    await refused('chain60k', chain(60_000, 'chain60k'), /has \d+ characters; at most 1048576 are accepted/)
    await refused('chain5k', chain(5_000, 'chain5k'), /has more than 1000 tasks \(all levels counted\) \(line 1005\)/)
  })

  it('the Workflows editor gets the same error inline, with its line (workflows.validate)', async () => {
    let text = `${head('editor')}defaultContext:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`
    for (let i = 1; i < 9; i++) text += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`
    text += 'tasks:\n  - {category: pass, name: a}\n'
    const r = await t.call('POST', '/api/v1/workflows/validate', { text })
    expect(r.status).toBe(200)
    expect(r.body.ok).toBe(false)
    expect(r.body.problem.message).toMatch(/expands to more than/)
    expect(r.body.problem.line).toBeGreaterThan(4)
  })
})

describe('filter regexes (#9.2: `=~ /^(a+)+$/` froze the server 17 s)', () => {
  it('refuses a pattern RE2 cannot run (backreference, lookahead) naming task, field and line', async () => {
    const yaml = `${head('backref')}tasks:\n  - category: return\n    name: a\n    conditions:\n      - '$.input[?(@.s =~ /(a)\\1/)]'\n`
    const error = await refused('backref', yaml, /task "a": regular expression \/\(a\)\\1\/ is not supported: .*backreferences.* \(line 8\)/)
    expect(error).toContain('RE2')
    const lookahead = `${head('ahead')}tasks:\n  - category: pass\n    name: a\n    inputMappings:\n      - {source: '$.context[?(@.s =~ /(?!x)y/)]', target: $.input.s}\n`
    await refused('ahead', lookahead, /task "a": regular expression .* not supported.*\(line 8\)/)
  })

  it('refuses a pattern whose RE2 program is too large (a match took 300 ms whatever the text), naming it and its line', async () => {
    const yaml = `${head('bigprog')}tasks:\n  - category: pass\n    name: a\n    inputMappings:\n      - {source: '$.context.l[?(@ =~ /(a|aa|aaa){1,1000}z/)]', target: $.input.s}\n`
    await refused('bigprog', yaml, /task "a": regular expression \/\(a\|aa\|aaa\)\{1,1000\}z\/ is too large: its RE2 program has \d+ instructions, more than 1000 .*\(line 8\)/)
  })

  it('refuses a filter longer than 2,000 characters (4,000 terms held the engine 1.75 s), naming task, filter and line', async () => {
    const filter = Array(4000).fill('@.a==1').join(' || ')
    const yaml = `${head('longfilter')}tasks:\n  - category: pass\n    name: a\n    inputMappings:\n      - {source: '$.context.l[?(${filter})]', target: $.input.s}\n`
    await refused('longfilter', yaml, /task "a": the filter \(@\.a==1 \|\| @\.a==1 .*… has 39998 characters; at most 2000 are accepted .*\(line 8\)/)
    const fits = `${head('fitfilter')}tasks:\n  - category: pass\n    name: a\n    inputMappings:\n      - {source: '$.context.l[?(${Array(150).fill('@.a==1').join(' || ')})]', target: $.input.s}\n`
    expect((await add(fits)).status).toBe(200)
  })

  it('runs the catastrophic pattern in linear time over a long input', async () => {
    const yaml = `${head('redos')}tasks:\n  - category: return\n    name: a\n    inputMappings: [{target: $.input.s, source: $.context.s}]\n    conditions: ['$.input[?(@.s =~ /^(a+)+$/)]']\n`
    expect((await add(yaml)).status).toBe(200)
    // 200,000 characters: a backtracking engine would not end (31 took 17 s, ×4 for each 2 more), so ending at all is linear
    const id = await rill.submit('hostile:redos', { s: `${'a'.repeat(200_000)}b` })
    const done = await rill.finished(id)
    expect(done.dag_status).toBe('SUCCEED')
  })
})

describe('completion callbacks (#9.1: a URL that passes the check but does not parse ended the process)', () => {
  const jobOf = (executionId: string) => t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!
  const logOf = (executionId: string) => t.app.store.logs.read(jobOf(executionId).id, 0, 100).lines.map((l) => `${l.level} ${l.text}`)

  it('refuses a callback parameter whose URL does not parse, or that is not a CallbackConfig, at submit', async () => {
    expect((await add(`${head('cbok')}tasks:\n  - {category: pass, name: a}\n`)).status).toBe(200)
    const submitWith = (callback: unknown) =>
      rill.call('POST', `/flow/submit.json?descriptor_id=hostile:cbok&callback=${encodeURIComponent(JSON.stringify(callback))}`, {})
    const jobsBefore = t.app.store.jobs.list({}).total
    for (const [callback, message] of [
      [{ resourceName: 'http://127.0.0.1:99999/' }, /callback resourceName "http:\/\/127\.0\.0\.1:99999\/" is not a valid URL/],
      [{ resourceName: 'http://[::1/' }, /is not a valid URL/],
      [{ resourceName: 'http://127.0.0.1:1/', inputMappings: [1, 'x'] }, /callback.inputMappings\[0\]: .*must be an object/],
      [{ resourceName: 'http://127.0.0.1:1/', fullContext: 'yes' }, /callback.fullContext: /],
      [['not', 'an', 'object'], /callback must be a JSON object/],
    ] as const) {
      const r = await submitWith(callback)
      expect(r.status, JSON.stringify(callback)).toBe(400)
      expect(r.body).toMatchObject({ error_code: 30109 })
      expect(r.body.error).toMatch(message)
    }
    // nested too deep: refused before it is parsed, as a body nested so deep is (422, as upstream's binding errors)
    const deep = await submitWith({ resourceName: 'http://127.0.0.1:1/', x: JSON.parse('['.repeat(101) + ']'.repeat(101)) })
    expect(deep).toMatchObject({ status: 422, body: { error_code: 30109, error: 'callback nests deeper than 100 levels' } })
    expect(t.app.store.jobs.list({}).total).toBe(jobsBefore)
  })

  it('refuses a descriptor whose callback URL does not parse, naming the line', async () => {
    const yaml = `${head('cbbad')}callback:\n  resourceName: http://127.0.0.1:99999/done\ntasks:\n  - {category: pass, name: a}\n`
    await refused('cbbad', yaml, /callback resourceName "http:\/\/127\.0\.0\.1:99999\/done" is not a valid URL \(line 5\)/)
  })

  it('a callback whose mapping throws is a line in the execution log; the execution and the server carry on', async () => {
    const yaml = `${head('cbthrows')}callback:\n  resourceName: http://127.0.0.1:9/never\n  inputMappings:\n    - {source: $.context.x, target: $.input.y, transform: "seq.put(context, 'k', 1)", tolerance: false}\ntasks:\n  - {category: pass, name: a}\n`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('hostile:cbthrows', { x: 1 })
    expect((await rill.finished(id)).dag_status).toBe('SUCCEED')
    await expect.poll(() => logOf(id).find((l) => l.includes('completion callback'))).toMatch(/^WARN completion callback not sent: mapping .* failed: .*read-only/)
    expect((await rill.call('GET', '/flow/service_check.json')).body).toEqual({ ret: 'ok' })
  })
})

describe('mapping_evaluation.json (§6: non-object mapping rules answered an internal error)', () => {
  it('names the rule that is not a mapping object', async () => {
    for (const mappings of [[1], ['$.context.a'], [null], [{ source: '$.context.a', target: 5 }]]) {
      const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings, context: { a: 1 } })
      expect(r.status, JSON.stringify(mappings)).toBe(422)
      expect(r.body).toMatchObject({ error_code: 30109 })
      expect(r.body.error).toMatch(/mappings\[0\]/)
    }
    const ok = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.a', target: '$.input.b' }], context: { a: 1 } })
    expect(ok.body.input).toEqual({ b: 1 })
  })
})

describe('mapping_evaluation.json of a long body (#9 §2: answered in a worker thread, as a short one is)', () => {
  // a context past INLINE_MAPPING_CHARS: evaluated in services/mapping-worker.ts
  const pad = Object.fromEntries(Array.from({ length: 8_000 }, (_, i) => [`k${i}`, `value-${i}`]))
  const call = (body: unknown) => rill.call('POST', '/flow/mapping_evaluation.json', body)

  it('answers the mapped context, input and output, and the same refusals naming the rule', async () => {
    expect(JSON.stringify(pad).length).toBeGreaterThan(INLINE_MAPPING_CHARS)
    const ok = await call({ mappings: [{ source: '$.context.pad.k7999', target: '$.input.b' }], context: { pad }, output: { o: [1, null] } })
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(200)
    expect(ok.body.input).toEqual({ b: 'value-7999' })
    expect(ok.body.output).toEqual({ o: [1, null] })
    expect(ok.body.context.pad).toEqual(pad)

    const notRule = await call({ mappings: [{ source: '$.context.a', target: 5 }], context: { pad } })
    expect(notRule.status).toBe(422)
    expect(notRule.body).toMatchObject({ error_code: 30109 })
    expect(notRule.body.error).toMatch(/mappings\[0\]/)

    const endless = Array.from({ length: 3 }, (_, i) => ({ source: '$.context.s', target: `$.input.r${i}`, transform: 'while(true) { }' }))
    const outOfSteps = await call({ mappings: endless, context: { s: 'a', pad } })
    expect(outOfSteps.status).toBe(400)
    expect(outOfSteps.body).toMatchObject({ error_code: 30109, pass_through: true })
    expect(outOfSteps.body.error).toMatch(/^mappings\[1\]: .*the transforms of one mapping pass may take 100000 steps together/)
  })

  it('refuses a long body that is not JSON, naming the body', async () => {
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', `{"mappings": [], "context": ${JSON.stringify(pad)}`, 'application/json')
    const short = await rill.call('POST', '/flow/mapping_evaluation.json', '{"mappings": [], "context": {', 'application/json')
    expect(r.status).toBe(short.status)
    // the same refusal as a short body's, the parser's words and position apart (where each broke off)
    expect({ ...r.body, error: undefined }).toEqual({ ...short.body, error: undefined })
    expect(r.body.error).toMatch(/^body is not valid JSON: .* at position \d+$/)
  })
})

describe('JSONPath deep scans are refused within a budget (#9 §1: six ..x steps over 95 levels ended the process)', () => {
  /** `{"x":{"x":…1…}}`, `depth` levels of one key "x". */
  const nested = (depth: number): unknown => JSON.parse(`${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`)

  it('mapping_evaluation.json answers 400 naming the rule and the path, whatever its tolerance', async () => {
    const mappings = [{ source: '$.context..x..x..x..x..x', target: '$.input.r', tolerance: true }]
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings, context: nested(90) })
    expect(r.status).toBe(400) // it held the server 6.9 s before; the node count named below bounds it
    expect(r.body).toMatchObject({ error_code: 30109, pass_through: true })
    expect(r.body.error).toMatch(/^mappings\[0\]: mapping \(source: \$\.context\.\.x\.\.x\.\.x\.\.x\.\.x, target: \$\.input\.r\): the JSONPath \$\.context\.\.x\.\.x\.\.x\.\.x\.\.x was stopped: it would visit more than 500000 nodes/)
  })

  it("a switch case whose condition is refused fails the switch task with the reason; the other tasks' states stay consistent", async () => {
    const yaml = `${head('deepswitch')}tasks:
  - {category: pass, name: caseA}
  - category: switch
    name: sw
    inputMappings: [{source: $.context.deep, target: $.input.deep}]
    switches:
      - {next: caseA, condition: "$.input..x..x..x..x..x..x"}
`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('hostile:deepswitch', { deep: nested(95) })
    const done = await rill.finished(id, 60_000)
    expect(done.dag_status).toBe('FAILED')
    expect(done.tasks.sw.status).toBe('FAILED')
    expect(done.tasks.sw.invoke_msg.msg).toMatch(/^the JSONPath \$\.input\.\.x\.\.x\.\.x\.\.x\.\.x\.\.x was stopped: .* the limit of the conditions of one switch task together/)
  })
})

describe('mapping passes have one step budget each (#9.2: 300 endless transforms held one engine tick 9.5 s)', () => {
  it('mapping_evaluation.json is one pass: endless transforms end it with 400 naming the rule that ran it out', async () => {
    const mappings = Array.from({ length: 10 }, (_, i) => ({ source: '$.context.s', target: `$.input.r${i}`, transform: 'while(true) { }' }))
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings, context: { s: 'a' } })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error_code: 30109, pass_through: true })
    expect(r.body.error).toMatch(/^mappings\[1\]: mapping \(source: \$\.context\.s, target: \$\.input\.r1\): the transforms of one mapping pass may take 100000 steps together/)
  })

  it('a wakeup whose output mappings run the pass out of steps fails the waiting task with the reason, not the request', async () => {
    const yaml = `${head('endlesswake')}tasks:
  - category: suspense
    name: hold
    conditions: ["$.input.[?(@.go == true)]"]
    outputMappings:
      - {source: $.output.go, target: $.context.a, transform: "while(true) { }"}
      - {source: $.output.go, target: $.context.b, transform: "while(true) { }"}
`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('hostile:endlesswake')
    await expect.poll(async () => (await rill.get(id)).tasks.hold?.status).toBe('RUNNING')
    const r = await rill.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(id)}&task_name=hold`, { go: true })
    expect(r.status).toBe(200)
    const done = await rill.finished(id)
    expect(done.dag_status).toBe('FAILED')
    expect(done.tasks.hold.invoke_msg.msg).toMatch(/^mapping \(source: \$\.output\.go, target: \$\.context\.b\) of task hold: the transforms of one mapping pass may take 100000 steps together/)
  })

  it('a foreach whose groups each spend many steps runs: every group’s pass has its own budget, however many groups settle at once', async () => {
    // 40 groups x 60,000 steps (10,000 rounds of 6 nodes and statements): far over one pass's 100,000, as a budget shared through the hooks would be
    const yaml = `${head('busyforeach')}tasks:
  - category: foreach
    name: f
    inputMappings: [{target: $.input.items, source: "[${Array.from({ length: 40 }, (_, i) => i).join(',')}]"}]
    iterationMapping: {collection: $.input.items, item: item}
    outputMappings: [{target: $.context.sums, source: "$.output.sub_context.[*].sum"}]
    tasks:
      - category: pass
        name: p
        outputMappings:
          - {target: $.context.sum, source: $.context.item, transform: "let s = 0; for i in range(0, 10000) { s = s + 1; } return s + source;"}
`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('hostile:busyforeach')
    const done = await rill.finished(id, 60_000)
    expect(done.dag_status).toBe('SUCCEED')
    expect(done.context.sums).toEqual(Array.from({ length: 40 }, (_, i) => 10_000 + i))
  }, 90_000)
})

describe('sub-flow budget (#9.2: a foreach that starts itself as a sub-flow made 421 executions from one submit)', () => {
  const recursive = (name: string, width: number) =>
    `${head(name)}tasks:\n  - category: foreach\n    name: f\n    inputMappings: [{target: $.input.items, source: "[${Array.from({ length: width }, (_, i) => i).join(',')}]"}]\n    iterationMapping: {collection: $.input.items, item: item}\n    tasks:\n      - {category: function, name: s, pattern: flow_sync, resourceName: "rillflow://hostile:${name}"}\n`
  const executions = (name: string) => t.app.store.jobs.list({ name: `hostile:${name}`, limit: 1000 }).total

  it('stops starting sub-flows at the root execution’s budget, with the reason on the tasks refused', async () => {
    t.app.store.settings.set('rillflow.maxDescendants', 30)
    try {
      expect((await add(recursive('rec', 8))).status).toBe(200)
      const id = await rill.submit('hostile:rec')
      const done = await rill.finished(id, 20_000)
      expect(done.dag_status).toBe('FAILED')
      await expect.poll(() => t.app.store.jobs.list({ status: 'running', name: 'hostile:rec' }).total, { timeout: 10_000 }).toBe(0)
      expect(executions('rec')).toBe(31) // the root and its budget of 30
      const refused = t.app.store.db
        .prepare("SELECT count(*) AS n FROM tasks WHERE error LIKE '%has started 30 sub-flow executions, its budget (setting rillflow.maxDescendants)%'")
        .get() as { n: number }
      expect(refused.n).toBeGreaterThan(0)
    } finally {
      t.app.store.settings.set('rillflow.maxDescendants', null) // back to the default
    }
  })
})

describe('prototype keys in request bodies (an own "__proto__" merged into a context replaced its prototype)', () => {
  it('refuses them in submit.json, redo.json and a context parameter, naming the field; nothing runs', async () => {
    expect((await add(`${head('proto')}tasks:\n  - {category: pass, name: a}\n`)).status).toBe(200)
    const jobsBefore = t.app.store.jobs.list({}).total
    for (const body of ['{"__proto__": {"polluted": true}}', '{"a": {"constructor": {"prototype": {"polluted": true}}}}']) {
      const r = await rill.call('POST', '/flow/submit.json?descriptor_id=hostile:proto', body)
      expect(r.status, body).toBe(400)
      expect(r.body.error).toMatch(/(field name "__proto__"|"constructor" holding "prototype") is not allowed/)
    }
    const viaQuery = await rill.call('POST', `/flow/trigger.json?execution_id=x&task_name=y&context=${encodeURIComponent('{"__proto__":{"x":1}}')}`, {})
    expect(viaQuery.status).toBe(400)
    expect(t.app.store.jobs.list({}).total).toBe(jobsBefore)

    const id = await rill.submit('hostile:proto', { k: 1 })
    await rill.finished(id)
    const redo = await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(id)}`, '{"__proto__": {"polluted": true}}')
    expect(redo.status).toBe(400)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(id))!
    expect(Object.getPrototypeOf(job.context)).toBe(Object.prototype)
  })
})

describe('timeouts, intervals and counts that make no schedule (#9: "abc" or -1 left the task RUNNING for good)', () => {
  const fn = (name: string, extra: string) => `${head(name)}tasks:\n  - category: function\n    name: a\n    pattern: task_sync\n    resourceName: http://127.0.0.1:1/x\n${extra}`
  it('refuses a timeoutInSeconds that is not a positive number, naming the task, field and line', async () => {
    await refused('toabc', fn('toabc', '    timeline:\n      timeoutInSeconds: abc\n'), /^task "a": timeline\.timeoutInSeconds must be a positive number of seconds, got "abc" \(line 10\)$/)
    await refused('tominus', fn('tominus', '    timeline: {timeoutInSeconds: -1}\n'), /^task "a": timeline\.timeoutInSeconds must be a positive number of seconds, got "-1" \(line 9\)$/)
    await refused('tozero', fn('tozero', '    timeline: {timeoutInSeconds: "0"}\n'), /timeline\.timeoutInSeconds must be a positive number of seconds, got "0" \(line 9\)/)
    await refused('tonan', fn('tonan', '    timeline: {timeoutInSeconds: "NaN"}\n'), /got "NaN"/)
    await refused('toinf', fn('toinf', '    timeline: {timeoutInSeconds: "1e400"}\n'), /got "1e400"/)
  })

  it('refuses a negative suspense interval, a skipOnTimeout that is not a boolean and a DAG timer timeout of -5', async () => {
    await refused('susp', fn('susp', '    timeline: {suspenseIntervalSeconds: "-3"}\n'), /task "a": timeline\.suspenseIntervalSeconds must be a non-negative number of seconds, got "-3" \(line 9\)/)
    await refused('skip', fn('skip', '    timeline: {skipOnTimeout: "maybe"}\n'), /task "a": timeline\.skipOnTimeout must be "true" or "false", got "maybe" \(line 9\)/)
    await refused('timer', `${head('timer')}timer: {timeoutInSeconds: "-5"}\ntasks:\n  - {category: pass, name: a}\n`, /^timer\.timeoutInSeconds must be a positive number of seconds, got "-5" \(line 4\)$/)
  })

  it('refuses negative retry intervals and counts and a multiplier of 0', async () => {
    await refused('rint', fn('rint', '    retry: {intervalInSeconds: -1, maxRetryTimes: 2}\n'), /task "a": retry\.intervalInSeconds must be a whole number of seconds, 0 or more, got -1 \(line 9\)/)
    await refused('rmax', fn('rmax', '    retry: {maxRetryTimes: -2}\n'), /task "a": retry\.maxRetryTimes must be a whole number, 0 or more, got -2 \(line 9\)/)
    await refused('rmul', fn('rmul', '    retry: {intervalInSeconds: 1, multiplier: 0}\n'), /task "a": retry\.multiplier must be a positive number, got 0 \(line 9\)/)
    await refused('rabc', fn('rabc', '    retry: {intervalInSeconds: abc}\n'), /task "a": field "intervalInSeconds" must be an integer, got string \(line 9\)/)
  })

  it('refuses a maxConcurrency that is not a positive whole number or a JsonPath, and keeps both good forms', async () => {
    const foreach = (name: string, max: string) =>
      `${head(name)}tasks:\n  - category: foreach\n    name: f\n    iterationMapping: {collection: $.input.items, item: item}\n    synchronization:\n      maxConcurrency: ${max}\n    tasks:\n      - {category: pass, name: p}\n`
    await refused('mc0', foreach('mc0', '0'), /^task "f": synchronization\.maxConcurrency must be a positive whole number or a JsonPath such as \$\.input\.max, got "0" \(line 9\)$/)
    await refused('mcabc', foreach('mcabc', 'abc'), /synchronization\.maxConcurrency must be .* got "abc" \(line 9\)/)
    await refused('mchalf', foreach('mchalf', '1.5'), /got "1\.5" \(line 9\)/)
    for (const [name, max] of [['mcok', '4'], ['mcpath', '$.input.max']]) {
      const r = await add(foreach(name, max))
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }
  })
})
