// What the Graph page makes of a Cypher answer (graphs.cypher: TuGraph's encoding, reference/
// tugraph.md §4.2): the vertices and edges for the picture, table cells as text, CSV, the error's
// position, and the queries the page writes for the user (a label's first rows, a node's neighbours).
import { csvField } from '../../../../shared/csv'
import { cutText } from '../../../../shared/hidden-chars'
import type { CypherRunResult } from '../../../../shared/graph-api'

/** A vertex as TuGraph encodes it: `{identity, label, properties}`. */
export interface VertexCell {
  identity: number
  label: string
  properties?: Record<string, unknown>
}

/** An edge as TuGraph encodes it: `{dst, forward, identity, label, label_id, properties?, src, temporal_id}`. */
export interface EdgeCell {
  src: number
  dst: number
  identity: number
  label: string
  label_id?: number
  temporal_id?: number
  forward?: boolean
  properties?: Record<string, unknown>
}

export interface PictureNode {
  id: number
  label: string
  properties: Record<string, unknown>
}

export interface PictureEdge {
  /** Unique within the graph: TuGraph's edge identity is only unique per (src, dst, label). */
  key: string
  src: number
  dst: number
  label: string
  properties: Record<string, unknown>
}

/** The vertices and edges of a result, each once, in the order first met. */
export interface Picture {
  nodes: PictureNode[]
  edges: PictureEdge[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const VERTEX_KEYS = new Set(['identity', 'label', 'properties'])

/** A vertex cell (exactly TuGraph's vertex keys; a user's map with more keys is a map). */
export function isVertex(v: unknown): v is VertexCell {
  return isObject(v) && typeof v.identity === 'number' && typeof v.label === 'string' && Object.keys(v).every((k) => VERTEX_KEYS.has(k)) && !('src' in v)
}

/** An edge cell: a numeric src and dst, identity and label, and TuGraph's label_id. */
export function isEdge(v: unknown): v is EdgeCell {
  return isObject(v) && typeof v.src === 'number' && typeof v.dst === 'number' && typeof v.identity === 'number' && typeof v.label === 'string' && 'label_id' in v
}

export const edgeKey = (e: EdgeCell): string => `${e.src}>${e.dst}:${e.label}#${e.identity}`

/** Every vertex and edge in the rows, looking into paths, lists and maps; each once. */
export function pictureOf(rows: readonly unknown[][]): Picture {
  const nodes = new Map<number, PictureNode>()
  const edges = new Map<string, PictureEdge>()
  const visit = (v: unknown, depth: number): void => {
    if (depth > 32) return
    if (isVertex(v)) {
      if (!nodes.has(v.identity)) nodes.set(v.identity, { id: v.identity, label: v.label, properties: v.properties ?? {} })
    } else if (isEdge(v)) {
      const key = edgeKey(v)
      if (!edges.has(key)) edges.set(key, { key, src: v.src, dst: v.dst, label: v.label, properties: v.properties ?? {} })
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1)
    } else if (isObject(v)) {
      for (const x of Object.values(v)) visit(x, depth + 1)
    }
  }
  for (const row of rows) for (const cell of row) visit(cell, 0)
  return { nodes: [...nodes.values()], edges: [...edges.values()] }
}

/** `a` with what `b` adds (a vertex or edge already in `a` stays as it is). */
export function mergePictures(a: Picture, b: Picture): Picture {
  const ids = new Set(a.nodes.map((n) => n.id))
  const keys = new Set(a.edges.map((e) => e.key))
  return { nodes: [...a.nodes, ...b.nodes.filter((n) => !ids.has(n.id))], edges: [...a.edges, ...b.edges.filter((e) => !keys.has(e.key))] }
}

/** Vertex ids that edges of the picture end at but that it does not hold (fetched so every edge can be drawn). */
export function missingEndpoints(p: Picture): number[] {
  const ids = new Set(p.nodes.map((n) => n.id))
  const missing = new Set<number>()
  for (const e of p.edges) for (const id of [e.src, e.dst]) if (!ids.has(id)) missing.add(id)
  return [...missing]
}

/** The text a node shows: its name-like property, else its primary-looking one, else its id. */
export function caption(n: PictureNode): string {
  for (const key of ['name', 'title', 'caption', 'id', 'uid', 'key']) {
    const v = n.properties[key]
    if (v !== undefined && v !== null && typeof v !== 'object') return String(v)
  }
  return `#${n.id}`
}

/** A cell as the table shows it: NULL apart (null), objects and lists as JSON. */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** Significant digits a fraction is shown with (doubles' sums print as 0.030000000000000006). */
const SHOWN_DIGITS = 6

/**
 * A number as a result table shows it: integers whole, fractions rounded to 6 significant digits
 * (never fewer than the integer part has: 1234567.8 → 1234568), so float noise does not show
 * (0.030000000000000006 → 0.03). The exact value stays for tooltips and CSV (cellText).
 */
export function shownNumber(n: number): string {
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n)
  const whole = Math.floor(Math.log10(Math.abs(n))) + 1
  return String(Number(n.toPrecision(Math.min(21, Math.max(SHOWN_DIGITS, whole)))))
}

/** Properties a vertex or edge shows in a table cell before "…", and the characters of each value. */
const SHOWN_PROPERTIES = 3
const SHOWN_VALUE_CHARS = 24

/** A vertex label's primary property, when the page knows the graph's schema. */
export type PrimaryOf = (label: string) => string | undefined

/**
 * `{id: 1, name: "Ann", …}`: the first SHOWN_PROPERTIES properties, the `primary` one first, values cut at
 * SHOWN_VALUE_CHARS; `cut` when that left anything out (a value's end or a property).
 */
function shownProperties(properties: Record<string, unknown> | undefined, primary?: string): { text: string; cut: boolean } {
  const entries = Object.entries(properties ?? {})
  const at = primary === undefined ? -1 : entries.findIndex(([k]) => k === primary)
  if (at > 0) entries.unshift(...entries.splice(at, 1))
  if (!entries.length) return { text: '', cut: false }
  let cut = entries.length > SHOWN_PROPERTIES
  const value = (x: unknown) => {
    const text = typeof x === 'string' ? JSON.stringify(x) : (cellText(x) ?? 'null')
    if (text.length <= SHOWN_VALUE_CHARS) return text
    cut = true
    return `${cutText(text, SHOWN_VALUE_CHARS - 1)}…` // whole characters: no half of an emoji
  }
  const shown = entries.slice(0, SHOWN_PROPERTIES).map(([k, x]) => `${k}: ${value(x)}`)
  return { text: ` {${shown.join(', ')}${entries.length > SHOWN_PROPERTIES ? ', …' : ''}}`, cut }
}

/** A vertex, edge or list of them as graphItemText writes it, and whether that left part of a value or a property out. */
function graphItem(v: unknown, primaryOf?: PrimaryOf): { text: string; cut: boolean } | undefined {
  if (isVertex(v)) {
    const p = shownProperties(v.properties, primaryOf?.(v.label))
    return { text: `(:${v.label}${p.text})`, cut: p.cut }
  }
  if (isEdge(v)) {
    const p = shownProperties(v.properties)
    return { text: `(#${v.src})-[:${v.label}${p.text}]->(#${v.dst})`, cut: p.cut }
  }
  if (Array.isArray(v) && v.length > 0 && v.every((x) => isVertex(x) || isEdge(x))) {
    const items = v.map((x) => graphItem(x, primaryOf)!)
    return { text: items.map((x) => x.text).join(', '), cut: items.some((x) => x.cut) }
  }
  return undefined
}

/**
 * A vertex or edge as Cypher writes it, as TuGraph's and Neo4j's browsers show them in a table:
 * `(:person {id: 1, name: "Ann", …})` (its primary property first, by `primaryOf`),
 * `(#1)-[:knows {since: 2020}]->(#2)`; a list of them (a path) the same, joined; undefined for any
 * other value. JSON of a vertex was cut off by the cell's width.
 */
export function graphItemText(v: unknown, primaryOf?: PrimaryOf): string | undefined {
  return graphItem(v, primaryOf)?.text
}

/** Characters of a plain value (text, a list or map as JSON) a result table cell shows before "…" (SHOWN_CELL_CHARS − 1 and "…"): some 3 lines of a Query column. */
export const SHOWN_CELL_CHARS = 160

/** A cell as shownCell gives it: `text` (null for NULL), the `exact` value when `text` is not all of it, `cut` when `text` leaves part out. */
export interface ShownCell {
  text: string | null
  exact?: string
  cut?: true
  /** A short scalar (a number, a boolean, a string of at most WHOLE_CHARS characters and no space): shown on one line, never broken mid-value. */
  whole?: true
}

/** The longest string without spaces a result cell keeps on one line (an id, a date, a code); a longer one may wrap. */
export const WHOLE_CHARS = 24

/**
 * A cell as a result table shows it: `text` (numbers rounded by shownNumber; vertices, edges and
 * paths as graphItemText; other values as cellText, their first `chars` − 1 characters and "…" when
 * longer), and the `exact` value when the text is not all of it (a rounded number as it is, a vertex,
 * edge, path, list or map as indented JSON, a string whole); `cut` (only then present) when the text
 * leaves a property or the end of a value out, so the table lets the user open the whole value
 * (CellValue). `chars` (default SHOWN_CELL_CHARS) suits the column's width.
 */
export function shownCell(v: unknown, primaryOf?: PrimaryOf, chars = SHOWN_CELL_CHARS): ShownCell {
  const item = graphItem(v, primaryOf)
  if (item !== undefined) return { text: item.text, exact: JSON.stringify(v, null, 2), ...(item.cut ? { cut: true as const } : {}) }
  if (typeof v === 'number') {
    const text = shownNumber(v)
    return text === String(v) ? { text, whole: true } : { text, exact: String(v), whole: true }
  }
  const text = cellText(v)
  if (text === null || text.length <= chars) {
    const short = typeof v === 'boolean' || (typeof v === 'string' && text !== null && text.length <= WHOLE_CHARS && !/\s/.test(text))
    return short ? { text, whole: true } : { text }
  }
  return { text: `${cutText(text, chars - 1)}…`, exact: typeof v === 'object' ? JSON.stringify(v, null, 2) : text, cut: true } // whole characters: no half of an emoji
}

/** Header types of TuGraph's jsonFormat false answer, in words. */
export const HEADER_TYPES: Record<number, string> = { 0: 'value', 1: 'node', 2: 'relationship', 4: 'path' }

const field = (v: unknown): string => csvField(v, (x) => cellText(x) ?? '', { separator: ',' })

/** The result as RFC 4180 CSV (CRLF line ends): the column names, then the rows; NULL is empty, objects JSON; fields written by shared/csv.ts csvField (formulas neutralised, list separators quoted). */
export function resultCsv(result: Pick<CypherRunResult, 'header' | 'rows'>): string {
  return [result.header.map((h) => field(h.name)), ...result.rows.map((r) => r.map(field))].map((line) => line.join(',')).join('\r\n') + '\r\n'
}

/** Where an engine error points in the query: "… (line 2, column 10)" or "… at line 2, column 10." (1-based). */
export function errorPosition(message: string): { line: number; column: number } | null {
  const m = /line (\d+), column (\d+)\)?\.?\s*$/.exec(message)
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null
}

