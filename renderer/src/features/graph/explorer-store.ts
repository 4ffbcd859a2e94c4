import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { GraphInfo, GraphSummary } from '../../../../shared/graph'
import type { CypherRunResult } from '../../../../shared/graph-api'
import { send } from '../../api/client'
import { errorMessage as messageOf } from '../shell/form-errors'
import { userStorage, whenSignedIn, whenSignedOut } from '../../stores/user-scope'
import { EMPTY_SCHEMA, type CompletionSchema } from './cypher-complete'
import { errorPosition, mergePictures, missingEndpoints, NEIGHBOURS_QUERY, pictureOf, VERTICES_QUERY, type Picture } from './cypher-result'

/** How many past queries the history keeps (per user, in localStorage). */
export const HISTORY_SIZE = 50
const STARTER = 'MATCH (n) RETURN n LIMIT 25'
/** At most this many edge ends are fetched for one result (the picture draws 500 vertices). */
const MAX_FETCHED_ENDS = 500

/**
 * What an expand that added `nodes` vertices and `edges` relationships to the picture says: nothing
 * when it added vertices; that it added relationships between vertices already shown when it added
 * only those (it said "No new neighbours" alone while two new relationships appeared, newuser8).
 */
export function expandNote(nodes: number, edges: number): string | null {
  if (nodes > 0) return null
  if (edges > 0) return `No new neighbours; ${edges === 1 ? '1 relationship' : `${edges} relationships`} between nodes already shown added.`
  return 'No new neighbours: every neighbour of that node is already shown.'
}

/** A query run from the page, for the history. */
export interface HistoryEntry {
  script: string
  graph: string
  /** When it was run (ms since the epoch). */
  at: number
  /** Rows it answered, or null when it failed or was stopped. */
  rows: number | null
}

/** An engine error as the page shows it: the text, and where it points in the query (1-based). */
export interface QueryError {
  message: string
  code?: string
  position: { line: number; column: number } | null
  /** The query the error is about (the editor may have changed since). */
  script: string
}

export type ResultView = 'table' | 'graph'

interface ExplorerState {
  /** Query (the explorer), Graphs (create, drop, list) or Workflows (graph workflows on a canvas). */
  tab: 'explore' | 'graphs' | 'workflows'
  graph: string
  /**
   * The user picked `graph` (setGraph, kept): it is the one the Query tab opens on while it exists.
   * Until then the tab opens on the first graph with data (openingGraph).
   */
  graphChosen: boolean
  script: string
  history: HistoryEntry[]
  view: ResultView
  /** The graphs to pick from (names, owners and counts: no label definitions). */
  graphs: GraphSummary[]
  /** The chosen graph with its label definitions (graphs.get), for the sidebar and completion. */
  info: GraphInfo | null
  /** Procedure names (dbms.procedures), loaded once. */
  procedures: string[]
  /** The query running now: its id (to stop it) and when it started. */
  running: { queryId: string; startedAt: number; stopping: boolean } | null
  result: CypherRunResult | null
  /** The query the result is of. */
  resultScript: string
  picture: Picture
  selected: { kind: 'node'; id: number } | { kind: 'edge'; key: string } | null
  /** Vertex ids being expanded. */
  expanding: number[]
  error: QueryError | null
  /** A note about the picture (an expansion that found nothing new, a failed one). */
  note: string | null
  setTab(tab: ExplorerState['tab']): void
  setGraph(graph: string): void
  setScript(script: string): void
  setView(view: ResultView): void
  select(selected: ExplorerState['selected']): void
  loadGraphs(): Promise<void>
  loadProcedures(): Promise<void>
  /** Runs the editor's query (or `script`, put into the editor first). */
  run(script?: string): Promise<void>
  stop(): Promise<void>
  /** Adds a vertex's neighbours to the picture. */
  expand(id: number): Promise<void>
  clearHistory(): void
}

const codeOf = (e: unknown): string | undefined => (e as { body?: { code?: string } }).body?.code
const newQueryId = (): string => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `q${Date.now()}${Math.random().toString(36).slice(2)}`)

