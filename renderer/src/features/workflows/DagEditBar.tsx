import { Panel, useStore, useStoreApi, type Connection, type Edge, type Node } from '@xyflow/react'
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react'
import { TASK_CATEGORIES, type TaskCategory } from '../../../../shared/workflows'
import { cycleNames } from '../../../../shared/dag-cycle'
import { useWorkflows } from '../../stores/workflows'
import type { DagEditResult } from './dag-edit'
import { runEditorKey } from './YamlEditor'
import { placeRefusal, type PlacedRect, type RefusalPlace } from './refusal-place'

/**
 * dag-edit with js-yaml (125.7 kB built), fetched at the first graph edit instead of with the page: in
 * the page's chunk they made it 255.5 kB, 120.7 before and 130.9 now. A module loaded once is kept.
 */
const loadDagEdit = () => import('./dag-edit')
type DagEdit = Awaited<ReturnType<typeof loadDagEdit>>

/** What each palette entry adds, as its option's title. */
const CATEGORY_HINTS: Record<TaskCategory, string> = {
  pass: 'passes the context on (runs as is)',
  function: 'calls an HTTP service (set its resourceName)',
  suspense: 'waits until woken with {go: true}',
  return: 'ends the flow when its condition holds',
  choice: 'runs the branch whose condition holds',
  foreach: 'runs its body once per item of a list',
  switch: 'leads on along the first matching condition',
}

