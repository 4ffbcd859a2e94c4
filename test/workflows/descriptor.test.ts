import { describe, expect, it } from 'vitest'
import {
  DescriptorError,
  descriptorLines,
  descriptorMd5,
  formatDescriptorId,
  parseDescriptor,
  parseDescriptorId,
  rewriteInputShorthand,
  validateDag,
  type Dag,
  type FunctionTask,
} from '../../electron/workflows/rillflow/descriptor'

/** Strip the common indentation so fixture line 1 is the first line after the backtick. */
function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0))
  return lines.map((l) => l.slice(indent)).join('\n')
}

/** The DescriptorError thrown by `fn` (fails the test when nothing or something else is thrown). */
function errorOf(fn: () => unknown): DescriptorError {
  try {
    fn()
  } catch (error) {
    if (error instanceof DescriptorError) return error
    throw error
  }
  throw new Error('expected a DescriptorError')
}

const parseError = (text: string): DescriptorError => errorOf(() => parseDescriptor(text))

/** A valid two-task DAG header for rule fixtures; tasks start on line 5. */
const HEAD = 'workspace: ws\ndagName: flow1\ntype: flow\ntasks:\n'

// README quick-start (rillflow.md §6), with the inputSchema and alias the docs add.
const GREET = yaml(`
  ---
  version: 1.0.0
  workspace: rillFlowSimple
  dagName: greet
  alias: release
  type: flow
  inputSchema: '[{"required":true,"name":"Bob","type":"String"},{"required":true,"name":"Alice","type":"String"}]'
  tasks:
    - category: function
      name: Bob
      resourceName: http://sample-executor:8000/greet.json?user=Bob
      pattern: task_sync
      tolerance: false
      next: Alice
      inputMappings:
        - source: "$.context.Bob"
          target: "$.input.Bob"
    - category: function
      name: Alice
      resourceName: http://sample-executor:8000/greet.json?user=Alice
      pattern: task_sync
      tolerance: false
      inputMappings:
        - source: "$.context.Alice"
          target: "$.input.Alice"
`)