/** The completion schema of one graph: its labels and every property name. */
export function completionSchema(info: GraphInfo | undefined, procedures: string[]): CompletionSchema {
  if (!info) return { ...EMPTY_SCHEMA, procedures }
  const names = (kind: string) => info.labels.filter((l) => l.kind === kind).map((l) => l.name)
  const properties = [...new Set(info.labels.flatMap((l) => l.def.properties.map((p) => p.name)))].sort()
  return { vertexLabels: names('vertex'), edgeLabels: names('edge'), properties, procedures }
}

// The tab is not kept: the URL says it (#/graph/query, see stores/route), so a link opens the tab it names.
type Kept = Pick<ExplorerState, 'graph' | 'graphChosen' | 'script' | 'history' | 'view'>

/**
 * The graph the Query tab shows of `graphs` (the list, in its order): `current` when the user chose
 * it and it still exists; else the first graph with vertices or edges (a new user's `default` is
 * empty, and a query there answered nothing beside a graph of data: the trial); else `current` if
 * it exists, else the first graph. With no graphs, `current`.
 */
export function openingGraph(graphs: Pick<GraphSummary, 'name' | 'vertexCount' | 'edgeCount'>[], current: string, chosen: boolean): string {
  const exists = graphs.some((g) => g.name === current)
  if (chosen && exists) return current
  const withData = graphs.find((g) => g.vertexCount > 0 || g.edgeCount > 0)
  return withData?.name ?? (exists ? current : (graphs[0]?.name ?? current))
}

function mergeKept(kept: unknown, current: ExplorerState): ExplorerState {
  const k = (kept ?? {}) as Partial<Record<keyof Kept, unknown>>
  const history = Array.isArray(k.history)
    ? (k.history as HistoryEntry[]).filter((h) => typeof h?.script === 'string' && typeof h.graph === 'string' && typeof h.at === 'number').slice(0, HISTORY_SIZE)
    : []
  return {
    ...current,
    graph: typeof k.graph === 'string' ? k.graph : current.graph,
    graphChosen: k.graphChosen === true,
    script: typeof k.script === 'string' ? k.script : current.script,
    view: k.view === 'graph' ? 'graph' : 'table',
    history,
  }
}