/** Comment marks in a text (a `#` at a line's start or after a space), to say when a rewrite dropped some. */
const commentCount = (text: string) => text.match(/(^|\s)#/gm)?.length ?? 0

/** A wire's id as the drawn graph names it (dag-layout's GraphEdge ids). */
const wireOf = (id: string): [string, string] | null => {
  const at = id.indexOf('->')
  return at > 0 ? [id.slice(0, at), id.slice(at + 2)] : null
}

const NO_TASKS: string[] = []
/** The width, px, at which DagEditHint's one-line form is measured (its height is a line's, whatever the width). */
const HINT_COMPACT_WIDTH = 200

/**
 * The graph's editing of the draft: add, connect, delete and rename top-level tasks, each a rewrite
 * of the YAML (dag-edit.ts) set as the draft, so the editor shows it, validation redraws the graph,
 * and the editor's history undoes it. `hint` says why an edit was refused, what it dropped, or which
 * mappings still read a deleted task (with their lines); `hintEnds` names the tasks the edit touched (the
 * renamed or deleted task, a wire's two ends) and `hintAbout` every task a refusal names besides (a
 * cycle's), which DagEditHint keeps clear of. A refusal stands until dismissed (× or Escape, setHint(null)),
 * another task is selected, an edit succeeds, or another workflow is opened.
 */
export function useDagEditing(enabled: boolean) {
  const setDraft = useWorkflows((s) => s.setDraft)
  const selectTask = useWorkflows((s) => s.selectTask)
  const shown = useWorkflows((s) => s.detail?.descriptorId ?? null)
  const [selectedWire, setSelectedWire] = useState<string | null>(null)
  const selected = useWorkflows((s) => s.selectedTask)
  const [said, setSaid] = useState<{ hint: string; ends: string[]; about: string[]; refused: boolean } | null>(null)
  /**
   * Shows `text` (null: clears it) about the tasks `ends` (the edit's own: the message is placed clear of
   * their nodes) and, for a refusal (`refused`), every task it names besides (a cycle's).
   */
  const setHint = (text: string | null, ends: string[] = [], refused = false) =>
    setSaid(text ? { hint: text, ends, about: refused ? cycleNames(text).filter((n) => !ends.includes(n)) : NO_TASKS, refused } : null)
  useEffect(() => {
    if (!enabled) [setSelectedWire, setSaid].forEach((f) => f(null))
  }, [enabled])
  // a refusal is about the draft it was made on: another workflow opened, it no longer applies
  useEffect(() => setSaid(null), [shown])
  // another task selected, the user has moved on from a refusal (a warning of a rename or delete, which
  // selects the new name or none, stays)
  useEffect(() => setSaid((s) => (s?.refused ? null : s)), [selected])

  /**
   * Applies a rewrite of the draft as it is once dag-edit is loaded, and returns the new text; null
   * (and the reason shown) when it was refused. `about`: the tasks the edit touches, whose nodes its
   * message must not cover.
   */
  const apply = async (about: string[], edit: (m: DagEdit, draft: string) => DagEditResult): Promise<string | null> => {
    let m: DagEdit
    try {
      m = await loadDagEdit()
    } catch (e) {
      setHint(`The graph editor did not load (${e instanceof Error ? e.message : String(e)}); edit the YAML, or reload the page.`, [], true)
      return null
    }
    const draft = useWorkflows.getState().draft
    const result = edit(m, draft)
    if ('error' in result) {
      setHint(result.error, about, true)
      return null
    }
    const lost = commentCount(draft) - commentCount(result.text)
    const dropped = lost > 0 ? `${lost} comment${lost === 1 ? '' : 's'} inside the changed task${lost === 1 ? ' was' : 's were'} dropped (js-yaml prints none); Ctrl+Z brings ${lost === 1 ? 'it' : 'them'} back` : null
    setHint([result.warning, dropped].filter(Boolean).join('. ') || null, about)
    setDraft(result.text)
    return result.text
  }

  /** Adds a task of `category` at the top level, or beside the task `beside` (in its foreach body or choice branch). */
  const add = async (category: TaskCategory, beside?: string) => {
    let name: string | null = null
    const text = await apply(beside ? [beside] : [], (m, d) => {
      const r = m.addTask(d, category, beside)
      if (!('error' in r)) name = r.name
      return r
    })
    // selected, so that its name field is at hand (it is drawn once the draft validates)
    if (text && name) void selectTask(name)
  }
  const connect = async (c: Connection) => {
    if (c.source && c.target) await apply([c.source, c.target], (m, d) => m.connectTasks(d, c.source, c.target))
  }
  const removeWire = async (id: string) => {
    const wire = wireOf(id)
    if (wire && (await apply(wire, (m, d) => m.disconnectTasks(d, ...wire)))) setSelectedWire(null)
  }
  const remove = async (name: string) => {
    if (await apply([name], (m, d) => m.removeTask(d, name))) void selectTask(null)
  }
  /** Renames `from` to `to` (trimmed); an empty or unchanged name rewrites nothing and the hint says why (an earlier edit's hint stood). */
  const rename = async (from: string, to: string) => {
    const name = to.trim()
    if (!name) return setHint(`A task needs a name: "${from}" was not renamed`, [from], true)
    if (name === from) return setHint(`The task is already named "${from}": nothing changed`, [from], true)
    if (await apply([from], (m, d) => m.renameTask(d, from, name))) void selectTask(name)
  }
  /** The Delete key on the graph: the selected tasks (with their wires), else the selected wires. */
  const onDelete = async ({ nodes, edges }: { nodes: Node[]; edges: Edge[] }) => {
    // a deleted foreach or choice takes its inner tasks along (React Flow lists them too)
    const gone = new Set(nodes.filter((n) => !nodes.some((p) => p.id === n.parentId)).map((n) => n.id))
    const inner = new Set(nodes.filter((n) => n.parentId !== undefined).map((n) => n.id))
    setSelectedWire(null)
    const about = [...gone, ...edges.flatMap((e) => [e.source, e.target])]
    const text = await apply(about, (m, draft) => {
      let text = draft
      for (const n of gone) {
        const r = m.removeTask(text, n)
        if ('error' in r) return r
        text = r.text
      }
      for (const e of edges) {
        if (gone.has(e.source) || gone.has(e.target)) continue
        const r = m.disconnectTasks(text, e.source, e.target)
        if ('error' in r) return r
        text = r.text
      }
      // asked of the final text, so the lines named are the ones the editor shows
      return { text, warning: m.stillRead(text, [...gone], inner) }
    })
    if (text && gone.size) void selectTask(null)
  }
  /** Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y on the graph undo and redo in the YAML editor. */
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (!enabled || !(e.ctrlKey || e.metaKey) || !/^[zy]$/i.test(e.key)) return
    if ((e.target as HTMLElement).closest('input, select, textarea')) return
    if (runEditorKey(e.nativeEvent)) e.preventDefault()
  }
  return { selectedWire, setSelectedWire, hint: said?.hint ?? null, hintEnds: said?.ends ?? NO_TASKS, hintAbout: said?.about ?? NO_TASKS, setHint, add, connect, removeWire, remove, rename, onDelete, onKeyDown }
}

