// What an import's Check knows of the vertices edge lines name: the graph's own (a primary-key seek
// each) and the keys of the vertex lines the check parsed, but only for a label whose vertex files
// of this import were all read whole: a label with a file read in part (or not at all) may have
// the vertex further on, and its edges' endpoints are not judged.
import type { FilePlan } from '../import/mapping'
import type { GraphDb } from '../store/graph-db'
import type { Stored } from '../store/values'

/**
 * Most vertex keys one check keeps (over all its files): a label past it is not judged. The keys
 * come from the lines a check parses (SAMPLE_TOTAL_BYTES, 8 MiB, in all) of files read whole; this
 * caps them at about 40 MB (a Set entry with its key) whatever the lines' length.
 */
export const MAX_ENDPOINT_KEYS = 1_000_000

/** The vertex keys one check has seen, by label; see the file's head. */
export class SampleEndpoints {
  private readonly keys = new Map<string, Set<Stored>>()
  /** Vertex files of each label in the import, and how many of them were read whole so far. */
  private readonly files = new Map<string, number>()
  private readonly whole = new Map<string, number>()
  private kept = 0
  private readonly inGraph: Set<string>

  constructor(
    private readonly g: GraphDb,
    plans: readonly FilePlan[],
  ) {
    for (const p of plans) if (p.kind === 'vertex') this.files.set(p.label.name, (this.files.get(p.label.name) ?? 0) + 1)
    this.inGraph = new Set(g.labels().filter((l) => l.kind === 'vertex' && l.count > 0).map((l) => l.name))
  }

  /** The primary keys of a vertex file's parsed lines; `whole` when they are all of the file's lines. */
  addVertexFile(label: string, keys: Iterable<Stored>, whole: boolean): void {
    if (!whole) return // the label is not judged: its file was not counted whole
    const set = this.keys.get(label) ?? new Set<Stored>()
    this.keys.set(label, set)
    for (const k of keys) {
      if (this.kept >= MAX_ENDPOINT_KEYS) return
      if (!set.has(k)) {
        set.add(k)
        this.kept++
      }
    }
    if (this.kept < MAX_ENDPOINT_KEYS) this.whole.set(label, (this.whole.get(label) ?? 0) + 1)
  }

  /**
   * Whether a vertex of `label` with primary key `key` is in the graph or in the import's vertex
   * lines: false only when the check knows it is in neither (the import then fails the edge with
   * "Missing src/dst uid"), true when it is or when the check cannot tell.
   */
  mayExist(label: string, key: Stored): boolean {
    const files = this.files.get(label) ?? 0
    if ((this.whole.get(label) ?? 0) < files) return true // a vertex file of the label was not read whole
    if (files === 0 && !this.inGraph.has(label)) return true // nowhere at all: endpointProblems says so once, not per line
    if (this.keys.get(label)?.has(key)) return true
    return this.inGraph.has(label) && key !== null && this.g.vidByPrimary(label, key) !== undefined
  }
}
