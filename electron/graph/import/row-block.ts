// A package's lines into rows held column by column (a RowBlock): no object per row, so a package
// of a million lines costs a few arrays. Lines are read straight out of the package's text.
//
// Two ways to read a CSV line, one result. The general way is csv-fields.ts then rows.ts (quotes,
// every error with TuGraph's text). Most lines of most files are plain: no quote, as many fields as
// columns, integers and text. Those are read in place (fields found with indexOf, integers parsed
// from the characters, text sliced once); anything else in a line — a quote, a field count that is
// off, a value that does not convert — sends that line the general way, which then says what is
// wrong. test/graph/row-block.test.ts holds the two ways to the same answers.
import type { PropertyType } from '../../../shared/graph'
import { textToStored, type Stored } from '../store/values'
import type { CsvFieldSplitter, SplitResult } from './csv-fields'
import { lineText, type PackageText } from './lines'
import type { FilePlan } from './mapping'
import type { FailLine } from './package-rows'
import { rowFromFields, rowFromJson, RowError, type Row } from './rows'

/** Lines parsed per batch; between batches the worker looks at its stop flag and reports progress. */
export const BATCH_LINES = 4096

/**
 * Rows of one file's package, by column: row r (r < count) came from line lineIndex[r] of the
 * package. A block is reused from package to package of a file (reset): its arrays keep their size,
 * so a package costs no array growth; entries past `count` are left over from before.
 */
export class RowBlock {
  count = 0
  lineIndex = new Int32Array(1024)
  /** By property index of the label: the values by row, or null for a property no column maps (all null). */
  readonly values: (Stored[] | null)[]
  /** Endpoint keys of edge rows (unused for vertices). */
  readonly src: Stored[] = []
  readonly dst: Stored[] = []
  private readonly edge: boolean

  constructor(plan: FilePlan) {
    this.edge = plan.kind === 'edge'
    this.values = plan.label.def.properties.map(() => null)
    for (const c of plan.columns) if (c.kind === 'prop') this.values[c.index] = []
  }

  reset(): void {
    this.count = 0
  }

  /** Room for one more row's line index; returns the new row's number. */
  nextRow(lineIndex: number): number {
    const r = this.count++
    if (r === this.lineIndex.length) {
      const grown = new Int32Array(r * 2)
      grown.set(this.lineIndex)
      this.lineIndex = grown
    }
    this.lineIndex[r] = lineIndex
    return r
  }

  /** Appends a row made the general way. */
  push(row: Row, lineIndex: number): void {
    const r = this.nextRow(lineIndex)
    for (let p = 0; p < this.values.length; p++) {
      const column = this.values[p]
      if (column) column[r] = row.values[p]
    }
    if (this.edge) {
      this.src[r] = row.src
      this.dst[r] = row.dst
    }
  }

  /** Row r as rows.ts makes it (for callers that want one object per row). */
  row(r: number, plan: FilePlan, pkg: PackageText, firstLineNo: number): Row {
    const values = this.values.map((column) => (column ? column[r] : null))
    const t = plan.tidIndex === undefined ? 0 : values[plan.tidIndex]
    return {
      line: firstLineNo + this.lineIndex[r],
      text: lineText(pkg, this.lineIndex[r]),
      values,
      src: plan.kind === 'edge' ? this.src[r] : null,
      dst: plan.kind === 'edge' ? this.dst[r] : null,
      tid: typeof t === 'number' || typeof t === 'bigint' ? t : 0,
    }
  }
}

/** ASCII whitespace, as String.prototype.trim removes it (\t \n \v \f \r and space). */
const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13)

/** The line is empty or whitespace only (what `line.trim() === ''` says). */
function isBlank(pkg: PackageText, i: number): boolean {
  const { bytes } = pkg
  const e = pkg.ends[i]
  for (let k = pkg.starts[i]; k < e; k++) {
    const b = bytes[k]
    if (b >= 0x80) return lineText(pkg, i).trim() === '' // Unicode spaces: let trim decide
    if (!isSpace(b)) return false
  }
  return true
}

const enum Convert {
  Skip,
  Int,
  Text,
  Other,
}

