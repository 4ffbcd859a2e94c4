// Edits made on the drawn DAG (add, connect, disconnect, delete, rename a task) as rewrites
// of the descriptor's YAML text. The document is parsed to js-yaml's AST, edited there, and only the
// task entries an edit changed are printed again and spliced over their own lines: every other line
// (other tasks, top-level fields, comments between tasks) stays as written. What is lost: js-yaml
// drops comments when it prints, so comments inside a changed task entry go, and that entry is
// printed in js-yaml's layout (two-space indent, its quoting); a flow-style `tasks: [...]` list is
// printed whole. A task inside a foreach's body or a choice's branch is edited the same way within its
// own list (its siblings), whose changed entries are spliced the same way (a flow-style inner list:
// the top-level entry holding it is printed again).
import { COLLECTION_STYLE, CORE_SCHEMA, EVENT_ID, eventsToAst, jsToAst, parseEvents, present, SCALAR_STYLE, type Document, type MappingNode, type Node, type ScalarNode, type SequenceNode } from 'js-yaml'
import { cycleMessage, findCycle } from '../../../../shared/dag-cycle'
import { NAME_MAX_LENGTH, NAME_PATTERN, RESERVED_TASK_NAMES, reservedTaskNameProblem } from '../../../../shared/rillflow-names'
import { pathHead, pathSpans } from '../../../../shared/rillflow-paths'
import { TASK_CATEGORIES, type TaskCategory } from '../../../../shared/workflows'

/**
 * A rewrite's result: the new YAML text (with `warning`, a sentence for the user, when the result
 * still has a problem the edit could not settle), or why the edit was refused (a sentence).
 */
export type DagEditResult = { text: string; warning?: string } | { error: string }

/** A parsed descriptor: its AST and where each top-level task entry's lines are in the text. */
interface Parsed {
  docs: Document[]
  events: ReturnType<typeof parseEvents>
  tasks: SequenceNode
  /** Per top-level task entry: its first line's offset and the dash's column; null when the text cannot be spliced. */
  regions: { start: number; dash: number }[] | null
  /** Where the task list's lines end (the next top-level key's line, or the end of the text). */
  end: number
  /** The text has no `tasks` key yet: a new list is written at its end. */
  missing?: boolean
}

const scalar = (value: string): ScalarNode => ({ kind: 'scalar', tag: 'tag:yaml.org,2002:str', tagged: false, style: SCALAR_STYLE.PLAIN, value })
const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1

/** The value under `key` in a mapping node, or undefined. */
function field(map: Node, key: string): Node | undefined {
  if (map.kind !== 'mapping') return undefined
  return map.items.find((i) => i.key.kind === 'scalar' && i.key.value === key)?.value
}
const text = (node: Node | undefined): string | undefined => (node?.kind === 'scalar' ? node.value : undefined)
const nameOf = (task: Node): string | undefined => text(field(task, 'name'))
const splitNext = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)

/** Sets (or, with undefined, removes) `key` in a mapping, keeping the key's place (a set value is plain, quoted on print only where YAML needs it); a new key goes after `after`. */
function setField(map: MappingNode, key: string, value: string | undefined, after = 'name'): void {
  const i = map.items.findIndex((it) => it.key.kind === 'scalar' && it.key.value === key)
  if (value === undefined) {
    if (i >= 0) map.items.splice(i, 1)
    return
  }
  if (i >= 0) {
    const old = map.items[i].value
    // plain, the printer quoting only a value YAML would read otherwise: a style kept from the old value
    // left a name renamed to `null` and back quoted ('calc')
    map.items[i] = { key: map.items[i].key, value: old.kind === 'scalar' ? { ...old, value, style: SCALAR_STYLE.PLAIN } : scalar(value) }
    return
  }
  const at = map.items.findIndex((it) => it.key.kind === 'scalar' && it.key.value === after)
  map.items.splice(at >= 0 ? at + 1 : map.items.length, 0, { key: scalar(key), value: scalar(value) })
}

/**
 * Parses `source` for editing. Errors: a text that is not YAML, not one mapping, or has no `tasks`
 * list is refused with a sentence saying so (the graph edits need the YAML to parse first).
 */
function parse(source: string): Parsed | { error: string } {
  let events
  let docs: Document[]
  try {
    events = parseEvents(source, {})
    docs = eventsToAst(events, { source, schema: CORE_SCHEMA })
  } catch (e) {
    const line = (e as { mark?: { line?: number } }).mark?.line
    return { error: `The YAML does not parse${line !== undefined ? ` (line ${line + 1})` : ''}: fix it in the editor first.` }
  }
  const root = docs.length === 1 ? docs[0].contents : null
  if (!root || root.kind !== 'mapping') return { error: 'The YAML is not one descriptor (a mapping with workspace, dagName and tasks).' }
  const tasks = field(root, 'tasks')
  if (!tasks) {
    root.items.push({ key: scalar('tasks'), value: { kind: 'sequence', tag: 'tag:yaml.org,2002:seq', tagged: false, style: COLLECTION_STYLE.BLOCK, items: [] } })
    return { docs, events, tasks: field(root, 'tasks') as SequenceNode, regions: [], end: source.length, missing: true }
  }
  if (tasks.kind !== 'sequence') return { error: 'The descriptor\'s "tasks" is not a list.' }
  return { docs, events, tasks, ...taskRegions(source, events, tasks.style === COLLECTION_STYLE.BLOCK) }
}

