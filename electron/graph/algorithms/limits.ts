// What algorithm runs may hold, in one place: the edges and vertex ids of one run's snapshot, how many
// runs hold memory at once (for everyone and for one user), the worker's heap and the snapshot cache.
// A snapshot lives in typed arrays, outside V8's heap limit, so the only bound on a run's memory is
// the count of what it reads: a file's lines or a graph's rows are counted as they are read and the
// run fails as soon as one passes its bound, before the memory is taken (#9 §1: a 256 MiB upload of
// `1,2` lines took the process 1 GB, ~14 bytes an edge, and a 5 GiB one would ask ~18 GB).
import { formatCount } from '../../../shared/number-format'
import { graphError } from '../errors'

const MiB = 1024 * 1024

/** The memory one run's snapshot may take while it is built and its derived views are made. */
export const RUN_MEMORY_BUDGET_BYTES = 512 * MiB

/**
 * Bytes an edge takes at the peak of a run (measured: 13.4 after a file's snapshot is built): the
 * edge list's src and dst (8, twice that while it doubles, then the old copy beside the new: 24 with
 * the CSR's targets), plus a symmetric view made from it (two directions: 24 more while built).
 */
export const PEAK_BYTES_PER_EDGE = 48

/** Bytes a distinct vertex id takes (measured 75 on V8's heap: the id's text, its Map entry and arrays; 4 in offsets). */
export const BYTES_PER_VERTEX = 80

/** The bounds one run's snapshot is held to (options lower them in tests). */
export interface RunLimits {
  /** Edges read (a file's lines, a graph's edge rows), at most. */
  edges: number
  /** Distinct vertex ids (a file's) or vertices (a graph's), at most. */
  vertices: number
}

/**
 * Three quarters of the budget for edges (2^23 = 8,388,608 edges × 48 B = 384 MiB), a quarter for
 * vertex ids (1,677,721 × 80 B = 128 MiB). V8's Map holds at most 2^24 entries, so the id bound also
 * keeps a file from reaching V8's own "Map maximum size exceeded" after gigabytes.
 */
export const RUN_LIMITS: RunLimits = {
  edges: Math.floor((RUN_MEMORY_BUDGET_BYTES * 3) / 4 / PEAK_BYTES_PER_EDGE),
  vertices: Math.floor(RUN_MEMORY_BUDGET_BYTES / 4 / BYTES_PER_VERTEX),
}

/**
 * Runs holding a snapshot at once, for all users together: with the cache's snapshots of the idle
 * worker, the algorithms never hold more than about 3 × 512 MiB. Further runs wait their turn (fairly
 * by user, electron/fairness/fair-line.ts), their jobs shown running with a log line that they wait.
 */
export const RUNS_AT_ONCE = 2

/** Runs of one user at once: a second user's run never waits behind a first user's queue. */
export const RUNS_AT_ONCE_PER_USER = 1

/**
 * The algorithm worker's V8 heap (MB): ids, Maps and result rows live there (typed arrays do not);
 * the vertex bound's 128 MiB, the rows of a 10,000-row page and the cached snapshots' ids fit well within it.
 */
export const WORKER_MAX_OLD_GENERATION_MB = 1536

/** The longest line of an edge file (characters): a file without line breaks would otherwise be held whole as one string. */
export const MAX_EDGE_LINE_CHARS = 1024 * 1024

/** What the worker's snapshot cache keeps between runs, least recently used out. */
export const SNAPSHOT_CACHE_BYTES = 512 * MiB

/**
 * Counts a snapshot's edges and vertex ids as they are read; throws algorithm_input_too_large
 * (413, field `field`) naming the input (`what`, e.g. `edges.csv`), where it got (`at()`, e.g.
 * `line 8388609`) and the bound, as soon as a count passes its bound.
 */
export class InputBound {
  private edgeCount = 0
  private vertexCount = 0

  constructor(
    private readonly limits: RunLimits,
    private readonly what: string,
    private readonly field: string,
    private readonly at: () => string,
  ) {}

  /** One more edge. */
  edge(): void {
    if (++this.edgeCount > this.limits.edges) this.refuse(this.limits.edges, 'edges')
  }

  /** One more distinct vertex (id). */
  vertex(): void {
    if (++this.vertexCount > this.limits.vertices) this.refuse(this.limits.vertices, 'distinct vertex ids')
  }

  private refuse(bound: number, kind: string): never {
    throw graphError(
      'algorithm_input_too_large',
      `${this.what}, ${this.at()}: past the limit of ${formatCount(bound)} ${kind} one algorithm run may hold (it keeps a run's memory within ${RUN_MEMORY_BUDGET_BYTES / MiB} MiB); run it on a smaller input`,
      { field: this.field },
    )
  }
}