describe('parseDescriptor: samples', () => {
  it('parses the README greet DAG', () => {
    const dag = parseDescriptor(GREET)
    expect(dag).toMatchObject({ version: '1.0.0', workspace: 'rillFlowSimple', dagName: 'greet', alias: 'release', type: 'flow' })
    expect(JSON.parse(dag.inputSchema ?? '')).toEqual([
      { required: true, name: 'Bob', type: 'String' },
      { required: true, name: 'Alice', type: 'String' },
    ])
    expect(dag.tasks.map((t) => [t.name, t.category, t.next])).toEqual([
      ['Bob', 'function', 'Alice'],
      ['Alice', 'function', undefined],
    ])
    const bob = dag.tasks[0] as FunctionTask
    expect(bob).toEqual({
      category: 'function',
      name: 'Bob',
      resourceName: 'http://sample-executor:8000/greet.json?user=Bob',
      pattern: 'task_sync',
      tolerance: false,
      next: 'Alice',
      inputMappings: [{ source: '$.context.Bob', target: '$.input.Bob' }],
    })
  })

  it('keeps string fields as written: a numeric version and timeline values stay strings', () => {
    const dag = parseDescriptor(
      yaml(`
        version: 20230829
        workspace: demoFlowTest
        dagName: demoTest
        timer:
          timeoutInSeconds: 60
        tasks:
          - category: function
            name: startNode
            resourceName: http://127.0.0.1:8080/flow/sample/start_node.json
            pattern: task_sync
            timeline:
              timeoutInSeconds: 1.0
              skipOnTimeout: true
      `)
    )
    expect(dag.version).toBe('20230829')
    expect(dag.timer).toEqual({ timeoutInSeconds: '60' })
    expect(dag.tasks[0]?.timeline).toEqual({ timeoutInSeconds: '1.0', skipOnTimeout: 'true' })
  })

  it('accepts the aliases namespace, service and callback_config', () => {
    const dag = parseDescriptor(
      yaml(`
        namespace: ws
        service: svc
        callback_config:
          resourceName: http://cb/done
          fullContext: true
        tasks:
          - {category: pass, name: only}
      `)
    )
    expect(dag).toMatchObject({ workspace: 'ws', dagName: 'svc', callback: { resourceName: 'http://cb/done', fullContext: true } })
    expect(parseDescriptor(yaml(`
      namespace: ws
      service: svc
      callbackConfig: {resourceName: http://cb}
      tasks: [{category: pass, name: a}]
    `)).callback).toEqual({ resourceName: 'http://cb' })
  })

  it('parses a JSON descriptor and reports JSON lines', () => {
    const json = JSON.stringify({ workspace: 'ws', dagName: 'd', type: 'flow', tasks: [{ category: 'pass', name: 'a', next: 'zz' }] }, null, 2)
    const error = parseError(json)
    expect(error.message).toBe(`task "a": next "zz" is not a task of this level (line ${json.split('\n').findIndex((l) => l.includes('"zz"')) + 1})`)
  })

  it('derives a switch next from its switches and ignores its outputMappings', () => {
    const dag = parseDescriptor(
      HEAD +
        yaml(`
          - category: switch
            name: choose
            next: ignored
            outputMappings: [{source: $.output.x, target: $.context.x}]
            switches:
              - {next: one, condition: "$.input.[?(@.num >= 5)]", break: true}
              - {next: two, condition: default}
          - {category: pass, name: one}
          - {category: pass, name: two}
        `)
    )
    const choose = dag.tasks[0]
    expect(choose?.next).toBe('one,two')
    expect(choose?.outputMappings).toBeUndefined()
  })

  it('turns a bare resourceProtocol into resourceName <protocol>://', () => {
    const dag = parseDescriptor(HEAD + yaml(`
      - {category: function, name: f, pattern: task_sync, resourceProtocol: function}
    `))
    expect((dag.tasks[0] as FunctionTask).resourceName).toBe('function://')
  })
})

describe('parseDescriptor: syntax and types', () => {
  it('gives the line of a YAML syntax error', () => {
    const error = parseError('workspace: ws\ndagName: d\ntasks:\n  - name: a\n   category: pass\n')
    expect(error.message).toMatch(/^invalid YAML: .* \(line 5\)$/)
    expect(error.details.line).toBe(5)
  })

  it('rejects an empty descriptor and several documents', () => {
    expect(parseError('  \n').message).toBe('dag descriptor empty')
    expect(parseError('a: 1\n---\nb: 2\n').message).toMatch(/one YAML document, found 2/)
  })

  it('rejects tasks that are not a list, naming the field', () => {
    const error = parseError('workspace: ws\ndagName: d\ntasks:\n  a: 1\n')
    expect(error.message).toBe('field "tasks" must be a list, got object (line 3)')
    expect(error.details).toEqual({ field: 'tasks', line: 3 })
  })

  it('rejects a numeric task name, naming the task by position', () => {
    const error = parseError(HEAD + '  - category: pass\n    name: 42\n')
    expect(error.message).toBe('task "tasks[0]": field "name" must be a string, got number (line 6)')
    expect(error.details).toEqual({ task: 'tasks[0]', field: 'name', line: 6 })
  })

  it('rejects wrong nested types: retry.maxRetryTimes and a condition list', () => {
    const retry = parseError(HEAD + yaml(`
      - category: function
        name: f
        pattern: task_sync
        resourceName: http://x
        retry:
          maxRetryTimes: many
    `))
    expect(retry.message).toBe('task "f": field "maxRetryTimes" must be an integer, got string (line 10)')
    expect(retry.details.field).toBe('retry.maxRetryTimes')
    const conditions = parseError(HEAD + '  - {category: return, name: r, conditions: "$.input.x"}\n')
    expect(conditions.message).toMatch(/^task "r": field "conditions" must be a list, got string \(line 5\)$/)
  })

  it('rejects a non-object DAG and a non-object task', () => {
    expect(parseError('- a\n- b\n').message).toBe('the descriptor must be a YAML or JSON object, got list (line 1)')
    expect(parseError(HEAD + '  - just a string\n').message).toBe('task tasks[0] must be an object, got string (line 5)')
  })

  it('requires workspace and dagName', () => {
    expect(parseError('dagName: d\ntasks: [{category: pass, name: a}]\n').message).toBe('field "workspace" (or "namespace") is required (line 1)')
  })
})