/** Where the root's `tasks` entries start (the line of each entry's dash) and where the list ends. */
function taskRegions(source: string, events: ReturnType<typeof parseEvents>, block: boolean): Pick<Parsed, 'regions' | 'end'> {
  const regions: { start: number; dash: number }[] = []
  let depth = 0
  let expectKey = true // the next node at the root's level is one of its keys
  let key: string | undefined // the root key whose value is being read
  let passedTasks = false
  let end = -1
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) continue
    if (e.type === EVENT_ID.POP) {
      if (--depth === 1) [expectKey, key] = [true, undefined] // a root value's list or mapping closed
      continue
    }
    const opens = e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE
    if (depth === 1 && expectKey && e.type === EVENT_ID.SCALAR) {
      key = source.slice(e.valueStart, e.valueEnd).replace(/^['"]|['"]$/g, '')
      if (passedTasks && end < 0) end = lineStart(source, e.valueStart) // the key after the task list ends it
      passedTasks ||= key === 'tasks'
      expectKey = false
      continue
    }
    if (depth === 1 && !opens) [expectKey, key] = [true, undefined] // a scalar or alias value
    if (depth === 2 && key === 'tasks') {
      const at = e.type === EVENT_ID.SCALAR ? e.valueStart : e.type === EVENT_ID.ALIAS ? e.anchorStart : e.start
      let dash = at - 1
      while (dash >= 0 && /\s/.test(source[dash])) dash--
      const start = dash >= 0 ? lineStart(source, dash) : 0
      // an anchor, a tag or a second entry on the dash's line: no clean lines to splice
      if (dash < 0 || source[dash] !== '-' || source.slice(start, dash).trim() !== '' || (e.type !== EVENT_ID.ALIAS && (e.anchorStart >= 0 || e.tagStart >= 0))) block = false
      else regions.push({ start, dash: dash - start })
    }
    if (opens) depth++
  }
  return { regions: block ? regions : null, end: end < 0 ? source.length : end }
}

/** The task entry printed as one item of a block list whose dash is at column `dash`. */
function printTask(task: Node, dash: number): string {
  const seq: SequenceNode = { kind: 'sequence', tag: 'tag:yaml.org,2002:seq', tagged: false, style: COLLECTION_STYLE.BLOCK, items: [task] }
  const out = present([{ contents: seq, directives: [] }], { schema: CORE_SCHEMA, lineWidth: -1 })
  const pad = ' '.repeat(dash)
  return out.replace(/\n$/, '').split('\n').map((l) => pad + l).join('\n') + '\n'
}

/** A region's trailing blank and comment lines (at most the entry's own indent), kept when the entry is reprinted or removed. */
function trailingComments(region: string, dash: number): string {
  const lines = region.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  let k = lines.length
  while (k > 1) {
    const l = lines[k - 1]
    const indent = l.length - l.trimStart().length
    if (l.trim() === '' || (l.trimStart().startsWith('#') && indent <= dash + 2)) k--
    else break
  }
  const kept = lines.slice(k)
  return kept.length ? kept.join('\n') + '\n' : ''
}

/**
 * Writes the edited task list back into `source`: entries in `changed` (by original index) are
 * printed again, `removed` ones dropped, entries past the original count appended; every other line
 * is kept as written. Without splice points (a flow list, no list yet) the whole document is printed.
 */
