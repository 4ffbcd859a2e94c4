// Primary key → vid of a vertex label, for the endpoints of edges being imported. An edge file
// names its endpoints by primary key; seeking the primary index once per endpoint costs a call into
// SQLite each (two per edge). Instead the label's keys are read once into memory (a hash table of
// typed arrays for numeric keys, a Map otherwise) when they fit the budget; a bigger label is
// resolved a package at a time, distinct keys in sorted order, in a few statements (json_each).
// Either way a key not found is looked up once more in the index (a vertex added since), and the
// table is read again when another connection has written to the graph (PRAGMA data_version).
import type { GraphConnection } from '../store/graph-file'
import { tableName, type VertexTable } from '../store/label-tables'
import { compareStored } from '../store/row-order'
import type { Stored } from '../store/values'

/** How many vertices a label may have for its keys to be held in memory (numeric keys: ~24 bytes each). */
export const MEMORY_KEYS = { numeric: 4_000_000, other: 1_000_000 }
/** Keys per json_each statement when resolving in SQLite. */
const SEEK_CHUNK = 65_536
/** Rows per statement when reading a label's keys into memory. */
const LOAD_CHUNK = 100_000
const NUMERIC_TYPES = new Set(['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE'])

interface KeyMap {
  /** The vid of `key`, or -1. */
  get(key: Stored): number
  set(key: Stored, vid: number): void
}

/** Open addressing over typed arrays: number keys (no object per entry), vids below 2^31. */
class NumberKeyMap implements KeyMap {
  private readonly keys: Float64Array
  private readonly vids: Int32Array
  private readonly mask: number
  private size = 0
  private readonly bits = new Float64Array(1)
  private readonly words = new Uint32Array(this.bits.buffer)

  constructor(capacityFor: number) {
    let slots = 1024
    while (slots < capacityFor * 2) slots *= 2
    this.keys = new Float64Array(slots)
    this.vids = new Int32Array(slots).fill(-1)
    this.mask = slots - 1
  }

  /** Room for one more entry at a load of at most 3/4. */
  get hasRoom(): boolean {
    return this.size < (this.mask + 1) * 0.75
  }

  private slot(key: number): number {
    this.bits[0] = key === 0 ? 0 : key // -0 and 0 are one key
    const h = Math.imul(this.words[0] ^ Math.imul(this.words[1], 0x9e3779b1), 0x85ebca6b)
    return (h ^ (h >>> 15)) & this.mask
  }

  get(key: Stored): number {
    if (typeof key !== 'number') return -1
    for (let s = this.slot(key); ; s = (s + 1) & this.mask) {
      const vid = this.vids[s]
      if (vid === -1 || this.keys[s] === key) return vid
    }
  }

  set(key: Stored, vid: number): void {
    if (typeof key !== 'number' || vid > 0x7fffffff || !this.hasRoom) return
    let s = this.slot(key)
    while (this.vids[s] !== -1 && this.keys[s] !== key) s = (s + 1) & this.mask
    if (this.vids[s] === -1) this.size++
    this.keys[s] = key
    this.vids[s] = vid
  }
}

class ObjectKeyMap implements KeyMap {
  private readonly map = new Map<Stored, number>()
  get = (key: Stored): number => this.map.get(key) ?? -1
  set = (key: Stored, vid: number): void => void this.map.set(key, vid)
}

/** Resolves primary keys of one vertex label to vids, inside the import's transactions. */
export class VidIndex {
  private map: KeyMap | null = null
  private dataVersion = -1
  private readonly seek

  constructor(
    private readonly db: GraphConnection,
    private readonly table: VertexTable,
    private readonly budget = MEMORY_KEYS,
  ) {
    const t = tableName(table.label)
    const p = `p${table.primaryIndex}`
    this.seek = db.prepare<[string], string>(`SELECT json_group_array(ifnull(v.vid, -1)) FROM json_each(?) j LEFT JOIN ${t} v ON v.${p} = j.value`).pluck()
  }