describe('validation rules', () => {
  it('rejects an unknown category, naming the value', () => {
    const error = parseError(HEAD + '  - name: a\n    category: answer\n')
    expect(error.message).toBe(
      'task "a": unknown category "answer" (expected one of function, choice, foreach, suspense, pass, return, switch) (line 6)'
    )
    expect(error.details).toEqual({ task: 'a', field: 'category', line: 6 })
  })

  it('refuses a constant mapping source or input that runs would parse as JSON too deep or of too many lists, naming the field and line', () => {
    const deep = '['.repeat(101) + ']'.repeat(101)
    const source = parseError(HEAD + `  - category: pass\n    name: a\n    outputMappings:\n      - {source: '${deep}', target: "$.context.x"}\n`)
    expect(source.message).toBe('task "a": outputMappings[0].source nests deeper than 100 levels (line 8)')
    expect(source.details).toEqual({ task: 'a', field: 'outputMappings[0].source', line: 8 })
    const wide = `[${'[],'.repeat(320_000)}[]]`
    const input = parseError(HEAD + `  - category: pass\n    name: a\n    input: {x: '${wide}'}\n`)
    expect(input.message).toMatch(/^task "a": input\.x holds more than 320,000 lists and maps .*\(line 7\)$/)
    // within the limits, and text that is not a list or a map, pass
    const fine = HEAD + `  - category: pass\n    name: a\n    outputMappings:\n      - {source: '${'['.repeat(100) + ']'.repeat(100)}', target: "$.context.x"}\n      - {source: '[[[ not json', target: "$.context.y"}\n`
    expect(() => parseDescriptor(fine)).not.toThrow()
  })

  it('refuses a defaultContext value too deep, naming its key and line, and values of too many lists and maps together', () => {
    const dag = (defaults: string) => `workspace: ws\ndagName: d\ndefaultContext:\n${defaults}tasks:\n  - {category: pass, name: a}\n`
    const deep = parseError(dag(`  ok: '[1]'\n  a: '${'['.repeat(101) + ']'.repeat(101)}'\n`))
    expect(deep.message).toBe('defaultContext.a nests deeper than 100 levels (line 5)')
    expect(deep.details).toEqual({ field: 'defaultContext.a', line: 5 })
    // 200,000 lists each, within the limit alone: a key and its alias make 400,000 in every submit's context
    const lists = `[${'[],'.repeat(199_999)}[]]`
    const twice = parseError(dag(`  a: &x '${lists}'\n  b: *x\n`))
    expect(twice.message).toMatch(/^defaultContext holds more than 320,000 lists and maps \(JSON arrays and objects\) in all, the most a context may hold \(line 3\)$/)
    expect(twice.details.field).toBe('defaultContext')
    expect(parseDescriptor(dag(`  a: '${lists}'\n  b: 'x'\n`)).defaultContext?.b).toBe('x')
  })

  it('requires a non-empty tasks list', () => {
    expect(parseError('workspace: ws\ndagName: d\n').message).toBe('tasks is required and must not be empty (line 1)')
    expect(parseError('workspace: ws\ndagName: d\ntasks: []\n').message).toBe('tasks is required and must not be empty (line 3)')
  })

  it('checks workspace, dagName and task names against ^[a-zA-Z0-9]+$ and 100 characters', () => {
    expect(parseError('workspace: my-ws\ndagName: d\ntasks: [{category: pass, name: a}]\n').message).toMatch(
      /^workspace "my-ws" is invalid: names must match \^\[a-zA-Z0-9\]\+\$ and be at most 100 characters \(line 1\)$/
    )
    expect(parseError('namespace: ws\nservice: bad_name\ntasks: [{category: pass, name: a}]\n').details).toEqual({ field: 'dagName', line: 2 })
    const underscore = parseError(HEAD + '  - category: pass\n    name: a_b\n')
    expect(underscore.message).toMatch(/^task "a_b": name must match .* \(line 6\)$/)
    const long = 'x'.repeat(101)
    expect(parseError(HEAD + `  - {category: pass, name: ${long}}\n`).details).toEqual({ task: long, field: 'name', line: 5 })
    expect(() => parseDescriptor(HEAD + `  - {category: pass, name: ${'x'.repeat(100)}}\n`)).not.toThrow()
  })

  it('rejects duplicate names across levels and names equal to the workspace or dagName', () => {
    const nested = parseError(HEAD + yaml(`
      - category: pass
        name: dup
        next: loop
      - category: foreach
        name: loop
        iterationMapping: {collection: $.input.items}
        tasks:
          - category: pass
            name: dup
    `))
    expect(nested.message).toBe('task "dup": name duplicated: "dup" is already used by another task (line 13)')
    expect(parseError(HEAD + '  - {category: pass, name: flow1}\n').message).toBe(
      'task "flow1": name duplicated: "flow1" is already used by the dagName (line 5)'
    )
  })

  it('allows sub-tasks only under choice and foreach', () => {
    const error = parseError(HEAD + yaml(`
      - category: pass
        name: p
        tasks:
          - {category: pass, name: inner}
    `))
    expect(error.message).toBe('task "p": only choice and foreach tasks may contain sub-tasks (line 7)')
  })

  it('limits nesting to 3 levels', () => {
    const foreach = (name: string, inner: string, pad: string): string =>
      `${pad}- category: foreach\n${pad}  name: ${name}\n${pad}  iterationMapping: {collection: $.input.x}\n${pad}  tasks:\n${inner}`
    const three = foreach('l1', foreach('l2', '      - {category: pass, name: l3}\n', '    '), '  ')
    expect(() => parseDescriptor(HEAD + three)).not.toThrow()
    const four = foreach('l1', foreach('l2', foreach('l3', '          - {category: pass, name: l4}\n', '      '), '    '), '  ')
    const error = parseError(HEAD + four)
    expect(error.message).toBe('task "l4": nesting depth exceeds 3: l1->l2->l3->l4 (line 17)')
  })

  it('rejects a next that is not a task of the same level', () => {
    const error = parseError(
      HEAD +
        yaml(`
          - category: pass
            name: a
            next: b
          - category: pass
            name: b
            next: zz
        `)
    )
    expect(error.message).toBe('task "b": next "zz" is not a task of this level (line 10)')
    expect(error.details).toEqual({ task: 'b', field: 'next', line: 10 })
  })

  it('does not let a next cross into a sub-level', () => {
    const error = parseError(HEAD + yaml(`
      - category: pass
        name: a
        next: inner
      - category: foreach
        name: loop
        iterationMapping: {collection: $.input.items}
        tasks:
          - {category: pass, name: inner}
    `))
    expect(error.message).toBe('task "a": next "inner" is not a task of this level (line 7)')
  })

  it('trims spaces in a comma-separated next', () => {
    const dag = parseDescriptor(HEAD + yaml(`
      - {category: pass, name: a, next: " b , c "}
      - {category: pass, name: b}
      - {category: pass, name: c}
    `))
    expect(dag.tasks).toHaveLength(3)
  })

  it('checks a switch target at the switch that names it', () => {
    const error = parseError(HEAD + yaml(`
      - category: switch
        name: s
        switches:
          - {next: a, condition: default}
          - next: missing
            condition: default
      - {category: pass, name: a}
    `))
    expect(error.message).toBe('task "s": next "missing" is not a task of this level (line 9)')
    expect(error.details.field).toBe('switches[1].next')
  })

  it('rejects cycles, saying "cycle found: a -> b -> a" (upstream: "circle found: a->b->a")', () => {
    const error = parseError(
      HEAD +
        yaml(`
          - category: pass
            name: start
            next: a
          - category: pass
            name: a
            next: b
          - category: pass
            name: b
            next: a
        `)
    )
    expect(error.message).toBe('cycle found: a -> b -> a (line 13)')
    expect(error.details).toEqual({ task: 'b', field: 'next', line: 13 })
    expect(parseError(HEAD + '  - {category: pass, name: self, next: self}\n').message).toBe('cycle found: self -> self (line 5)')
  })

  it('finds cycles inside a choice branch level', () => {
    const error = parseError(HEAD + yaml(`
      - category: choice
        name: pick
        choices:
          - condition: $.input.[?(@.x)]
            tasks:
              - {category: pass, name: x1, next: x2}
          - tasks:
              - {category: pass, name: x2, next: x1}
    `))
    expect(error.message).toBe('cycle found: x1 -> x2 -> x1 (line 12)')
  })

  it('requires a function pattern from the upstream list', () => {
    const missing = parseError(HEAD + '  - category: function\n    name: f\n    resourceName: http://x\n')
    expect(missing.message).toBe(
      'task "f": function requires a pattern (one of task_sync, task_async, task_scheduler, flow_sync, flow_async) (line 5)'
    )
    const wrong = parseError(HEAD + '  - category: function\n    name: f\n    resourceName: http://x\n    pattern: sync\n')
    expect(wrong.message).toBe('task "f": pattern "sync" is not one of task_sync, task_async, task_scheduler, flow_sync, flow_async (line 8)')
  })

  it('requires resourceName, resourceProtocol or resource on a function', () => {
    const error = parseError(HEAD + '  - category: function\n    name: f\n    pattern: task_async\n')
    expect(error.message).toBe('task "f": function requires resourceName, resourceProtocol or resource (line 5)')
    expect(() => parseDescriptor(HEAD + '  - {category: function, name: f, pattern: task_sync, resource: {name: inline}}\n')).not.toThrow()
  })

  it('requires resource://X to name a top-level resource', () => {
    const task = '  - category: function\n    name: f\n    pattern: task_sync\n    resourceName: resource://hello\n'
    const error = parseError(HEAD + task)
    expect(error.message).toBe('task "f": resource "hello" is not declared in the top-level resources (line 8)')
    expect(() => parseDescriptor(HEAD + task + 'resources:\n  - {name: hello, category: http}\n')).not.toThrow()
  })

  it('requires foreach iterationMapping.collection and non-empty tasks', () => {
    const noCollection = parseError(HEAD + yaml(`
      - category: foreach
        name: loop
        iterationMapping:
          item: it
        tasks: [{category: pass, name: inner}]
    `))
    expect(noCollection.message).toBe('task "loop": foreach requires iterationMapping.collection (line 7)')
    const noTasks = parseError(HEAD + yaml(`
      - category: foreach
        name: loop
        iterationMapping: {collection: $.input.items}
        tasks: []
    `))
    expect(noTasks.message).toBe('task "loop": foreach requires a non-empty tasks list (line 8)')
  })

  it('requires choice choices, each with tasks', () => {
    expect(parseError(HEAD + '  - {category: choice, name: c}\n').message).toBe('task "c": choice requires a non-empty choices list (line 5)')
    const emptyBranch = parseError(HEAD + yaml(`
      - category: choice
        name: c
        choices:
          - condition: $.input.[?(@.a)]
            tasks: []
    `))
    expect(emptyBranch.message).toBe('task "c": choices[0] requires a non-empty tasks list (line 9)')
  })

  it('rejects mapping references to unknown commonMapping names', () => {
    const body = yaml(`
      - category: pass
        name: p
        inputMappings:
          - source: $.context.a
            target: $.input.a
          - reference: shared
    `)
    const error = parseError(HEAD + body)
    expect(error.message).toBe('task "p": mapping reference "shared" is not defined in commonMapping (line 10)')
    expect(error.details.field).toBe('inputMappings[1].reference')
    const common = 'commonMapping:\n  shared:\n    - {source: $.context.x, target: $.input.x}\n'
    expect(() => parseDescriptor(HEAD + body + common)).not.toThrow()
  })

  it('validates a DAG built in code, without lines', () => {
    const dag: Dag = {
      workspace: 'ws',
      dagName: 'd',
      type: 'flow',
      tasks: [{ category: 'pass', name: 'a', next: 'nope' }],
    }
    const error = errorOf(() => validateDag(dag))
    expect(error.message).toBe('task "a": next "nope" is not a task of this level')
    expect(error.details).toEqual({ task: 'a', field: 'next' })
  })

  it('finds lines again for a DAG re-validated with descriptorLines', () => {
    const text = HEAD + '  - {category: pass, name: a}\n  - {category: pass, name: b}\n'
    const dag = parseDescriptor(text)
    const broken: Dag = { ...dag, tasks: dag.tasks.map((t) => (t.name === 'b' ? { ...t, next: 'x' } : t)) }
    expect(errorOf(() => validateDag(broken, descriptorLines(text))).details.line).toBe(6)
  })
})

