// Graphs as the attack and bound tests set them up over HTTP: one an admin makes for a plain user who
// owns it (graphs.create `owner`), and the widest schema its owner may give it (atk16, MAX_SCHEMA_BYTES):
// vertex labels of 1,024 properties with 256-byte names, ~300 KB of definition each. Shared by the
// wide-schema tests, the disk-reserve tests and bench/wide-schema.ts; no vitest here, so that the bench
// may load it.
import { MAX_SCHEMA_BYTES } from '../../electron/graph/store/names'

/** Property `i`'s name: 256 bytes (`p0000yyy…`). */
export const wideField = (i: number): string => `p${String(i).padStart(4, '0')}${'y'.repeat(251)}`

/** Vertex label `n`: a 205-byte name, 1,024 STRING properties of wideField names, the first its primary. */
export const wideLabel = (n: number) => ({
  label: `L${String(n).padStart(4, '0')}${'x'.repeat(200)}`,
  type: 'VERTEX',
  primary: wideField(0),
  properties: Array.from({ length: 1024 }, (_, i) => ({ name: wideField(i), type: 'STRING', optional: i > 0 })),
})

/** Labels `from` … `from + count - 1` (wideLabel). */
export const wideLabels = (from: number, count: number) => Array.from({ length: count }, (_, i) => wideLabel(from + i))

/** One wide label's definition as JSON, in bytes (~300 KB). */
export const WIDE_LABEL_BYTES = JSON.stringify(wideLabel(0)).length

/** Wide labels that together fit under MAX_SCHEMA_BYTES (13). */
export const WIDE_LABELS_FIT = Math.floor(MAX_SCHEMA_BYTES / WIDE_LABEL_BYTES)

/**
 * Creates graph `graph` owned by `owner` (graphs.create `owner`) on the app at `admin.url` with its
 * admin's bearer `admin.token`, over the native API. Throws with the answer unless it is 201.
 */
export async function createOwnedGraph(admin: { url: string; token: string }, graph: string, owner: string): Promise<void> {
  const res = await fetch(`${admin.url}/api/v1/graphs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ graph, owner }),
  })
  if (res.status !== 201) throw new Error(`graphs.create ${graph}: ${res.status} ${await res.text()}`)
}

/**
 * POST `url`/api/v1/graphs/`graph`/schema of `labels` with bearer `token`; answers its status and the
 * answer's length in bytes (read to its end).
 */
export async function postSchema(url: string, token: string, graph: string, labels: unknown[]): Promise<{ status: number; bytes: number }> {
  const res = await fetch(`${url}/api/v1/graphs/${graph}/schema`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ schema: labels }),
  })
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength }
}