const INT_RANGE: Partial<Record<PropertyType, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [-Infinity, Infinity],
}

const QUOTE = 0x22

interface FastColumn {
  convert: Convert
  type: PropertyType
  optional: boolean
  min: number
  max: number
  /** Where the column's values go. */
  into: Stored[] | null
}

/**
 * An integer of at most 15 digits with an optional sign in bytes[a, b): the same number as
 * textToStored gives for its text; undefined for anything else (textToStored then decides).
 */
function smallInteger(bytes: Buffer, a: number, b: number): number | undefined {
  let i = a
  const first = bytes[i]
  if (first === 45 || first === 43) i++
  if (i === b || b - i > 15) return undefined
  let v = 0
  for (; i < b; i++) {
    const d = bytes[i] - 48
    if (d < 0 || d > 9) return undefined
    v = v * 10 + d
  }
  return first === 45 ? -v : v
}

/** Reads the lines of one package for one file plan. */
class BlockParser {
  private readonly columns: FastColumn[]
  private readonly scratch: Stored[]
  private readonly delimiter: Buffer
  private readonly encoding: 'latin1' | 'utf8'

  constructor(
    private readonly plan: FilePlan,
    private readonly splitter: CsvFieldSplitter,
    private readonly pkg: PackageText,
    private readonly block: RowBlock,
    private readonly fast: boolean,
  ) {
    this.delimiter = Buffer.from(splitter.delimiter, 'utf8')
    this.encoding = pkg.ascii ? 'latin1' : 'utf8'
    this.columns = plan.columns.map((c): FastColumn => {
      if (c.kind === 'skip') return { convert: Convert.Skip, type: 'STRING', optional: true, min: 0, max: 0, into: null }
      const range = INT_RANGE[c.type]
      return {
        convert: range ? Convert.Int : c.type === 'STRING' ? Convert.Text : Convert.Other,
        type: c.type,
        optional: c.kind === 'prop' && c.optional,
        min: range?.[0] ?? 0,
        max: range?.[1] ?? 0,
        into: c.kind === 'prop' ? block.values[c.index] : c.kind === 'src' ? block.src : block.dst,
      }
    })
    this.scratch = new Array<Stored>(this.columns.length).fill(null)
  }

  /** Lines [from, to): rows into the block, bad lines to `fail`. */
  parse(from: number, to: number, firstLineNo: number, fail: FailLine, tick: (index: number) => void): { dataLines: number; blankLines: number } {
    const { pkg, plan, block } = this
    const csv = plan.mapping.format === 'CSV'
    let dataLines = 0
    let blankLines = 0
    for (let start = from; start < to; start += BATCH_LINES) {
      tick(start)
      const end = Math.min(start + BATCH_LINES, to)
      // Quoted lines: csv-parse splits those of a batch together (much faster than one by one).
      let quoted = csv && !this.fast ? this.splitQuoted(start, end) : null
      for (let i = start; i < end; i++) {
        if (isBlank(pkg, i)) {
          blankLines++
          continue
        }
        dataLines++
        if (pkg.broken.size > 0 && pkg.broken.has(i)) {
          fail(firstLineNo + i, lineText(pkg, i), pkg.broken.get(i)!)
          continue
        }
        if (csv && this.fast) {
          const read = this.readPlain(pkg.starts[i], pkg.ends[i])
          if (read === true) {
            const r = block.nextRow(i)
            for (let c = 0; c < this.columns.length; c++) {
              const into = this.columns[c].into
              if (into !== null) into[r] = this.scratch[c]
            }
            continue
          }
          if (read === QUOTE) quoted ??= this.splitQuoted(i, end)
        }
        const line = lineText(pkg, i)
        try {
          if (!csv) {
            block.push(rowFromJson(plan, firstLineNo + i, line), i)
            continue
          }
          const split = quoted?.get(i) ?? this.splitter.splitAll([line])[0]
          if (typeof split === 'string') fail(firstLineNo + i, line, split)
          else block.push(rowFromFields(plan, split, firstLineNo + i, line), i)
        } catch (err) {
          if (err instanceof RowError) fail(firstLineNo + i, line, err.message)
          else throw err
        }
      }
    }
    return { dataLines, blankLines }
  }