describe('rewriteInputShorthand', () => {
  const SHORTHAND = HEAD + yaml(`
    - category: function
      name: taskA
      pattern: task_sync
      resourceName: http://a
      next: taskB
    - category: function
      name: taskB
      pattern: task_sync
      resourceName: http://b
      input:
        k: "$.taskA.data.id"
  `)

  it('turns input into the inputMapping/outputMapping pair of §1.4', () => {
    const dag = parseDescriptor(SHORTHAND)
    const rewritten = rewriteInputShorthand(dag)
    const [taskA, taskB] = rewritten.tasks
    expect(taskB?.inputMappings).toEqual([{ source: '$.context.taskA.data.id', target: '$.input.k' }])
    expect(taskA?.outputMappings).toEqual([{ source: '$.output.data.id', target: '$.context.taskA.data.id' }])
    expect(taskA?.next).toBe('taskB')
    expect(rewritten.endTaskName).toBeUndefined()
    // pure: the input DAG is untouched
    expect(dag.tasks[0]?.outputMappings).toBeUndefined()
    expect(dag.tasks[1]?.inputMappings).toBeUndefined()
  })

  it('treats a map value as a full mapping and a constant as a constant source', () => {
    const dag = parseDescriptor(HEAD + yaml(`
      - category: pass
        name: a
        input:
          n: {source: "$.context.n", transform: "return 10 * source;"}
          kind: application/json
          count: 3
    `))
    expect(rewriteInputShorthand(dag).tasks[0]?.inputMappings).toEqual([
      { source: '$.context.n', transform: 'return 10 * source;', target: '$.input.n' },
      { source: 'application/json', target: '$.input.kind' },
      { source: '3', target: '$.input.count' },
    ])
  })

  it('appends endTask for the DAG output and points its sources at it', () => {
    const dag = parseDescriptor(
      HEAD +
        yaml(`
          - category: function
            name: taskA
            pattern: task_sync
            resourceName: http://a
            next: taskB
          - category: function
            name: taskB
            pattern: task_sync
            resourceName: http://b
        `) +
        'output:\n  id: "$.taskA.data.id"\n  items: "$.taskB.list[0][\'a.b\']"\n'
    )
    const rewritten = rewriteInputShorthand(dag)
    expect(rewritten.endTaskName).toBe('endTask')
    expect(rewritten.tasks.map((t) => [t.name, t.next])).toEqual([
      ['taskA', 'taskB,endTask'],
      ['taskB', 'endTask'],
      ['endTask', undefined],
    ])
    expect(rewritten.tasks[2]).toEqual({
      category: 'pass',
      name: 'endTask',
      input: { id: '$.taskA.data.id', items: "$.taskB.list[0]['a.b']" },
      inputMappings: [
        { source: '$.context.taskA.data.id', target: '$.input.id' },
        { source: "$.context.taskB.list[0]['a.b']", target: '$.input.items' },
      ],
      outputMappings: [
        { source: '$.output.id', target: '$.context.id' },
        { source: '$.output.items', target: '$.context.items' },
      ],
    })
    expect(rewritten.tasks[0]?.outputMappings).toEqual([{ source: '$.output.data.id', target: '$.context.taskA.data.id' }])
    expect(rewritten.tasks[1]?.outputMappings).toEqual([{ source: "$.output.list[0]['a.b']", target: "$.context.taskB.list[0]['a.b']" }])
    expect(() => validateDag(rewritten)).not.toThrow()
    expect(rewriteInputShorthand(rewritten)).toEqual(rewritten)
  })

  it('leaves a DAG without input or output unchanged', () => {
    const dag = parseDescriptor(GREET)
    expect(rewriteInputShorthand(dag)).toEqual(dag)
  })

  it('reserves the task names context, input, output and tasks at every level (they would change what mappings read)', () => {
    expect(parseError(HEAD + '  - {category: pass, name: a, next: context}\n  - {category: pass, name: context}\n').details).toEqual({ task: 'context', field: 'name', line: 6 })
    const nested = parseError(HEAD + '  - {category: foreach, name: loop, iterationMapping: {collection: $.input.items}, tasks: [{category: pass, name: tasks}]}\n')
    expect(nested.message).toMatch(/^task "tasks": tasks\[0\]\.tasks\[0\]\.name "tasks" is reserved: .*\(line 5\)$/)
    for (const name of ['Context', 'inputs', 'output1']) expect(() => parseDescriptor(HEAD + `  - {category: pass, name: ${name}}\n`)).not.toThrow()
  })

  it('reserves the name endTask when the DAG has an output', () => {
    const text = HEAD + '  - {category: pass, name: endTask}\noutput:\n  x: $.endTask.x\n'
    expect(parseError(text).message).toBe('task "endTask": "endTask" is reserved when the DAG has an output; rename the task (line 5)')
  })
})