function write(source: string, p: Parsed, original: Node[], changed: ReadonlySet<Node>): string {
  const regions = p.regions
  if (p.missing) return `${source}${source === '' || source.endsWith('\n') ? '' : '\n'}tasks:\n${p.tasks.items.map((t) => printTask(t, 2)).join('')}`
  if (!regions || (regions.length === 0 && p.tasks.items.length > 0) || regions.length !== original.length) {
    return present(p.docs, { schema: CORE_SCHEMA, lineWidth: -1, seqNoIndent: /^[^\s#][^\n]*:[ \t]*\n-\s/m.test(source) })
  }
  return spliceList(source, regions, p.end, original, p.tasks.items, changed)
}

/**
 * A block list's entries written back: of the `original` entries (one per region, in order), those
 * not in `items` are dropped, those in `changed` printed again, the rest kept as written; entries of
 * `items` that are new are appended at the list's end (`end`, where its lines stop).
 */
function spliceList(source: string, regions: NonNullable<Parsed['regions']>, end: number, original: readonly Node[], items: readonly Node[], changed: ReadonlySet<Node>): string {
  const kept = new Set(items)
  let out = source.slice(0, regions[0].start)
  regions.forEach((r, i) => {
    const body = source.slice(r.start, i + 1 < regions.length ? regions[i + 1].start : end)
    const node = original[i]
    if (!kept.has(node)) out += trailingComments(body, r.dash)
    else if (changed.has(node)) out += printTask(node, r.dash) + trailingComments(body, r.dash)
    else out += body.endsWith('\n') ? body : body + '\n'
  })
  const dash = regions[regions.length - 1].dash
  for (const node of items) if (!original.includes(node)) out += printTask(node, dash)
  return out + source.slice(end)
}

/**
 * Where the entries of `list` (a foreach's or a choice branch's tasks) start and where its lines
 * end, read from the events as taskRegions reads the root's; null when it cannot be spliced: a flow
 * list, an entry with an anchor or a tag or sharing its dash's line, an AST the events do not match.
 * Asked before the edit (the AST is paired with the events as parsed).
 */
function listRegions(source: string, p: Parsed, list: SequenceNode): { regions: NonNullable<Parsed['regions']>; end: number } | null {
  if (list.style !== COLLECTION_STYLE.BLOCK || !list.items.length) return null
  const events = p.events.filter((e) => e.type !== EVENT_ID.DOCUMENT)
  let i = 0
  let found: { items: number[]; pop: number } | null = null
  // the AST is built from the events in order: a walk of both pairs each node with its event
  const visit = (node: Node): boolean => {
    const e = events[i++]
    if (!e) return false
    if (node.kind === 'scalar') return e.type === EVENT_ID.SCALAR
    if (node.kind === 'alias') return e.type === EVENT_ID.ALIAS
    const items: number[] = []
    if (node.kind === 'mapping') {
      if (e.type !== EVENT_ID.MAPPING || !node.items.every((it) => visit(it.key) && visit(it.value))) return false
    } else {
      if (e.type !== EVENT_ID.SEQUENCE) return false
      for (const it of node.items) {
        items.push(i)
        if (!visit(it)) return false
      }
    }
    if (events[i]?.type !== EVENT_ID.POP) return false
    if (node === list) found = { items, pop: i }
    i++
    return true
  }
  const root = p.docs[0]?.contents
  if (!root || !visit(root) || !found) return null
  const { items, pop } = found as { items: number[]; pop: number }
  const regions: NonNullable<Parsed['regions']> = []
  for (const k of items) {
    const e = events[k]
    if (e.type === EVENT_ID.POP || e.type === EVENT_ID.ALIAS) return null
    if (e.anchorStart >= 0 || e.tagStart >= 0) return null
    let dash = (e.type === EVENT_ID.SCALAR ? e.valueStart : e.start) - 1
    while (dash >= 0 && /\s/.test(source[dash])) dash--
    const start = dash >= 0 ? lineStart(source, dash) : 0
    if (dash < 0 || source[dash] !== '-' || source.slice(start, dash).trim() !== '') return null
    regions.push({ start, dash: dash - start })
  }
  // the list's lines end where the next node after it starts (a key of its task, or a later task or key)
  let end = source.length
  for (const e of events.slice(pop + 1)) {
    const at = e.type === EVENT_ID.SCALAR ? e.valueStart : e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE ? e.start : e.type === EVENT_ID.ALIAS ? e.anchorStart : -1
    if (at < 0) continue
    end = lineStart(source, at)
    break
  }
  // blank and comment lines left of the list's dashes before that node are the outer level's
  // (a comment over the next top-level task): the list ends above them, so an entry added goes there
  const dash = regions[regions.length - 1].dash
  const last = regions[regions.length - 1].start
  while (end > last) {
    const from = lineStart(source, end - 1)
    if (from <= last) break
    const line = source.slice(from, end).replace(/\n$/, '')
    if (line.trim() !== '' && !(line.trimStart().startsWith('#') && line.length - line.trimStart().length < dash)) break
    end = from
  }
  return { regions, end }
}

/** What writeEdit needs of the document as parsed, taken before an edit of `list` changes it. */
interface Snapshot {
  original: Node[]
  items: Node[]
  spliced: ReturnType<typeof listRegions>
}
const snapshot = (source: string, p: Parsed, list: SequenceNode): Snapshot => ({ original: [...p.tasks.items], items: [...list.items], spliced: list === p.tasks ? null : listRegions(source, p, list) })

/**
 * Writes an edit of `list` back: the root's task list through write; an inner list (a foreach body
 * or choice branch) by printing only its `changed` entries (comments elsewhere kept as at the top
 * level), or, when it cannot be spliced, by printing its top-level entry `top` again.
 */
function writeEdit(source: string, p: Parsed, list: SequenceNode, snap: Snapshot, changed: ReadonlySet<Node>, top: Node): string {
  if (list === p.tasks) return write(source, p, snap.original, changed)
  if (snap.spliced && snap.spliced.regions.length === snap.items.length) return spliceList(source, snap.spliced.regions, snap.spliced.end, snap.items, list.items, changed)
  return write(source, p, snap.original, new Set([top]))
}

type ScalarEvent = Extract<ReturnType<typeof parseEvents>[number], { type: typeof EVENT_ID.SCALAR }>

/**
 * Each scalar node of the parsed document with its event (where its text is: valueStart..valueEnd,
 * quotes excluded; `fast` when that text is the value as is). The AST keeps no positions, but it is
 * built from the events in document order, so a walk of both side by side pairs them. Empty when
 * they do not line up (then no line numbers or in-place edits are offered).
 */
function scalarEvents(p: Parsed): Map<ScalarNode, ScalarEvent> {
  const found = new Map<ScalarNode, ScalarEvent>()
  const events = p.events.filter((e) => e.type !== EVENT_ID.DOCUMENT && e.type !== EVENT_ID.POP)
  let i = 0
  const visit = (node: Node): boolean => {
    const e = events[i++]
    if (!e) return false
    if (node.kind === 'scalar') return e.type === EVENT_ID.SCALAR && (found.set(node, e), true)
    if (node.kind === 'mapping') return e.type === EVENT_ID.MAPPING && node.items.every((it) => visit(it.key) && visit(it.value))
    if (node.kind === 'sequence') return e.type === EVENT_ID.SEQUENCE && node.items.every(visit)
    return e.type === EVENT_ID.ALIAS
  }
  const root = p.docs[0]?.contents
  return root && visit(root) ? found : new Map()
}

const lineOf = (source: string, offset: number): number => source.slice(0, offset).split('\n').length

/** `path` with its `index`th element (a name, as pathSpans finds it) changed to `to`, a name of letters and digits. */
function renameElement(path: string, index: number, to: string): string {
  const span = pathSpans(path).spans[index]!
  return path.slice(0, span.start) + to + path.slice(span.end)
}

/** A mapping path that names a task or a context key, with the text it becomes under a new name. */
interface PathUse {
  node: ScalarNode
  renamed: (to: string) => string
  /** `$.<task>.…` (the input shorthand) rather than `$.tasks.<task>.…` or a `$.context.<key>.…` path. */
  shorthand?: boolean
}

/**
 * The mapping sources in the descriptor that read the task `name` (rillflow.md §1.4, §2.1), each
 * with the text it becomes when the task is renamed to `to`:
 * - `$.<name>.…` in a top-level task's `input` (a value, or a map's `source`) or `inputMappings`, and in
 *   the DAG's `output`: the shorthand the descriptor rewrite turns into `$.context.<name>.…`, which the
 *   named task then writes (rewrite.ts, the same pathHead);
 * - `$.tasks.<name>.<key>` in any mapping source at any level: the trigger URL carries the task's name.
 * Not references: `$.context.<name>` (a context key), a longer name (`$.<name>All`), a filter path,
 * a constant that mentions the name. A task inside a foreach or choice (`topLevel` false) is read by
 * `$.tasks.<name>.…` only: the shorthand names top-level tasks (rewrite.ts), and its siblings read
 * what it writes through their own sub-context (`$.context.<key>`, rillflow.md §2.4), not by its name.
 */
function readersOf(p: Parsed, name: string, topLevel = true): PathUse[] {
  const out: PathUse[] = []
  const trigger = `$.tasks.${name}.`
  // a task with a reserved name (stored before the rule) is not what `$.context.x` means to its author
  const reserved = RESERVED_TASK_NAMES.includes(name)
  const check = (node: Node | undefined, shorthand: boolean) => {
    if (node?.kind !== 'scalar') return
    const path = node.value
    if (shorthand && topLevel && !reserved && pathHead(path) === name) out.push({ node, renamed: (to) => renameElement(path, 0, to), shorthand: true })
    else if (path.startsWith(trigger) && path.split('.').length > 3) out.push({ node, renamed: (to) => `$.tasks.${to}.${path.slice(trigger.length)}` })
  }
  const sources = (list: Node | undefined, shorthand: boolean) => {
    if (list?.kind === 'sequence') for (const m of list.items) check(field(m, 'source'), shorthand)
  }
  const inputs = (map: Node | undefined, shorthand: boolean) => {
    if (map?.kind === 'mapping') for (const { value } of map.items) check(value.kind === 'mapping' ? field(value, 'source') : value, shorthand)
  }
  const visit = (list: Node | undefined, top: boolean) => {
    if (list?.kind !== 'sequence') return
    for (const t of list.items) {
      inputs(field(t, 'input'), top)
      sources(field(t, 'inputMappings'), top)
      sources(field(t, 'outputMappings'), false)
      visit(field(t, 'tasks'), false)
      const choices = field(t, 'choices')
      if (choices?.kind === 'sequence') for (const c of choices.items) visit(field(c, 'tasks'), false)
    }
  }
  visit(p.tasks, true)
  inputs(field(p.docs[0].contents!, 'output'), true)
  return out
}

/**
 * Where the top level of the descriptor uses the context key `key` (the run's context: top-level
 * tasks' mappings and the DAG's `output`; sub-tasks see their own sub-context, conditions only
 * `$.input`/`$.output`): `paths`, the `$.context.<key>…` paths of `input` values, inputMappings and
 * outputMappings (sources and targets) and `output`, each with its renamed text; `fixed`, what a
 * rename cannot follow: a `transform` script naming `context.<key>` and a `defaultContext` key.
 */
function contextUses(p: Parsed, key: string): { paths: PathUse[]; fixed: ScalarNode[] } {
  const paths: PathUse[] = []
  const fixed: ScalarNode[] = []
  const script = new RegExp(`\\bcontext\\s*(?:\\.\\s*${key}\\b|\\[\\s*['"]${key}['"])`)
  const check = (node: Node | undefined) => {
    if (node?.kind !== 'scalar' || !node.value.startsWith('$')) return
    const [root, first] = pathSpans(node.value).spans
    if (root?.name === 'context' && first?.name === key) paths.push({ node, renamed: (to) => renameElement(node.value, 1, to) })
  }
  const mapping = (m: Node, fields: readonly string[]) => {
    if (m.kind !== 'mapping') return check(m)
    fields.forEach((f) => check(field(m, f)))
    const transform = field(m, 'transform')
    if (transform?.kind === 'scalar' && script.test(transform.value)) fixed.push(transform)
  }
  const list = (l: Node | undefined, fields: readonly string[]) => {
    if (l?.kind === 'sequence') l.items.forEach((m) => mapping(m, fields))
  }
  const values = (map: Node | undefined) => {
    if (map?.kind === 'mapping') map.items.forEach(({ value }) => mapping(value, ['source']))
  }
  for (const t of p.tasks.items) {
    values(field(t, 'input'))
    list(field(t, 'inputMappings'), ['source'])
    list(field(t, 'outputMappings'), ['source', 'target'])
  }
  const root = p.docs[0].contents!
  values(field(root, 'output'))
  const defaults = field(root, 'defaultContext')
  if (defaults?.kind === 'mapping') for (const { key: k } of defaults.items) if (k.kind === 'scalar' && k.value === key) fixed.push(k)
  return { paths, fixed }
}

/**
 * A sentence for the user when mappings in `source` still read one of the `names` (tasks just
 * deleted): `2 mappings still read "old": lines 14, 20 …`; undefined when none does or the YAML does
 * not parse. Lines are 1-based lines of `source`. `inner` are the names that were tasks inside a
 * foreach or choice (read by `$.tasks.<name>.…` only, see readersOf).
 */
export function stillRead(source: string, names: readonly string[], inner: ReadonlySet<string> = new Set()): string | undefined {
  const p = parse(source)
  if ('error' in p) return undefined
  const events = scalarEvents(p)
  const said = names.flatMap((name) => {
    const readers = readersOf(p, name, !inner.has(name))
    const lines = readers.flatMap(({ node }) => {
      const e = events.get(node)
      return e ? [lineOf(source, e.valueStart)] : []
    })
    const count = readers.length
    if (!count) return []
    return [`${count} mapping${count === 1 ? '' : 's'} still read${count === 1 ? 's' : ''} "${name}"${lines.length ? `: line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}` : ''}`]
  })
  return said.length ? `${said.join('; ')} (they find nothing now: point them elsewhere or remove them)` : undefined
}

/** Every task name in the descriptor, nested levels included (names are unique across all of them). */
function allNames(tasks: SequenceNode): Set<string> {
  const names = new Set<string>()
  const visit = (list: Node | undefined) => {
    if (list?.kind !== 'sequence') return
    for (const t of list.items) {
      const n = nameOf(t)
      if (n) names.add(n)
      visit(field(t, 'tasks'))
      const choices = field(t, 'choices')
      if (choices?.kind === 'sequence') for (const c of choices.items) visit(field(c, 'tasks'))
    }
  }
  visit(tasks)
  return names
}

/** The names a top-level task leads to: its `next`, or for a switch its switches' `next`. */
function nextOf(task: Node): string[] {
  if (text(field(task, 'category')) === 'switch') {
    const switches = field(task, 'switches')
    return switches?.kind === 'sequence' ? switches.items.flatMap((s) => splitNext(text(field(s, 'next')))) : []
  }
  return splitNext(text(field(task, 'next')))
}

/**
 * Where a task sits: the list it is one of (the top level, a foreach's `tasks`, or a choice's
 * `choices[branch].tasks`), the top-level entry that holds it (itself at the top level; the entry
 * write prints again when it changes), and for an inner task the foreach or choice whose body it is in.
 */
interface Place {
  task: MappingNode
  list: SequenceNode
  top: Node
  parent?: string
  branch?: number
}

/** Every named task of the descriptor, at any level, with its Place (names are unique across levels). */
function places(p: Parsed): Map<string, Place> {
  const out = new Map<string, Place>()
  const visit = (list: Node | undefined, top: Node | undefined, parent?: string, branch?: number) => {
    if (list?.kind !== 'sequence') return
    for (const t of list.items) {
      if (t.kind !== 'mapping') continue
      const owner = top ?? t
      const name = nameOf(t)
      if (name && !out.has(name)) out.set(name, { task: t, list, top: owner, ...(parent !== undefined ? { parent } : {}), ...(branch !== undefined ? { branch } : {}) })
      visit(field(t, 'tasks'), owner, name ?? '')
      const choices = field(t, 'choices')
      if (choices?.kind === 'sequence') choices.items.forEach((c, i) => visit(field(c, 'tasks'), owner, name ?? '', i))
    }
  }
  visit(p.tasks, undefined)
  return out
}

/** The body a task is in, for messages: `the top level`, `"each"'s body`, `"pick"'s branch #2`. */
function bodyName(place: Place): string {
  if (place.parent === undefined) return 'the top level'
  return place.branch === undefined ? `"${place.parent}"'s body` : `"${place.parent}"'s branch #${place.branch + 1}`
}

/** Removes `target` from a task's `next` (or a switch's switches); true when it was there. */
function dropNext(task: MappingNode, target: string): boolean {
  let dropped = false
  const drop = (map: MappingNode) => {
    const names = splitNext(text(field(map, 'next')))
    if (!names.includes(target)) return
    dropped = true
    const left = names.filter((n) => n !== target)
    setField(map, 'next', left.length ? left.join(separatorOf(text(field(map, 'next')))) : undefined)
  }
  if (text(field(task, 'category')) === 'switch') {
    const switches = field(task, 'switches')
    if (switches?.kind === 'sequence') for (const s of switches.items) if (s.kind === 'mapping') drop(s)
  } else drop(task)
  return dropped
}
const separatorOf = (next: string | undefined) => (next?.includes(', ') ? ', ' : ',')

/** The first name `<category><n>` (n = 1, 2, …) no task uses. */
function freshName(taken: ReadonlySet<string>, base: string): string {
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`
}

/**
 * A new task of `category` as the palette adds it: the fields its category requires, filled with a
 * working example (a pass runs as is; a function's URL, a suspense's wake-up condition and a
 * foreach's collection are meant to be changed). Sub-tasks get fresh names too.
 */
export function taskTemplate(category: TaskCategory, name: string, taken: ReadonlySet<string>): Record<string, unknown> {
  const sub = (suffix: string) => freshName(new Set([...taken, name]), `${name}${suffix}`)
  switch (category) {
    case 'pass':
      return { category, name }
    case 'function':
      return { category, name, pattern: 'task_sync', resourceName: 'https://example.com/your-service' }
    case 'suspense':
      return { category, name, conditions: ['$.input.[?(@.go == true)]'], inputMappings: [{ source: '$.context.go', target: '$.input.go' }] }
    case 'return':
      return { category, name, conditions: ['$.input.[?(@.stop == true)]'], inputMappings: [{ source: '$.context.stop', target: '$.input.stop' }] }
    case 'choice':
      return { category, name, inputMappings: [{ source: '$.context.n', target: '$.input.n' }], choices: [{ condition: '$.input.[?(@.n > 5)]', tasks: [{ category: 'pass', name: sub('big') }] }, { condition: '$.input.[?(@.n <= 5)]', tasks: [{ category: 'pass', name: sub('small') }] }] }
    case 'foreach':
      return { category, name, inputMappings: [{ source: '$.context.items', target: '$.input.items' }], iterationMapping: { collection: '$.input.items', item: 'it' }, tasks: [{ category: 'pass', name: sub('step') }] }
    case 'switch':
      return { category, name, inputMappings: [{ source: '$.context.n', target: '$.input.n' }], switches: [{ condition: '$.input.[?(@.n > 5)]' }, { condition: 'default' }] }
  }
}

/**
 * Appends a new task of `category` (TASK_CATEGORIES) named `<category><n>`, unconnected: at the top
 * level, or with `beside` (a task's name) into the list that task is in (a foreach body or choice
 * branch, where it can then be wired to its siblings). Returns the text and the new task's name, or
 * an error when the YAML does not parse or no task is named `beside`.
 */
export function addTask(source: string, category: TaskCategory, beside?: string): { text: string; name: string } | { error: string } {
  if (!(TASK_CATEGORIES as readonly string[]).includes(category)) return { error: `unknown task category "${category}"` }
  const p = parse(source)
  if ('error' in p) return p
  const place = beside === undefined ? undefined : places(p).get(beside)
  if (beside !== undefined && !place) return { error: `no task "${beside}"` }
  const list = place?.list ?? p.tasks
  const snap = snapshot(source, p, list)
  const taken = allNames(p.tasks)
  const name = freshName(taken, category)
  const [doc] = jsToAst(taskTemplate(category, name, taken), CORE_SCHEMA)
  if (!doc.contents) return { error: 'could not build the task' }
  if (list.style === COLLECTION_STYLE.FLOW) doc.contents = { ...(doc.contents as MappingNode), style: COLLECTION_STYLE.FLOW }
  list.items.push(doc.contents)
  return { text: writeEdit(source, p, list, snap, new Set(), place?.top ?? list), name }
}

/**
 * What is wrong with a wire `from` → `to` between top-level tasks, or null when it can be made.
 * `tasks` are the top-level tasks with what each leads to. A wire that closes a cycle is refused
 * with the validators' one message (`cycle found: a -> b -> a`).
 */
export function wireProblem(tasks: readonly { name: string; next: readonly string[] }[], from: string, to: string): string | null {
  const byName = new Map(tasks.map((t) => [t.name, t]))
  if (!byName.has(from)) return `no top-level task "${from}"`
  if (!byName.has(to)) return `no top-level task "${to}"`
  if (byName.get(from)!.next.includes(to)) return `"${from}" already leads to "${to}"`
  const dependents = new Map(tasks.map((t) => [t.name, t.name === from ? [...t.next, to] : [...t.next]]))
  const cycle = findCycle(tasks, dependents)
  return cycle ? cycleMessage(cycle) : null
}

/** The tasks of one list (a level) with what each leads to, as wireProblem takes them. */
function levelOf(list: SequenceNode): { name: string; next: string[] }[] {
  return list.items.flatMap((t) => {
    const name = nameOf(t)
    return name ? [{ name, next: nextOf(t) }] : []
  })
}

/**
 * Makes `to` run after `from` (adds `to` to `from`'s `next`, keeping its order and separator). A
 * switch leads on through its cases (`switches`): the first case without a `next` gets `next: to`;
 * when every case has one, a new case `{condition: $.input.[?(@.<to> == true)], next: to}` is
 * appended and `warning` asks for its real condition. Refused: a cycle (`cycle found: …`), a wire
 * that is already there, a task that is not there, two tasks of different levels (a wire joins
 * siblings: top-level tasks, or the tasks of one foreach body or one choice branch).
 */
export function connectTasks(source: string, from: string, to: string): DagEditResult {
  const p = parse(source)
  if ('error' in p) return p
  const all = places(p)
  const [a, b] = [all.get(from), all.get(to)]
  if (a && b && a.list !== b.list) return { error: `"${from}" is in ${bodyName(a)} and "${to}" in ${bodyName(b)}: a wire joins two tasks of one level (the top level, or one foreach body or choice branch)` }
  const problem = wireProblem(levelOf(a?.list ?? p.tasks), from, to)
  if (problem) return { error: problem }
  const { task, top, list } = a!
  const snap = snapshot(source, p, list)
  const done = (changed: Node) => writeEdit(source, p, list, snap, new Set([changed]), top)
  if (text(field(task, 'category')) === 'switch') return connectSwitch(task, to, done)
  const next = text(field(task, 'next'))
  setField(task, 'next', [...splitNext(next), to].join(separatorOf(next)))
  return { text: done(task) }
}

/** connectTasks for a switch `task`: fills the first case without a `next`, else appends a case; `done` writes the changed task back. */
function connectSwitch(task: MappingNode, to: string, done: (changed: Node) => string): DagEditResult {
  let switches = field(task, 'switches')
  if (switches?.kind !== 'sequence') {
    if (switches) return { error: `"${nameOf(task)}"'s switches is not a list; fix it in the editor` }
    switches = { kind: 'sequence', tag: 'tag:yaml.org,2002:seq', tagged: false, style: COLLECTION_STYLE.BLOCK, items: [] }
    task.items.push({ key: scalar('switches'), value: switches })
  }
  const open = switches.items.find((c): c is MappingNode => c.kind === 'mapping' && !text(field(c, 'next')))
  let warning: string | undefined
  if (open) setField(open, 'next', to, 'condition')
  else {
    const condition = `$.input.[?(@.${to} == true)]`
    const [doc] = jsToAst({ condition, next: to }, CORE_SCHEMA)
    const last = switches.items[switches.items.length - 1]
    // a case written like its neighbours ({condition, next} on one line, or a block)
    switches.items.push(last?.kind === 'mapping' ? { ...(doc.contents as MappingNode), style: last.style } : doc.contents!)
    warning = `"${nameOf(task)}" got a case leading to "${to}": set its condition (now ${condition}) in the YAML`
  }
  const out = done(task)
  return warning ? { text: out, warning } : { text: out }
}

/** Removes the wire `from` → `to` (from `next`, or from a switch's switches). Refused when there is no such wire. */
export function disconnectTasks(source: string, from: string, to: string): DagEditResult {
  const p = parse(source)
  if ('error' in p) return p
  const place = places(p).get(from)
  if (!place) return { error: `"${from}" does not lead to "${to}"` }
  const snap = snapshot(source, p, place.list)
  if (!dropNext(place.task, to)) return { error: `"${from}" does not lead to "${to}"` }
  return { text: writeEdit(source, p, place.list, snap, new Set([place.task]), place.top) }
}

/**
 * Deletes the task `name` (with its sub-tasks) and every wire to it from its siblings; a task inside
 * a foreach body or choice branch is deleted from that list. Refused: a name no task has, and the
 * last task of a body or branch (a foreach needs one, and an empty branch runs nothing: delete the
 * foreach or choice instead). Mappings that still read it are left as written (what they should
 * read instead is the user's call) and named, with their lines, in `warning` (stillRead).
 */
export function removeTask(source: string, name: string): DagEditResult {
  const p = parse(source)
  if ('error' in p) return p
  const place = places(p).get(name)
  if (!place) return { error: `no task "${name}"` }
  const { task, list } = place
  if (place.parent !== undefined && list.items.length === 1) return { error: `"${name}" is the only task in ${bodyName(place)}: add another there first, or delete "${place.parent}"` }
  const snap = snapshot(source, p, list)
  list.items.splice(list.items.indexOf(task), 1)
  const changed = new Set<Node>()
  for (const t of list.items) if (t.kind === 'mapping' && dropNext(t, name)) changed.add(t)
  const text = writeEdit(source, p, list, snap, changed, place.top)
  const warning = stillRead(text, [name], new Set(place.parent !== undefined ? [name] : []))
  return warning ? { text, warning } : { text }
}

/**
 * Renames the task `from` (at any level) to `to`, every sibling's `next` (and switch `next`) naming
 * it, and every mapping path that reads it (readersOf: `$.<task>.…` shorthands of a top-level task,
 * `$.tasks.<task>.trigger_url` of any).
 * When a shorthand reads it, the context key `from` is the task's (the shorthand stands for
 * `$.context.<from>.…`, which the task writes unless a mapping of its own or another task's already
 * does), so every `$.context.<from>…` path of the top level moves to `<to>` with it (contextUses):
 * the renamed DAG computes what it did. The paths are changed in place in the text, so their lines
 * keep their layout and comments.
 * Refused (the error names the line where there is one): a name that breaks the descriptor's name
 * rule (letters and digits, at most NAME_MAX_LENGTH), a reserved name (reservedTaskNameProblem) or
 * one another task has; a path written as a block or escaped scalar (it cannot be changed in place);
 * a path that would start reading the renamed task (`$.<to>.…`); and, when the context key moves, a
 * `$.context.<to>…` path already there, a `defaultContext` key or a `transform` naming either key.
 */
export function renameTask(source: string, from: string, to: string): DagEditResult {
  if (!NAME_PATTERN.test(to) || to.length > NAME_MAX_LENGTH) return { error: `a task name is letters and digits only, at most ${NAME_MAX_LENGTH} characters` }
  const reserved = reservedTaskNameProblem(to)
  if (reserved) return { error: reserved }
  const first = parse(source)
  if ('error' in first) return first
  const at = places(first).get(from)
  if (!at) return { error: `no task "${from}"` }
  if (from === to) return { text: source }
  if (allNames(first.tasks).has(to)) return { error: `a task is already named "${to}"` }
  const events = scalarEvents(first)
  const lineNote = (node: ScalarNode) => {
    const e = events.get(node)
    return e ? ` (line ${lineOf(source, e.valueStart)})` : ''
  }
  const topLevel = at.parent === undefined
  const taken = readersOf(first, to, topLevel)[0]
  if (taken) return { error: `the path "${taken.node.value}"${lineNote(taken.node)} would read the task once it is named "${to}"; change that path first` }
  const readers = readersOf(first, from, topLevel)
  const uses = [...readers]
  if (readers.some((r) => r.shorthand)) {
    const own = contextUses(first, from)
    const there = contextUses(first, to)
    const clash = there.paths[0]?.node ?? there.fixed[0]
    if (clash) return { error: `"${clash.value}"${lineNote(clash)} already uses the context key "${to}", where "${from}"'s output would move; change it first` }
    const stuck = own.fixed[0]
    if (stuck) return { error: `"${stuck.value}"${lineNote(stuck)} uses the context key "${from}", which moves to "${to}" with the task; change it in the editor` }
    uses.push(...own.paths)
  }
  if (uses.length) {
    // spliced last to first, so each offset still holds; a name of letters and digits needs no new quoting
    const edits = uses.map(({ node, renamed }) => ({ e: events.get(node), node, value: renamed(to) }))
    const stuck = edits.find(({ e, node }) => !e || !e.fast || source.slice(e.valueStart, e.valueEnd) !== node.value)
    if (stuck) return { error: `the path "${stuck.node.value}"${lineNote(stuck.node)} reads "${from}" but is not written on one plain or quoted line; change it in the editor` }
    for (const { e, value } of edits.sort((a, b) => b.e!.valueStart - a.e!.valueStart)) source = source.slice(0, e!.valueStart) + value + source.slice(e!.valueEnd)
  }
  const p = parse(source)
  if ('error' in p) return p
  const { task, list, top } = places(p).get(from)!
  const snap = snapshot(source, p, list)
  const changed = new Set<Node>([task])
  setField(task, 'name', to)
  const renameIn = (map: MappingNode) => {
    const next = text(field(map, 'next'))
    const names = splitNext(next)
    if (!names.includes(from)) return false
    setField(map, 'next', names.map((n) => (n === from ? to : n)).join(separatorOf(next)))
    return true
  }
  const mark = (t: Node) => changed.add(t)
  for (const t of list.items) {
    if (t.kind !== 'mapping') continue
    const switches = field(t, 'switches')
    if (text(field(t, 'category')) === 'switch' && switches?.kind === 'sequence') {
      for (const s of switches.items) if (s.kind === 'mapping' && renameIn(s)) mark(t)
    } else if (renameIn(t)) mark(t)
  }
  return { text: writeEdit(source, p, list, snap, changed, top) }
}