/** The query's line the error points at, with a caret under its column (for the error box). */
export function errorExcerpt(script: string, at: { line: number; column: number }): string | null {
  const line = script.split('\n')[at.line - 1]
  if (line === undefined) return null
  const column = Math.min(Math.max(at.column, 1), line.length + 1)
  return `${line}\n${' '.repeat(column - 1)}^`
}

/** A name as Cypher takes it: plain when it is an identifier, else in backquotes. */
export const cypherName = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``)

/** The query a click on a label runs: its first 25 vertices, or 25 of its edges with their ends. */
export function labelQuery(kind: 'vertex' | 'edge', label: string): string {
  return kind === 'vertex' ? `MATCH (n:${cypherName(label)}) RETURN n LIMIT 25` : `MATCH p = ()-[r:${cypherName(label)}]->() RETURN p LIMIT 25`
}

/** How many neighbours one expansion adds at most (a hub would flood the picture). */
export const EXPAND_LIMIT = 100

/** A node's neighbours, both directions ($id is the vertex id). */
export const NEIGHBOURS_QUERY = `MATCH (n)-[r]-(m) WHERE id(n) = $id RETURN n, r, m LIMIT ${EXPAND_LIMIT}`

/** Vertices by id ($ids): the ends of edges a result returned without their vertices. */
export const VERTICES_QUERY = 'MATCH (n) WHERE id(n) IN $ids RETURN n'

/** Colours for labels (fills readable under white text in the light and the dark theme). */
const PALETTE = ['#4c8eda', '#d9534f', '#3fa66b', '#c9822b', '#8e5cc7', '#1f9ba8', '#c2578a', '#6b8e23', '#7a7f8c', '#b5651d']

/** A label's colour: the same label gets the same colour in every result (a hash of its name). */
export function labelColour(label: string): string {
  let h = 0
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) | 0
  return PALETTE[Math.abs(h) % PALETTE.length]
}