describe('descriptor ids', () => {
  it('parses the three forms of §4.1', () => {
    expect(parseDescriptorId('rillFlowSimple:greet')).toEqual({ workspace: 'rillFlowSimple', dagName: 'greet' })
    expect(parseDescriptorId('rillFlowSimple:greet:release')).toEqual({ workspace: 'rillFlowSimple', dagName: 'greet', alias: 'release' })
    const md5 = descriptorMd5(GREET)
    expect(parseDescriptorId(` ${formatDescriptorId('rillFlowSimple', 'greet', md5)} `)).toEqual({
      workspace: 'rillFlowSimple',
      dagName: 'greet',
      md5,
    })
  })

  it('rejects malformed ids with a clear error', () => {
    for (const id of ['', 'onlyone', 'a:b:c:d', 'a-b:c', 'a::release', 'a:b:md5_xyz', 'a:b:rel-ease', 'a:b:']) {
      const error = errorOf(() => parseDescriptorId(id))
      expect(error.message).toMatch(new RegExp(`^descriptor_id ".*" format error: `))
    }
  })

  it('hashes the stored text with md5 and formats ids', () => {
    expect(descriptorMd5('')).toBe('d41d8cd98f00b204e9800998ecf8427e')
    expect(descriptorMd5('abc')).toBe('900150983cd24fb0d6963f7d28e17f72')
    expect(formatDescriptorId('ws', 'dag', 'abc')).toBe('ws:dag:md5_abc')
  })
})