  /** out[i] = the vid of keys[i], or -1 when no vertex of the label has that key. */
  resolve(keys: ArrayLike<Stored>, out: Float64Array): void {
    const version = this.db.pragma('data_version', { simple: true }) as number
    if (version !== this.dataVersion) {
      this.dataVersion = version
      this.map = this.load() // someone else wrote to the graph since: read the keys again
    }
    const map = this.map
    if (map) {
      for (let i = 0; i < keys.length; i++) out[i] = map.get(keys[i])
    } else {
      this.resolveInSqlite(keys, out)
    }
    for (let i = 0; i < keys.length; i++) {
      if (out[i] !== -1) continue
      const vid = keys[i] === null ? undefined : this.table.byPrimary.get(keys[i])?.vid // added since the keys were read?
      if (vid === undefined) continue
      out[i] = vid
      map?.set(keys[i], vid)
    }
  }

  /** The label's keys in memory, or null when there are more than the budget allows. */
  private load(): KeyMap | null {
    const t = tableName(this.table.label)
    const p = `p${this.table.primaryIndex}`
    const count = this.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number
    const type = this.table.label.def.properties[this.table.primaryIndex].type
    const unsafe =
      type === 'INT64' && (this.db.prepare(`SELECT 1 FROM ${t} WHERE ${p} > 9007199254740991 OR ${p} < -9007199254740991 LIMIT 1`).pluck().get() as number | undefined) !== undefined
    const numeric = NUMERIC_TYPES.has(type) && !unsafe
    if (count > (numeric ? this.budget.numeric : this.budget.other)) return null
    const map: KeyMap = numeric ? new NumberKeyMap(count) : new ObjectKeyMap()
    if (unsafe || type === 'FLOAT' || type === 'DOUBLE') {
      // Exact values one row at a time: JSON would round integers beyond 2^53 and may shorten doubles.
      const rows = this.db.prepare(`SELECT ${p}, vid FROM ${t}`).raw().safeIntegers(unsafe)
      for (const [key, vid] of rows.iterate() as IterableIterator<[Stored, number | bigint]>) {
        map.set(typeof key === 'bigint' && Number.isSafeInteger(Number(key)) ? Number(key) : key, Number(vid))
      }
      return map
    }
    // Integers within 2^53 and text: a chunk of the table as two JSON arrays per statement.
    const chunk = this.db.prepare<[number], [string, string, number | null]>(
      `SELECT json_group_array(${p}), json_group_array(vid), max(vid) FROM (SELECT ${p}, vid FROM ${t} WHERE vid > ? ORDER BY vid LIMIT ${LOAD_CHUNK})`,
    )
    for (let after = -1; ; ) {
      const [keys, vids, last] = chunk.raw().get(after)!
      if (last === null) return map
      const k = JSON.parse(keys) as Stored[]
      const v = JSON.parse(vids) as number[]
      for (let i = 0; i < k.length; i++) map.set(k[i], v[i])
      after = last
    }
  }

  /**
   * Distinct keys, sorted (neighbouring seeks share pages), looked up SEEK_CHUNK at a time. Only
   * text and integer keys: their JSON is exact. Others stay -1 for resolve's own seek.
   */
  private resolveInSqlite(keys: ArrayLike<Stored>, out: Float64Array): void {
    const distinct = new Map<Stored, number>()
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]
      if (typeof k === 'string' || typeof k === 'bigint' || Number.isSafeInteger(k)) distinct.set(k, -1)
    }
    const sorted = [...distinct.keys()].sort(compareStored)
    for (let from = 0; from < sorted.length; from += SEEK_CHUNK) {
      const chunk = sorted.slice(from, from + SEEK_CHUNK)
      const json = `[${chunk.map((k) => (typeof k === 'string' ? JSON.stringify(k) : String(k))).join(',')}]`
      const vids = JSON.parse(this.seek.get(json)!) as number[]
      chunk.forEach((k, i) => distinct.set(k, vids[i]))
    }
    for (let i = 0; i < keys.length; i++) out[i] = distinct.get(keys[i]) ?? -1
  }
}