export type DagEditing = ReturnType<typeof useDagEditing>

/**
 * The graph's edit strip (design mode): a palette that adds a task of any category the descriptor
 * parser knows, and for the selected task a name field (Enter renames) and Delete, for the selected
 * wire Delete (their refusals, editing.hint, are DagEditHint's: over the graph, clear of what they are
 * about); `children` go under it (the out-of-view hint, which would otherwise take the same corner).
 * `inside`: the foreach or choice the selected task is in, whose body the palette then adds to.
 */
export function DagEditBar({ editing, task, inside, children }: { editing: DagEditing; task: string | null; inside?: string | null; children?: ReactNode }) {
  const [name, setName] = useState(task ?? '')
  useEffect(() => setName(task ?? ''), [task])
  const { add, selectedWire, removeWire, remove, rename } = editing
  return (
    // top-left: the bottom-left corner is where a pan of the graph is started (as the run views test does)
    <Panel position="top-left" className="wf-dag-edit" data-testid="dag-edit">
      <div className="wf-dag-edit-row">
        <select
          aria-label="add a task"
          data-testid="dag-add-task"
          value=""
          title={`Add a task to the draft${inside ? ` inside "${inside}", beside the selected task` : ''}; then drag from a task's lower dot to another task to make it run after it`}
          onChange={(e) => e.target.value && void add(e.target.value as TaskCategory, inside && task ? task : undefined)}
        >
          <option value="">{inside ? `+ Add task in ${inside}` : '+ Add task'}</option>
          {TASK_CATEGORIES.map((c) => (
            <option key={c} value={c} title={CATEGORY_HINTS[c]}>
              {c} — {CATEGORY_HINTS[c]}
            </option>
          ))}
        </select>
        {task && (
          <form
            className="wf-dag-edit-task"
            onSubmit={(e) => {
              e.preventDefault()
              void rename(task, name)
            }}
          >
            <input
              aria-label="task name"
              data-testid="dag-task-name"
              value={name}
              size={12}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                // Enter with the button disabled (an empty or unchanged name) submits nothing: rename says why
                if (e.key === 'Enter' && (name.trim() === task || !name.trim())) {
                  e.preventDefault()
                  void rename(task, name)
                }
              }}
            />
            <button type="submit" disabled={name.trim() === task || !name.trim()}>
              Rename
            </button>
            <button type="button" onClick={() => void remove(task)} title="Delete this task and its wires (Delete key)">
              Delete task
            </button>
          </form>
        )}
        {!task && selectedWire && (
          <button type="button" onClick={() => void removeWire(selectedWire)} title="Delete this wire (Delete key)">
            Delete wire
          </button>
        )}
      </div>
      {children}
    </Panel>
  )
}

/**
 * Why a graph edit was refused, what it dropped, or which rule a name breaks (editing.hint: `cycle found:
 * a -> b -> a`, "a task name is letters and digits only…"), over the graph but clear of the tasks it is
 * about (editing.hintEnds, then editing.hintAbout: every task of a cycle), then of every task, and of the
 * edit strip with its name field, the zoom buttons and the minimap (placeRefusal: under the strip, in a
 * corner, or wherever in the box is clear). It never moves the graph: a strip above it made the nodes
 * jump under the pointer, and a wire dragged right after a refusal missed (f19faeea). It lets drags pass
 * through (only its × takes the pointer), is announced (role=alert); × or Escape dismisses it (Escape
 * unless the YAML editor or a dialog, which use Escape themselves, has the focus).
 * A child of <ReactFlow> (its box, and its viewport to follow a pan or zoom).
 */
