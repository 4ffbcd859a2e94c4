// The `data` of TuGraph's /cypher answer, as JSON text (reference/tugraph.md §1.3): built in the
// worker so a large result never costs the main thread a JSON.stringify.
//   jsonFormat true:  {"result": [{<column>: <value>, …}, …]}, keys sorted (nlohmann maps)
//   jsonFormat false: {"header": [{"name", "type"}], "result": [[…]], "size": n, "elapsed": s},
//                     vertex, edge, path, list and map cells as JSON strings
import type { CypherResult } from './run'

/** TuGraph's quirk: a string cell whose text is a JSON array or object comes out as that JSON (db.subgraph, db.getVertexSchema). */
function jsonStringCell(v: unknown): unknown {
  if (typeof v !== 'string') return v
  const t = v.trimStart()
  if (!t.startsWith('[') && !t.startsWith('{')) return v
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

/** The answer's `data` as JSON text. */
export function tugraphData(r: CypherResult, jsonFormat: boolean): string {
  if (jsonFormat) {
    const order = r.header.map((h, i) => [h.name, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const rows = r.rows.map((row) => {
      const o: Record<string, unknown> = Object.create(null) // a column named __proto__ is a key
      for (const [name, i] of order) o[name] = jsonStringCell(row[i])
      return o
    })
    return JSON.stringify({ result: rows })
  }
  const result = r.rows.map((row) => row.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v)))
  return JSON.stringify({ header: r.header, result, size: r.rows.length, elapsed: r.elapsed })
}
