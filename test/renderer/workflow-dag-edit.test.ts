// Graph edits on the Workflows page as YAML rewrites (#9, new user): add, connect, disconnect, delete
// and rename a top-level task. Each result is read back by the real descriptor parser; lines the
// edit did not touch (comments included) stay as written.
import { describe, expect, it } from 'vitest'
import { parseDescriptor, rewriteInputShorthand, type Dag, type Task } from '../../electron/workflows/rillflow/descriptor'
import { TASK_CATEGORIES } from '../../shared/workflows'
import { addTask, connectTasks, disconnectTasks, removeTask, renameTask, wireProblem, type DagEditResult } from '../../renderer/src/features/workflows/dag-edit'

//   fetch ──► each (foreach: step) ──► report
//   note (alone)
const FLOW = `# the nightly flow
workspace: demo
dagName: nightly
type: flow
tasks:
  # first: read the numbers
  - category: pass
    name: fetch
    next: each   # then fan out
    outputMappings:
      - source: $.context.n
        target: "$.context.count"

  - category: foreach
    name: each
    next: report
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: pass, name: step}
  # the end
  - category: pass
    name: report
  - {category: pass, name: note}
defaultContext:
  n: "1"   # kept
`

const ok = (r: DagEditResult | { text: string; name: string } | { error: string }): string => {
  if ('error' in r) throw new Error(r.error)
  return r.text
}
const top = (dag: Dag): Task[] => dag.tasks
const nextOf = (dag: Dag, name: string) => top(dag).find((t) => t.name === name)?.next