export function DagEditHint({ editing }: { editing: DagEditing }) {
  const { hint, hintEnds, hintAbout, setHint } = editing
  const ref = useRef<HTMLDivElement>(null)
  // `bottom`: the one-line form low in the box is held by its bottom edge, so its whole text opens upwards;
  // `room`: px from its left to the box's right margin, as wide as its whole text may open
  const [place, setPlace] = useState<(RefusalPlace & { bottom?: number; room: number }) | null>(null)
  // re-placed as the view pans or zooms, or the box resizes (the nodes move in it)
  const transform = useStore((s) => s.transform.join(','))
  const size = useStore((s) => `${s.width}x${s.height}`)
  const flow = useStoreApi()
  useLayoutEffect(() => {
    const el = ref.current
    const box = el?.offsetParent
    if (!el || !box || !hint) return
    const origin = box.getBoundingClientRect()
    const rel = (r: DOMRect): PlacedRect => ({ x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height })
    const rectOf = (selector: string) => {
      const found = box.querySelector(selector)
      return found ? rel(found.getBoundingClientRect()) : null
    }
    const strip = rectOf('.wf-dag-edit')
    // a node's box grown by its connection dots, which stick out of it
    const HANDLE = 6
    // the foreach or choice around an edited task is about it too: its header names where the task is
    const { nodeLookup } = flow.getState()
    const holders = new Set<string>()
    for (const end of hintEnds) for (let up = nodeLookup.get(end)?.parentId; up && !holders.has(up); up = nodeLookup.get(up)?.parentId) holders.add(up)
    const [ends, about, others]: PlacedRect[][] = [[], [], []]
    for (const n of box.querySelectorAll<HTMLElement>('.react-flow__node[data-id]')) {
      const r = rel(n.getBoundingClientRect())
      const grown = { x: r.x - HANDLE, y: r.y - HANDLE, width: r.width + 2 * HANDLE, height: r.height + 2 * HANDLE }
      const id = n.dataset.id!
      ;(hintEnds.includes(id) ? ends : hintAbout.includes(id) || holders.has(id) ? about : others).push(grown)
    }
    const height = (width: number) => {
      el.style.width = `${width}px`
      return el.offsetHeight
    }
    el.classList.add('compact')
    const compactHeight = height(HINT_COMPACT_WIDTH)
    el.classList.remove('compact')
    const placed = placeRefusal({
      box: { width: origin.width, height: origin.height },
      stripBottom: strip ? strip.y + strip.height : 0,
      keepClear: [strip, rectOf('.react-flow__controls'), rectOf('.react-flow__minimap')].filter((r): r is PlacedRect => r !== null),
      ends,
      about,
      others,
      height,
      compactHeight,
    })
    // measuring set its width and form; React would not set them back when the place is the last one
    el.style.width = `${placed.width}px`
    el.classList.toggle('compact', placed.compact === true)
    const low = placed.compact && placed.top + compactHeight / 2 > origin.height / 2
    const room = origin.width - 8 - placed.left
    setPlace(low ? { ...placed, room, bottom: origin.height - placed.top - compactHeight } : { ...placed, room })
  }, [hint, hintEnds, hintAbout, transform, size, flow])
  // Escape dismisses it, as ×; not from the YAML editor or a dialog, whose own Escape it would steal
  useEffect(() => {
    if (!hint) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || (e.target instanceof Element && e.target.closest('.cm-editor, dialog'))) return
      setHint(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [hint, setHint])
  if (!hint) return null
  return (
    <div
      ref={ref}
      className={`wf-dag-edit-hint${place?.compact ? ' compact' : ''}`}
      data-testid="dag-edit-hint-box"
      style={place ? ({ left: place.left, width: place.width, ['--room' as string]: `${place.room}px`, ...(place.bottom === undefined ? { top: place.top } : { bottom: place.bottom }) } as CSSProperties) : undefined}
    >
      {/* in the one-line form, focusable: its whole text shows on focus as on hover */}
      <p role="alert" data-testid="dag-edit-hint" tabIndex={place?.compact ? 0 : undefined}>
        {hint}
      </p>
      <button type="button" aria-label="dismiss" title="Dismiss this message" onClick={() => setHint(null)}>
        ×
      </button>
    </div>
  )
}