/** The Graph page's explorer: the query, its run, result and picture, and the kept history (per user, like the Scripts page's). */
export const useExplorer = create<ExplorerState>()(
  persist(
    (set, get) => {
      /** Runs a helper statement on the chosen graph (an expansion, missing edge ends): short, bounded, not stoppable. */
      const call = async (script: string, parameters?: Record<string, unknown>): Promise<CypherRunResult> =>
        send('graphs.cypher', { graph: get().graph, script, ...(parameters ? { parameters } : {}) })

      /** The picture of `result`, with the vertices its edges end at fetched when the result left them out. */
      const completePicture = async (base: Picture, add: Picture): Promise<Picture> => {
        let picture = mergePictures(base, add)
        const missing = missingEndpoints(picture).slice(0, MAX_FETCHED_ENDS)
        if (missing.length) picture = mergePictures(picture, pictureOf((await call(VERTICES_QUERY, { ids: missing })).rows))
        return picture
      }

      /** Reads a graph's label definitions; an answer for a graph no longer chosen is dropped, a failure leaves completion without them. */
      const loadInfo = async (graph: string) => {
        try {
          const info = await send('graphs.get', { graph })
          if (get().graph === graph) set({ info })
        } catch {
          if (get().graph === graph) set({ info: null })
        }
      }

      const remember = (entry: HistoryEntry) => {
        const others = get().history.filter((h) => !(h.script === entry.script && h.graph === entry.graph))
        set({ history: [entry, ...others].slice(0, HISTORY_SIZE) })
      }

      return {
        tab: 'explore',
        graph: 'default',
        graphChosen: false,
        script: STARTER,
        history: [],
        view: 'table',
        graphs: [],
        info: null,
        procedures: [],
        running: null,
        result: null,
        resultScript: '',
        picture: { nodes: [], edges: [] },
        selected: null,
        expanding: [],
        error: null,
        note: null,

        setTab: (tab) => set({ tab }),
        setGraph: (graph) => {
          set({ graph, graphChosen: true })
          void loadInfo(graph)
        },
        setScript: (script) => set({ script }),
        setView: (view) => set({ view }),
        select: (selected) => set({ selected }),

        async loadGraphs() {
          try {
            const graphs = await send('graphs.list', {})
            set({ graphs })
            const graph = openingGraph(graphs, get().graph, get().graphChosen)
            if (graph !== get().graph) set({ graph })
            if (graphs.some((g) => g.name === get().graph)) await loadInfo(get().graph)
          } catch (e) {
            set({ note: `Could not list the graphs: ${messageOf(e)}` })
          }
        },

        async loadProcedures() {
          if (get().procedures.length) return
          try {
            const r = await send('graphs.cypher', { graph: get().graph, script: 'CALL dbms.procedures() YIELD name RETURN name' })
            set({ procedures: r.rows.map((row) => String(row[0])) })
          } catch {
            // completion goes without procedure names
          }
        },

        async run(script) {
          if (get().running) return
          if (script !== undefined) set({ script })
          const text = get().script
          if (!text.trim()) {
            set({ error: { message: 'The query is empty.', position: null, script: text } })
            return
          }
          const queryId = newQueryId()
          const graph = get().graph
          set({ running: { queryId, startedAt: Date.now(), stopping: false }, error: null, note: null })
          try {
            const result = await send('graphs.cypher', { graph, script: text, queryId })
            set({ result, resultScript: text, selected: null, picture: { nodes: [], edges: [] } })
            remember({ script: text, graph, at: Date.now(), rows: result.rows.length })
            const picture = await completePicture({ nodes: [], edges: [] }, pictureOf(result.rows)).catch(() => pictureOf(result.rows))
            if (get().result === result) set({ picture })
            // a query that wrote may have changed labels and counts
            if (result.summary || /\bCALL\s+db\.(create|delete|alter)/i.test(text)) void get().loadGraphs()
          } catch (e) {
            const message = messageOf(e)
            // the error takes the result's place: an old table under it would read as this query's
            set({ error: { message, code: codeOf(e), position: errorPosition(message), script: text }, result: null, picture: { nodes: [], edges: [] }, selected: null })
            remember({ script: text, graph, at: Date.now(), rows: null })
          } finally {
            set({ running: null })
          }
        },

        async stop() {
          const running = get().running
          if (!running || running.stopping) return
          set({ running: { ...running, stopping: true } })
          try {
            await send('graphs.cypherCancel', { queryId: running.queryId })
          } catch (e) {
            // query_not_found: it ended meanwhile, and its answer says how
            if (codeOf(e) !== 'query_not_found') set({ note: `Could not stop the query: ${messageOf(e)}` })
          }
        },

        async expand(id) {
          if (get().expanding.includes(id)) return
          set({ expanding: [...get().expanding, id], note: null })
          try {
            const before = get().picture
            const found = pictureOf((await call(NEIGHBOURS_QUERY, { id })).rows)
            const picture = await completePicture(get().picture, found)
            set({ picture, note: expandNote(picture.nodes.length - before.nodes.length, picture.edges.length - before.edges.length) })
          } catch (e) {
            set({ note: `Could not expand the node: ${messageOf(e)}` })
          } finally {
            set({ expanding: get().expanding.filter((x) => x !== id) })
          }
        },

        clearHistory: () => set({ history: [] }),
      }
    },
    {
      name: 'jobdesk.graph-explorer',
      version: 1,
      storage: createJSONStorage(() => userStorage),
      skipHydration: true, // read once the user is known (user-scope)
      partialize: (s): Kept => ({ graph: s.graph, graphChosen: s.graphChosen, script: s.script, history: s.history, view: s.view }),
      merge: mergeKept,
    },
  ),
)

whenSignedIn(() => void useExplorer.persist.rehydrate())
whenSignedOut(() => useExplorer.setState(useExplorer.getInitialState(), true))