describe('graph edits rewrite the descriptor YAML', () => {
  it('connects two tasks by adding to next, keeping every other line as written', () => {
    const text = ok(connectTasks(FLOW, 'report', 'note'))
    expect(nextOf(parseDescriptor(text), 'report')).toBe('note')
    expect(text).toContain('  - category: pass\n    name: report\n    next: note\n')
    // untouched entries and the comments around them are byte for byte the same
    for (const kept of ['# the nightly flow\n', '  # first: read the numbers\n', '    next: each   # then fan out\n', '  # the end\n', '      - {category: pass, name: step}\n', '  n: "1"   # kept\n', '        target: "$.context.count"\n\n']) expect(text).toContain(kept)
    expect(text.replace('    next: note\n', '')).toBe(FLOW)
  })

  it('appends to an existing next with its separator', () => {
    const text = ok(connectTasks(FLOW, 'fetch', 'note'))
    expect(nextOf(parseDescriptor(text), 'fetch')).toBe('each,note')
    expect(text).toContain('  # the end\n')
  })

  it('refuses a wire that closes a cycle with the one cycle message', () => {
    expect(connectTasks(FLOW, 'report', 'fetch')).toEqual({ error: 'cycle found: fetch -> each -> report -> fetch' })
    expect(connectTasks(FLOW, 'note', 'note')).toEqual({ error: 'cycle found: note -> note' })
    expect(connectTasks(FLOW, 'fetch', 'each')).toEqual({ error: '"fetch" already leads to "each"' })
    expect(connectTasks(FLOW, 'fetch', 'step')).toEqual({ error: '"fetch" is in the top level and "step" in "each"\'s body: a wire joins two tasks of one level (the top level, or one foreach body or choice branch)' })
    expect(connectTasks(FLOW, 'fetch', 'nowhere')).toEqual({ error: 'no top-level task "nowhere"' })
    expect(wireProblem([{ name: 'a', next: ['b'] }, { name: 'b', next: [] }], 'b', 'a')).toBe('cycle found: a -> b -> a')
  })

  it('adds a task of each category the parser knows, valid as added, with a fresh name', () => {
    let text = FLOW
    for (const category of TASK_CATEGORIES) {
      const r = addTask(text, category)
      if ('error' in r) throw new Error(r.error)
      expect(r.name).toBe(`${category}1`)
      text = r.text
      const added = top(parseDescriptor(text)).find((t) => t.name === r.name)
      expect(added?.category).toBe(category)
    }
    expect(text.startsWith(FLOW.split('defaultContext:')[0])).toBe(true)
    expect(text).toContain('  n: "1"   # kept\n')
    expect(ok(addTask(text, 'pass')).includes('name: pass2')).toBe(true)
  })

  it('adds the first task to a descriptor without any', () => {
    const r = addTask('# mine\nworkspace: demo\ndagName: empty\ntype: flow', 'pass')
    expect(ok(r)).toBe('# mine\nworkspace: demo\ndagName: empty\ntype: flow\ntasks:\n  - category: pass\n    name: pass1\n')
    expect(top(parseDescriptor(ok(r))).map((t) => t.name)).toEqual(['pass1'])
  })

  it('deletes a wire, dropping an emptied next', () => {
    const text = ok(disconnectTasks(FLOW, 'each', 'report'))
    expect(nextOf(parseDescriptor(text), 'each')).toBeUndefined()
    expect(text).toContain('    next: each   # then fan out\n')
    expect(disconnectTasks(FLOW, 'report', 'fetch')).toEqual({ error: '"report" does not lead to "fetch"' })
  })

  it('deletes a task (a foreach with its body) and every wire to it', () => {
    const text = ok(removeTask(FLOW, 'each'))
    const dag = parseDescriptor(text)
    expect(top(dag).map((t) => t.name)).toEqual(['fetch', 'report', 'note'])
    expect(nextOf(dag, 'fetch')).toBeUndefined()
    expect(text).not.toContain('step')
    expect(text).toContain('  # the end\n')
    expect(removeTask(FLOW, 'step')).toEqual({ error: '"step" is the only task in "each"\'s body: add another there first, or delete "each"' })
    expect(removeTask(FLOW, 'nowhere')).toEqual({ error: 'no task "nowhere"' })
  })

  it('renames a task and every next naming it', () => {
    const text = ok(renameTask(FLOW, 'each', 'fanOut'))
    const dag = parseDescriptor(text)
    expect(top(dag).map((t) => t.name)).toEqual(['fetch', 'fanOut', 'report', 'note'])
    expect(nextOf(dag, 'fetch')).toBe('fanOut')
    expect(nextOf(dag, 'fanOut')).toBe('report')
    expect(renameTask(FLOW, 'each', 'step')).toEqual({ error: 'a task is already named "step"' })
    expect(renameTask(FLOW, 'each', 'fan out')).toEqual({ error: 'a task name is letters and digits only, at most 100 characters' })
  })

  it('quotes a renamed task only where YAML needs it: a round trip through null or true leaves it plain', () => {
    for (const word of ['null', 'true']) {
      const away = ok(renameTask(FLOW, 'report', word))
      expect(top(parseDescriptor(away)).map((t) => t.name)).toContain(word) // quoted, so it stays a string
      const back = ok(renameTask(away, word, 'report'))
      expect(back).toBe(FLOW) // \`name: report\`, not \`name: 'report'\`
      expect(ok(renameTask(away, word, 'calc'))).toContain('    name: calc\n')
    }
    // an inner task's (an inner list is spliced the same way)
    const inner = ok(renameTask(ok(renameTask(FLOW, 'step', 'null')), 'null', 'calc'))
    expect(inner).toContain('{category: pass, name: calc}')
  })

  it('rewrites a switch through its switches', () => {
    const flow = `workspace: demo\ndagName: sw\ntype: flow\ntasks:\n  - category: switch\n    name: pick\n    switches:\n      - {condition: "$.input.[?(@.n > 5)]", next: big}\n      - {condition: default, next: small}\n  - {category: pass, name: big}\n  - {category: pass, name: small}\n`
    expect(nextOf(parseDescriptor(ok(renameTask(flow, 'big', 'large'))), 'pick')).toBe('large,small')
    expect(nextOf(parseDescriptor(ok(removeTask(flow, 'small'))), 'pick')).toBe('big')
    expect(nextOf(parseDescriptor(ok(disconnectTasks(flow, 'pick', 'big'))), 'pick')).toBe('small')
    expect(connectTasks(flow, 'pick', 'big')).toEqual({ error: '"pick" already leads to "big"' })
  })

  it('wires a switch through a case: the first case without a next, else a new one to fill in', () => {
    const flow = `workspace: demo\ndagName: sw\ntype: flow\ntasks:\n  - category: switch\n    name: pick\n    switches:\n      - {condition: "$.input.[?(@.n > 5)]", next: big}\n      - {condition: default}\n  - {category: pass, name: big}\n  - {category: pass, name: small}\n  - {category: pass, name: other}\n`
    const filled = ok(connectTasks(flow, 'pick', 'small'))
    const cases = (text: string) => (top(parseDescriptor(text)).find((t) => t.name === 'pick') as Extract<Task, { category: 'switch' }>).switches
    expect(cases(filled)).toEqual([{ condition: '$.input.[?(@.n > 5)]', next: 'big' }, { condition: 'default', next: 'small' }])
    const added = connectTasks(filled, 'pick', 'other')
    expect(cases(ok(added))).toEqual([{ condition: '$.input.[?(@.n > 5)]', next: 'big' }, { condition: 'default', next: 'small' }, { condition: '$.input.[?(@.other == true)]', next: 'other' }])
    expect(added).toMatchObject({ warning: expect.stringContaining('set its condition') })
    expect(nextOf(parseDescriptor(ok(added)), 'pick')).toBe('big,small,other')
    expect(connectTasks(filled, 'pick', 'small')).toEqual({ error: '"pick" already leads to "small"' })
  })

  it('prints a flow-style task list whole, and refuses YAML that does not parse', () => {
    const flow = 'workspace: demo\ndagName: f\ntype: flow\ntasks: [{category: pass, name: a}, {category: pass, name: b}]\n'
    expect(nextOf(parseDescriptor(ok(connectTasks(flow, 'a', 'b'))), 'a')).toBe('b')
    expect(top(parseDescriptor(ok(addTask(flow, 'pass')))).map((t) => t.name)).toEqual(['a', 'b', 'pass1'])
    expect(connectTasks('tasks: [a', 'a', 'b')).toEqual({ error: expect.stringMatching(/^The YAML does not parse \(line \d+\): fix it in the editor first\.$/) })
  })
})

