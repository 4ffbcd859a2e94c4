// Snapshots kept between runs in a worker: the same graph, edge label and weight reuse the CSR
// (and its derived views) until the graph changes (graphVersion) or room is needed. A budget in
// bytes keeps at most a few large snapshots, and none larger than the budget.
import { SNAPSHOT_CACHE_BYTES } from './limits'
import type { Snapshot } from './snapshot'

interface Entry {
  snapshot: Snapshot
  version: string
  usedAt: number
}

export class SnapshotCache {
  private readonly entries = new Map<string, Entry>()
  private clock = 0

  constructor(private readonly budget = SNAPSHOT_CACHE_BYTES) {}

  /** The cached snapshot for `key` if its version still matches; a stale one is dropped. */
  get(key: string, version: string): Snapshot | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (e.version !== version) {
      this.entries.delete(key)
      return undefined
    }
    e.usedAt = ++this.clock
    return e.snapshot
  }

  put(key: string, version: string, snapshot: Snapshot): void {
    this.entries.set(key, { snapshot, version, usedAt: ++this.clock })
    this.trim()
  }

  /** Drops every snapshot of a graph (it was dropped or rewritten). */
  dropGraph(graph: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`graph\0${graph}\0`)) this.entries.delete(key)
  }

  /** Drops the least recently used snapshots until the rest fit the budget (the last one too when it alone is larger). */
  trim(): void {
    const total = () => [...this.entries.values()].reduce((b, e) => b + e.snapshot.bytes(), 0)
    while (this.entries.size > 0 && total() > this.budget) {
      const oldest = [...this.entries.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt)[0]
      this.entries.delete(oldest[0])
    }
  }

  get size(): number {
    return this.entries.size
  }
}

export const graphKey = (graph: string, edgeLabel?: string, weight?: string): string => `graph\0${graph}\0${edgeLabel ?? ''}\0${weight ?? ''}`