  /** Splits the lines of [from, end) that hold a quote (not blank, not broken), all at once. */
  private splitQuoted(from: number, end: number): Map<number, SplitResult> {
    const { pkg } = this
    const indexes: number[] = []
    for (let i = from; i < end; i++) {
      const line = pkg.bytes.subarray(pkg.starts[i], pkg.ends[i])
      if (line.includes(QUOTE) && !pkg.broken.has(i) && !isBlank(pkg, i)) indexes.push(i)
    }
    const results = this.splitter.splitAll(indexes.map((i) => lineText(pkg, i)))
    return new Map(indexes.map((i, k) => [i, results[k]]))
  }

  /**
   * Reads a plain line (bytes[s, e)) into `scratch`. Returns true when it did, QUOTE when the line
   * holds a quote, false when something else needs the general way.
   */
  private readPlain(s: number, e: number): true | false | typeof QUOTE {
    const { bytes } = this.pkg
    const delimiter = this.delimiter
    const d0 = delimiter[0]
    const dlen = delimiter.length
    const columns = this.columns
    const last = columns.length - 1
    let pos = s
    for (let c = 0; c <= last; c++) {
      // The field runs to the next delimiter (or the line's end, for the last column).
      let fieldEnd = pos
      for (; fieldEnd < e; fieldEnd++) {
        const b = bytes[fieldEnd]
        if (b === QUOTE) return QUOTE
        if (b === d0 && (dlen === 1 || matchAt(bytes, fieldEnd, delimiter, e))) break
      }
      if ((fieldEnd < e) !== c < last) {
        // Fewer or more fields than columns; a quote further on may still make it right.
        return bytes.subarray(fieldEnd, e).includes(QUOTE) ? QUOTE : false
      }
      let a = pos
      let b = fieldEnd
      pos = fieldEnd + dlen
      while (a < b && isSpace(bytes[a])) a++
      while (b > a && isSpace(bytes[b - 1])) b--
      const col = columns[c]
      if (col.convert === Convert.Skip) continue
      let text: string | null = null
      if (a < b && (bytes[a] >= 0x80 || bytes[b - 1] >= 0x80)) {
        text = bytes.toString(this.encoding, a, b).trim() // other spaces than ASCII ones: as trim sees them
        if (text === '') a = b
      }
      if (a === b) {
        if (!col.optional) return false
        this.scratch[c] = null
        continue
      }
      if (col.convert === Convert.Int && text === null) {
        const v = smallInteger(bytes, a, b)
        if (v === undefined || v < col.min || v > col.max) return false
        this.scratch[c] = v
        continue
      }
      text ??= bytes.toString(this.encoding, a, b)
      if (col.convert === Convert.Text) {
        this.scratch[c] = text
        continue
      }
      try {
        this.scratch[c] = textToStored(col.type, text)
      } catch {
        return false
      }
    }
    return true
  }
}

/** bytes[at..] starts with `delimiter`, within the line (before `end`). */
function matchAt(bytes: Buffer, at: number, delimiter: Buffer, end: number): boolean {
  if (at + delimiter.length > end) return false
  for (let k = 1; k < delimiter.length; k++) if (bytes[at + k] !== delimiter[k]) return false
  return true
}

/**
 * Parses lines[from, to) of a package into a RowBlock (`block`, emptied first, or a new one). Blank
 * lines are counted, not parsed; a line that is not a row goes to `fail`. `tick(index)` runs
 * between batches (it may throw to stop). `fast: false` reads every line the general way (tests
 * compare the two).
 */
export function parseBlock(
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  pkg: PackageText,
  from: number,
  to: number,
  firstLineNo: number,
  fail: FailLine,
  tick: (index: number) => void,
  options: { fast?: boolean; block?: RowBlock } = {},
): { block: RowBlock; dataLines: number; blankLines: number } {
  const block = options.block ?? new RowBlock(plan)
  block.reset()
  const counts = new BlockParser(plan, splitter, pkg, block, options.fast ?? true).parse(from, to, firstLineNo, fail, tick)
  return { block, ...counts }
}