// Mapping paths that name a task (rillflow.md §1.4): `$.<task>.…` in a top-level task's `input` or
// inputMappings and in the DAG's `output` (rewritten to `$.context.<task>.…` at add time, the task
// then writes it), and `$.tasks.<task>.trigger_url` in any mapping source. `$.context.fetch` is the
// context key those shorthands stand for (it moves with the task); `$.fetchAll` is another name, a
// filter path no reference (the parser leaves both as written).
const READS = `workspace: demo
dagName: reads
type: flow
tasks:
  - category: pass
    name: fetch
    next: use
  - category: pass
    name: fetchAll
  - category: pass
    name: use
    input:
      id: $.fetch.data.id
      all: $.fetchAll.data
      hook: {source: "$.['fetch'].hook"}
    inputMappings:
      - {source: "$.fetch.rows[0]", target: $.input.first}
      - {source: $.context.fetch, target: $.input.ctx}
      - {source: $.tasks.fetch.trigger_url?x=1, target: $.input.url}
      - {source: "$.fetch.rows[?(@.n > 1)]", target: $.input.big}
      - {source: "say $.fetch.x", target: $.input.text}
output:
  total: $.fetch.total
`

describe('a rename or delete follows the mapping paths that read the task', () => {
  it('renames every real reference, and nothing else', () => {
    const text = ok(renameTask(READS, 'fetch', 'load'))
    const dag = rewriteInputShorthand(parseDescriptor(text))
    const use = top(dag).find((t) => t.name === 'use')!
    const sources = (use.inputMappings ?? []).map((m) => m.source)
    // the parser's rewrite reads the renamed task, and the renamed task writes what it reads
    expect(sources).toEqual(expect.arrayContaining(['$.context.load.rows[0]', '$.context.load', '$.tasks.load.trigger_url?x=1', '$.fetch.rows[?(@.n > 1)]', 'say $.fetch.x', '$.context.load.data.id', '$.context.fetchAll.data', "$.context.['load'].hook"]))
    const load = top(dag).find((t) => t.name === 'load')!
    expect((load.outputMappings ?? []).map((m) => m.target)).toEqual(expect.arrayContaining(['$.context.load.data.id', '$.context.load.total']))
    expect(text).toContain('  total: $.load.total\n')
    expect(text).toContain("hook: {source: \"$.['load'].hook\"}")
    expect(text).toContain('all: $.fetchAll.data')
    // changed in place: only the names moved, every line keeps its layout
    expect(text.replaceAll('load', 'fetch')).toBe(READS)
    // a path the rename cannot change in place is refused, naming its line
    expect(renameTask(READS.replace('id: $.fetch.data.id', 'id: >-\n        $.fetch.data.id'), 'fetch', 'load')).toEqual({ error: expect.stringMatching(/\(line 14\)/) })
  })

  it('warns, naming the lines, when a deleted task is still read', () => {
    const r = removeTask(READS, 'fetch')
    const text = ok(r)
    const lines = text.split('\n')
    const at = (s: string) => lines.findIndex((l) => l.includes(s)) + 1
    expect('warning' in r && r.warning).toMatch(`5 mappings still read "fetch": lines ${[at('id: $.fetch'), at('hook:'), at('rows[0]'), at('trigger_url'), at('total:')].join(', ')} (`)
    expect(removeTask(READS, 'use')).not.toHaveProperty('warning')
    expect(removeTask(READS, 'fetchAll')).toMatchObject({ warning: expect.stringMatching(/^1 mapping still reads "fetchAll": line 12 \(/) })
  })
})

// The trial's mapsY (#9, new user): `src` writes its own shorthand key with an explicit mapping
// (`$.output.y` → `$.context.src.x`), so every `$.src.x` reads y. A rename that moved the readers but
// not that target left them reading the engine's generated `$.output.x`: x, another value.
const MAPS_Y = `workspace: nu
dagName: mapsY
type: flow
tasks:
  - category: pass
    name: src
    inputMappings:
      - {source: $.context.x, target: $.input.x}
      - {source: $.context.y, target: $.input.y}
    outputMappings:
      - {source: $.output.y, target: $.context.src.x}
    next: use
  - category: pass
    name: use
    input:
      got: $.src.x
    inputMappings:
      - {source: "$.context['src']", target: $.input.all}
    outputMappings:
      - {source: $.input.got, target: $.context.src.seen}
output:
  result: $.src.x
`

describe('a rename keeps what the DAG computes', () => {
  const mappings = (dag: Dag, name: string, kind: 'inputMappings' | 'outputMappings') => top(dag).find((t) => t.name === name)?.[kind] ?? []

  it("moves the task's context key with it: its own outputMappings and every other $.context.<old> path", () => {
    const text = ok(renameTask(MAPS_Y, 'src', 'src2'))
    expect(text).toBe(MAPS_Y.replaceAll('name: src', 'name: src2').replaceAll('$.src.', '$.src2.').replaceAll('context.src.', 'context.src2.').replace("context['src']", "context['src2']"))
    const dag = rewriteInputShorthand(parseDescriptor(text))
    // the generated mapping is dropped as before: src2 already writes that target, from y
    expect(mappings(dag, 'src2', 'outputMappings')).toEqual([{ source: '$.output.y', target: '$.context.src2.x' }])
    expect(mappings(dag, 'use', 'inputMappings').map((m) => m.source)).toEqual(["$.context['src2']", '$.context.src2.x'])
    expect(mappings(dag, 'use', 'outputMappings')).toEqual([{ source: '$.input.got', target: '$.context.src2.seen' }])
  })

  it('leaves $.context.<name> alone when no shorthand reads the task (a context key of its own)', () => {
    const plain = MAPS_Y.replace('      got: $.src.x\n', '      got: $.context.src.x\n').replace('  result: $.src.x\n', '  result: $.context.src.x\n')
    expect(ok(renameTask(plain, 'src', 'src2'))).toBe(plain.replace('name: src\n', 'name: src2\n'))
  })

  it('refuses, naming the line, what would change meaning', () => {
    // the new key is already written or read
    const lines = MAPS_Y.split('\n')
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1
    expect(renameTask(MAPS_Y.replace('$.input.got, target: $.context.src.seen', '$.input.got, target: $.context.src2.seen'), 'src', 'src2')).toEqual({
      error: `"$.context.src2.seen" (line ${lineOf('context.src.seen')}) already uses the context key "src2", where "src"'s output would move; change it first`,
    })
    // a path that reads nothing now would read the renamed task
    expect(renameTask(MAPS_Y.replace(`"$.context['src']"`, '$.src2.y'), 'src', 'src2')).toEqual({ error: expect.stringMatching(/^the path "\$\.src2\.y" \(line 18\) would read the task/) })
    // a script or a default the rename cannot follow
    expect(renameTask(MAPS_Y.replace('{source: $.input.got,', '{source: $.input.got, transform: "return context.src.x;",'), 'src', 'src2')).toEqual({ error: expect.stringMatching(/^"return context\.src\.x;" \(line 20\) uses the context key "src"/) })
    expect(renameTask(MAPS_Y + 'defaultContext:\n  src: "{}"\n', 'src', 'src2')).toEqual({ error: expect.stringMatching(/^"src" \(line 24\) uses the context key "src"/) })
  })
})

describe('reserved task names', () => {
  it('refuses to rename a task to context, input, output or tasks, and renames one away from them', () => {
    for (const name of ['context', 'input', 'output', 'tasks']) {
      expect(renameTask(MAPS_Y, 'src', name)).toEqual({ error: `"${name}" is reserved: mapping paths read $.${name}… as the run's own data, not as a task's output; rename the task` })
    }
    // stored before the rule: `$.context.x` is the run's context to its author, not a read of the task
    const stored = 'workspace: nu\ndagName: ctxname\ntype: flow\ntasks:\n  - category: pass\n    name: context\n    next: b\n  - category: pass\n    name: b\n    input:\n      v: $.context.x\n'
    expect(ok(renameTask(stored, 'context', 'first'))).toBe(stored.replace('name: context', 'name: first'))
    expect(() => parseDescriptor(ok(renameTask(stored, 'context', 'first')))).not.toThrow()
  })
})

// Tasks inside a foreach's body or a choice's branches (rillflow.md §2.3): edited like top-level ones,
// within their own list. Inner siblings read each other through their sub-context (`$.context.<key>`),
// not by name; `$.tasks.<task>.trigger_url` names any task, and the `$.<task>` shorthand only top-level ones.
const INNER = `workspace: demo
dagName: inner
type: flow
tasks:
  # fan out over the items
  - category: foreach
    name: each
    next: report
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}   # per item
    tasks:
      - category: pass
        name: step
        next: save
        inputMappings:
          - {source: $.tasks.save.trigger_url, target: $.input.url}
      # then save
      - {category: pass, name: save}

  # then pick
  - category: choice
    name: pick
    inputMappings: [{source: $.context.n, target: $.input.n}]
    choices:
      - condition: $.input.[?(@.n > 5)]
        tasks: [{category: pass, name: big}]
      - condition: $.input.[?(@.n <= 5)]
        tasks: [{category: pass, name: small}]
  - category: pass
    name: report   # the end
    input:
      s: $.save.x
defaultContext:
  items: "[1, 2]"   # kept
`

type Foreach = Extract<Task, { category: 'foreach' }>
type Choice = Extract<Task, { category: 'choice' }>
const body = (dag: Dag, name: string): Task[] => (top(dag).find((t) => t.name === name) as Foreach).tasks
const branch = (dag: Dag, name: string, i: number): Task[] => (top(dag).find((t) => t.name === name) as Choice).choices[i].tasks

describe('graph edits inside a foreach body or a choice branch', () => {
  it('adds a task into the body a task is in, and wires it to a sibling', () => {
    const added = addTask(INNER, 'function', 'step')
    if ('error' in added) throw new Error(added.error)
    expect(added.name).toBe('function1')
    expect(body(parseDescriptor(added.text), 'each').map((t) => t.name)).toEqual(['step', 'save', 'function1'])
    const wired = ok(connectTasks(added.text, 'save', 'function1'))
    expect(body(parseDescriptor(wired), 'each').find((t) => t.name === 'save')?.next).toBe('function1')
    // the other top-level entries and the comments around them are kept as written
    for (const kept of ['  # fan out over the items\n', '    name: report   # the end\n', '  items: "[1, 2]"   # kept\n', '        tasks: [{category: pass, name: big}]\n']) expect(wired).toContain(kept)
    // inside the foreach too: only the changed entry is printed again, at its place
    expect(wired).toBe(INNER.replace('      - {category: pass, name: save}\n', '      - {category: pass, name: save, next: function1}\n      - category: function\n        name: function1\n        pattern: task_sync\n        resourceName: https://example.com/your-service\n'))
    // into a choice branch (a flow-style list stays flow style)
    const r = addTask(INNER, 'pass', 'small')
    if ('error' in r) throw new Error(r.error)
    expect(branch(parseDescriptor(r.text), 'pick', 1).map((t) => t.name)).toEqual(['small', 'pass1'])
    expect(branch(parseDescriptor(r.text), 'pick', 0).map((t) => t.name)).toEqual(['big'])
    expect(addTask(INNER, 'pass', 'nowhere')).toEqual({ error: 'no task "nowhere"' })
  })

  it('refuses a wire across levels and a cycle inside a body, with the one cycle message', () => {
    expect(connectTasks(INNER, 'save', 'step')).toEqual({ error: 'cycle found: step -> save -> step' })
    expect(connectTasks(INNER, 'step', 'save')).toEqual({ error: '"step" already leads to "save"' })
    expect(connectTasks(INNER, 'save', 'report')).toEqual({ error: expect.stringMatching(/^"save" is in "each"'s body and "report" in the top level: /) })
    expect(connectTasks(INNER, 'big', 'small')).toEqual({ error: expect.stringMatching(/^"big" is in "pick"'s branch #1 and "small" in "pick"'s branch #2: /) })
  })

  it('deletes an inner wire and an inner task with its wires', () => {
    const cut = ok(disconnectTasks(INNER, 'step', 'save'))
    expect(body(parseDescriptor(cut), 'each').find((t) => t.name === 'step')?.next).toBeUndefined()
    expect(cut).toBe(INNER.replace('        next: save\n', ''))
    const r = removeTask(INNER, 'save')
    const dag = parseDescriptor(ok(r))
    expect(body(dag, 'each').map((t) => [t.name, t.next])).toEqual([['step', undefined]])
    // the trigger URL path still names it; the top-level `$.save.x` is a context read, not a reference
    expect(r).toMatchObject({ warning: expect.stringMatching(/^1 mapping still reads "save": line 15 \(/) })
    expect(removeTask(INNER, 'big')).toEqual({ error: '"big" is the only task in "pick"\'s branch #1: add another there first, or delete "pick"' })
  })

  it('renames an inner task: its siblings\' next and its trigger URL paths follow, a top-level shorthand does not', () => {
    const text = ok(renameTask(INNER, 'save', 'store'))
    const dag = parseDescriptor(text)
    expect(body(dag, 'each').map((t) => [t.name, t.next])).toEqual([['step', 'store'], ['store', undefined]])
    expect(body(dag, 'each')[0].inputMappings?.[0].source).toBe('$.tasks.store.trigger_url')
    expect(text).toContain('      s: $.save.x\n')
    for (const kept of ['{collection: $.input.items, item: it}   # per item\n', '      # then save\n']) expect(text).toContain(kept)
    expect(renameTask(INNER, 'save', 'big')).toEqual({ error: 'a task is already named "big"' })
    expect(branch(parseDescriptor(ok(renameTask(INNER, 'big', 'large'))), 'pick', 0).map((t) => t.name)).toEqual(['large'])
    expect(ok(renameTask(INNER, 'big', 'large'))).toContain('  # fan out over the items\n')
  })
})
