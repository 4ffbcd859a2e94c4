// A pre-flight check of an import that writes nothing: the labels it would create are added to a
// scratch in-memory copy of the graph's schema, every file is planned against it with the import's
// own planFile (unknown labels and properties, unmapped required properties, SRC_ID/DST_ID labels
// that do not exist, constraints), and the first lines of each file are parsed with the import's
// own parseRows (values that do not parse as their type, missing delimiters, invalid UTF-8).
// Runs in a graph worker; reads at most `sampleBytes` plus one line per file, and one check at most
// SAMPLE_TOTAL_BYTES and SAMPLE_TIME_MS in all, so a check is short whatever it names (#9 §2).
import { closeSync, fstatSync } from 'node:fs'
import type { FailedLine, FileMapping, LabelDef } from '../../../shared/graph'
import type { FileCheck, ImportProblem } from '../../../shared/graph-api'
import { isAppError } from '../../../shared/errors'
import { formatSize } from '../../../shared/number-format'
import { CsvFieldSplitter } from '../import/csv-fields'
import { splitLines } from '../import/lines'
import { planFile, type FilePlan } from '../import/mapping'
import { parseRows } from '../import/package-rows'
import { IMPORT_LINE_BYTES, longLineReason, openDataFile, packageBuffer } from '../import/packages'
import { encodingHint, encodingName, guessFileEncoding, importEncoding, openPackages, withEncodingHint, type EncodingGuess } from '../import/text-encoding'
import { longLineNote, readHeadLines, stoppedMeasuring, type HeadLines } from './head-lines'
import { failedLine } from '../import/report'
import { SampleEndpoints } from './sample-endpoints'
import { GraphDb } from '../store/graph-db'
import { excerpt, type Stored } from '../store/values'

/** Bytes of each file parsed by a check (then on to the end of the line). */
export const SAMPLE_BYTES = 1024 * 1024
/** Failed lines kept per file. */
const KEEP_FAILURES = 10
/** Files whose lines a check parses (a folder can stand for thousands): the rest are planned only. */
export const MAX_SAMPLED_FILES = 50
/**
 * Bytes one check parses over all its files: 50 files of 1 MiB took 6.5 s of a graph worker (atk12).
 * A file gets what is left of it (at most `sampleBytes`); once less than SAMPLE_MIN_BYTES is left,
 * the remaining files are planned only.
 */
export const SAMPLE_TOTAL_BYTES = 8 * 1024 * 1024
const SAMPLE_MIN_BYTES = 64 * 1024
/**
 * Bytes of lines longer than a file's sample one check reads over all its files to measure them
 * (each up to IMPORT_LINE_BYTES, 17 MiB, enough to tell whether the import fails it): 32 MiB, about
 * 0.2 s of a worker. A long line met after it is named as not measured.
 */
export const LONG_LINE_SCAN_TOTAL_BYTES = 32 * 1024 * 1024
/** Milliseconds of sampling one check may take: no file is started after it (a file's own sample is bounded by bytes). */
export const SAMPLE_TIME_MS = 2000

/** The bounds of one check's sampling, and its stop: `stopped` is read between files (the caller went away). */
export interface SampleBudget {
  stopped?: () => boolean
  totalBytes?: number
  timeMs?: number
  /** The clock (ms), for tests. */
  now?: () => number
}

export interface SampleInput {
  /** Labels the import would create first. */
  labels: LabelDef[]
  files: { mapping: FileMapping; file: string }[]
  delimiter: string
  continueOnError: boolean
  sampleBytes?: number
}

export interface SampleResult {
  problems: ImportProblem[]
  files: FileCheck[]
}

const problemOf = (e: unknown, where: Partial<ImportProblem> = {}): ImportProblem => ({
  severity: 'error',
  code: isAppError(e) ? e.code : 'file_unreadable',
  message: e instanceof Error ? e.message : String(e),
  ...where,
})

/**
 * Checks an import against graph `g` without writing to it: every file planned, the lines of the
 * first files parsed within `budget` (a not_sampled warning names the files left out and why).
 */
export function sampleImport(g: GraphDb, input: SampleInput, budget: SampleBudget = {}): SampleResult {
  const problems: ImportProblem[] = []
  const files: FileCheck[] = []
  const scratch = GraphDb.open(g.name, ':memory:', { create: true })
  try {
    scratch.addLabels(g.labels().map((l) => l.def))
    try {
      scratch.addLabels(input.labels)
    } catch (e) {
      problems.push(problemOf(e, { field: 'schema' }))
    }
    const plans: FilePlan[] = []
    for (const f of input.files) {
      try {
        plans.push(planFile(scratch, f.mapping, f.file))
      } catch (e) {
        problems.push(problemOf(e, { file: f.mapping.path }))
      }
    }
    const splitter = new CsvFieldSplitter(input.delimiter)
    const endpoints = new SampleEndpoints(g, plans)
    // vertex files first, so that the edge files' endpoints are resolved against their keys; the
    // answer lists the files in the request's order
    const order = [...plans.keys()].sort((a, b) => Number(plans[a].kind === 'edge') - Number(plans[b].kind === 'edge') || a - b)
    const checked = new Map<number, FileCheck>()
    const now = budget.now ?? Date.now
    const until = now() + (budget.timeMs ?? SAMPLE_TIME_MS)
    let left = budget.totalBytes ?? SAMPLE_TOTAL_BYTES
    let sampled = 0
    const scan = { left: LONG_LINE_SCAN_TOTAL_BYTES }
    let cut: string | undefined // why files were left out before MAX_SAMPLED_FILES
    for (const index of order.slice(0, MAX_SAMPLED_FILES)) {
      const plan = plans[index]
      if (budget.stopped?.()) return { problems, files } // nobody waits for the answer
      if (left < SAMPLE_MIN_BYTES || now() >= until) {
        cut = left < SAMPLE_MIN_BYTES ? `a check parses ${mib(budget.totalBytes ?? SAMPLE_TOTAL_BYTES)} MiB of lines in all` : `a check parses lines for ${(budget.timeMs ?? SAMPLE_TIME_MS) / 1000} s at most`
        break
      }
      sampled++
      try {
        const check = sampleFile(scratch, plan, splitter, Math.min(input.sampleBytes ?? SAMPLE_BYTES, left), input, problems, endpoints, scan)
        left -= check.bytes
        checked.set(index, check.file)
      } catch (e) {
        problems.push(problemOf(e, { file: plan.mapping.path }))
      }
    }
    for (const index of [...checked.keys()].sort((a, b) => a - b)) files.push(checked.get(index)!)
    if (sampled < plans.length) {
      problems.push({
        severity: 'warning',
        code: 'not_sampled',
        message: `the lines of the first ${sampled} of ${plans.length} files were checked${cut ? ` (${cut})` : ''}; the others only against the schema`,
      })
    }
    problems.push(...endpointProblems(g, plans))
  } finally {
    scratch.close()
  }
  return { problems, files }
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

/** One file's first `sampleBytes` (then to the end of the line) parsed: its check, and the bytes it read. */
function sampleFile(
  scratch: GraphDb,
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  sampleBytes: number,
  input: SampleInput,
  problems: ImportProblem[],
  endpoints: SampleEndpoints,
  scan: { left: number },
): { file: FileCheck; bytes: number } {
  const fd = openDataFile(plan.file, plan.mapping)
  let head: HeadLines
  let size: number
  let guess: EncodingGuess | null
  try {
    // lines longer than the sample are measured up to what is left of the check's scan (not parsed),
    // and one too long is read past, as the import with continueOnError does, to judge what follows
    head = readHeadLines(fd, importEncoding(plan.mapping.encoding) ?? 'utf-8', sampleBytes, scan.left, true)
    scan.left -= head.scanned
    // read as UTF-8 but looks like another encoding: failed lines name it (the mapping's encoding stays)
    guess = head.encoding === 'utf-8' ? guessFileEncoding(fd) : null
    size = fstatSync(fd).size
  } finally {
    closeSync(fd)
  }
  const path = plan.mapping.path
  // one wording whatever the scan has left: what was measured, and why the check stopped measuring
  const spent = `as it measures long lines up to ${mib(LONG_LINE_SCAN_TOTAL_BYTES)} MiB in all, and they were spent`
  for (const l of head.longLines) {
    const message = `${path} ${longLineNote(l, 'the check', sampleBytes, true, spent)}`
    if (l.verdict === 'too_long') {
      // as the import: continueOnError skips the line and lists it, else the import fails there (the
      // option named by its API field: the Imports page says it as its checkbox reads, inPageWords)
      const then = l.cut ? `; ${stoppedMeasuring('the check', spent)}` : ''
      problems.push({ severity: input.continueOnError ? 'warning' : 'error', code: 'line_too_long', message: `${path} line ${l.line}: ${longLineReason(l.takes, IMPORT_LINE_BYTES, l.cut)}${input.continueOnError ? ' (with continueOnError it is skipped and listed)' : ': the import fails there'}${then}`, file: path, line: l.line })
    } else problems.push({ severity: 'warning', code: 'long_line', message, file: path, line: l.line })
  }
  // a head that stops at a long line not measured to its end is the file's first part only
  const read = head.longLines.some((l) => l.cut) ? Math.min(head.read, size - 1) : head.read
  return { file: checkLines(scratch, plan, splitter, head.bytes, { read, size }, input, problems, endpoints, head.broken, guess), bytes: head.read - head.scanned } // of the file, as parsed: long lines count against the scan, not the sample
}

/**
 * A header field that did not decode: NUL (UTF-16 read as UTF-8), or U+FFFD in a line the decoder
 * reported `broken` (bytes not valid in the encoding); valid bytes may spell U+FFFD (EF BF BD, "name\uFFFD").
 */
const garbledField = (field: string | null, broken: boolean): boolean => field !== null && (field.includes('\u0000') || (broken && field.includes('\uFFFD')))

/**
 * Why a file's header line (`text`, the column names) cannot be taken, when it is not valid in the
 * file's encoding (`broken`: the decoder reported bytes it replaced) or holds NUL characters (a
 * UTF-16 file read as UTF-8): `<path> line <n>, column <k>: the header is not valid …`, with the
 * encoding the file looks like (`guess`: encodingHint). Always an error, whatever continueOnError
 * says: the column names such a header gives a new label (column_1…, i_d…) are garbled, and every
 * line read so fails too, so Start would create the label and import nothing into it.
 */
function garbledHeader(mapping: FileMapping, splitter: CsvFieldSplitter, text: string, broken: boolean, guess: EncodingGuess | null): string | undefined {
  const bad = (field: string | null) => garbledField(field, broken)
  if (!broken && !bad(text)) return undefined
  const split = mapping.format === 'JSON' ? [text] : splitter.splitAll([text])[0]
  const fields = typeof split === 'string' ? [text] : split
  const column = Math.max(0, fields.findIndex(bad)) + 1
  const encoding = encodingName(importEncoding(mapping.encoding) ?? 'utf-8')
  const why = text.includes('\u0000') ? `the header holds NUL characters as read in ${encoding}` : `the header is not valid ${encoding}`
  return `${mapping.path} line ${mapping.header}, column ${column}: ${why}, so its column names would be garbled; ${guess ? encodingHint(guess) : 'choose the Encoding the file was saved in'}`
}

/**
 * Bytes of a file's head an import's submit reads for its header line (then on to the end of that
 * line): a header is one short line, and a folder mapping can stand for thousands of files.
 */
export const HEADER_BYTES = 8 * 1024

/**
 * How far into a file (bytes of the file, 1 MiB) an import's submit reads on, package by package of
 * HEADER_BYTES, to reach a header line that lies past the first package (`header: 201` after 200 lines
 * of preamble). A header line further in is refused at submit (files[i].header): left unjudged, a
 * garbled header there was taken and failed only in the run (#9, atk).
 */
export const HEADER_SCAN_BYTES = 1024 * 1024

/**
 * How many bytes past their first package (HEADER_BYTES) one submit reads, over all its files, to
 * reach their header lines: 32 MiB, about 0.2 s of the shared file lane. Without it 1,000 mappings
 * of one file (or of a folder) with a header line near 1 MiB read 1 MiB each: 1,000 MiB, 5.4 s per
 * submit (#9 atk2). Files reached after it are judged on their first package only, as before the
 * scan: a header line further in is left to the run.
 */
export const HEADER_SCAN_TOTAL_BYTES = 32 * 1024 * 1024

/**
 * garbledHeader for an import's submit (GraphService.startImport, every route): the header line of
 * each file with `header` > 0 read in its mapping's encoding (a byte-order mark's first), packages of
 * HEADER_BYTES read on until the one holding it, in order. Returns the first refusal, `index` being its
 * place in `files` and `field` the mapping's field it names (`encoding`: a garbled header; `header`: a
 * header line that starts past HEADER_SCAN_BYTES of the file's packages, which the submit does not read
 * to), or null. A line longer than a package before the header is measured (not held) against `scanBytes`
 * and read past, as the run reads past it; its bytes do not count towards HEADER_SCAN_BYTES. A file that
 * cannot be opened, whose header line is itself too long for a package, or whose long line is not
 * measured within what is left of `scanBytes`, or that has fewer lines than its header, is not judged: the import's own checks and run report those, nor a header line past the
 * first package of a file reached after `scanBytes` (HEADER_SCAN_TOTAL_BYTES) were read past the
 * first packages of the files before it.
 */
export function firstGarbledHeader(files: { mapping: FileMapping; file: string }[], delimiter: string, scanBytes = HEADER_SCAN_TOTAL_BYTES): { index: number; message: string; field: 'encoding' | 'header' } | null {
  const splitter = new CsvFieldSplitter(delimiter)
  const buffer = packageBuffer(HEADER_BYTES) // one for all the files (an import may name thousands)
  let scanLeft = scanBytes
  for (const [index, { mapping, file }] of files.entries()) {
    const header = mapping.header ?? 0
    if (header === 0) continue
    let fd: number
    try {
      fd = openDataFile(file, mapping)
    } catch {
      continue
    }
    try {
      // a line longer than a package is measured to its end (not held) against what is left of the
      // submit's scan, and read past, as the run reads past it (checkfix: it left the header unjudged)
      const opened = openPackages(fd, importEncoding(mapping.encoding) ?? 'utf-8', HEADER_BYTES, buffer, 'skip', Math.max(0, scanLeft))
      // packages end at a line's end: the lines before the header's package are only counted
      let before = 0
      let first = true
      let pkg = opened.reader.next()
      let unjudged = false
      let held = 0 // bytes of the packages read, long lines not counted: they are bounded by the scan
      if (pkg?.longLine !== undefined) scanLeft -= pkg.sourceBytes ?? pkg.longLine // a first package is free unless measured
      while (pkg) {
        const long = pkg.longLine !== undefined
        if (long && (pkg.longLineCut || before + 1 >= header)) {
          unjudged = true // not measured within the scan, or the header line itself: the run judges it
          break
        }
        const count = long ? 1 : lineCount(pkg.bytes)
        if (before + count >= header) break
        before += count
        if (!long) held += pkg.sourceBytes ?? pkg.bytes.length
        if (held >= HEADER_SCAN_BYTES) break
        if (scanLeft <= 0) {
          unjudged = true // the submit's reading past first packages is spent: the run judges it
          break
        }
        first = false
        pkg = opened.reader.next()
        if (pkg) scanLeft -= pkg.sourceBytes ?? pkg.bytes.length
      }
      if (!pkg || unjudged) continue // fewer lines than its header: the run reports it
      const lines = splitLines(pkg.bytes, first)
      for (const [i, why] of pkg.broken ?? []) lines.broken.set(i, why)
      const at = header - 1 - before
      if (lines.lines.length <= at) {
        if (opened.reader.next() === null) continue // the file ends before its header line
        const message = `${mapping.path}: its header line ${header} starts past the first ${formatSize(HEADER_SCAN_BYTES)} of the file (after line ${before + lines.lines.length}), as far as a submit reads to check a header; give the line the header is on within them, or 0 for a file without one`
        return { index, message, field: 'header' }
      }
      const text = lines.lines[at]
      const broken = lines.broken.has(at)
      if (!broken && !garbledField(text, broken)) continue
      // what the file looks like is read only for a header that is refused (64 KiB more)
      const message = garbledHeader(mapping, splitter, text, broken, opened.encoding === 'utf-8' ? guessFileEncoding(fd) : null)
      if (message) return { index, message, field: 'encoding' }
    } catch (e) {
      if (!isAppError(e)) throw e // a line too long for the head: the run fails it, with its reason
    } finally {
      closeSync(fd)
    }
  }
  return null
}

/** How many lines a package's `bytes` hold (it ends at a line's end, or at the file's end without a newline). */
function lineCount(bytes: Buffer): number {
  let n = 0
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) n++
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n
}

/**
 * The bytes of a file a check read (`read`, the first part of it) and its size (`size`, bytes): where
 * they differ, the check's figures for the file are of its first part, and its problems say so.
 */
const readInPart = (read: number, size: number): string | null => (read < size ? `it was read in part: its first ${formatSize(read)} of ${formatSize(size)}` : null)

/** The check of a file's sampled `bytes`: `span.read` bytes of its `span.size` (all of it, or its first part only). */
function checkLines(
  scratch: GraphDb,
  plan: FilePlan,
  splitter: CsvFieldSplitter,
  bytes: Buffer,
  span: { read: number; size: number },
  input: SampleInput,
  problems: ImportProblem[],
  endpoints: SampleEndpoints,
  decodedBroken?: Map<number, string>,
  guess: EncodingGuess | null = null,
): FileCheck {
  const path = plan.mapping.path
  const lines = splitLines(bytes, true)
  for (const [i, why] of decodedBroken ?? []) lines.broken.set(i, why) // not valid in the file's encoding (text-encoding.ts)
  const header = plan.mapping.header ?? 0
  const check: FileCheck = { path, label: plan.label.name, kind: plan.kind, bytes: span.size, bytesRead: span.read, sampledLines: 0, failedLines: 0, failures: [] }
  const whole = span.read >= span.size
  const inPart = readInPart(span.read, span.size)
  if (bytes.length === 0) {
    problems.push({ severity: 'warning', code: 'empty_file', message: `${path} is empty: nothing will be imported from it`, file: path })
    return check
  }
  if (header > lines.lines.length) {
    // only the whole file can be too short for its header; a sample that is all header says only that
    if (whole) problems.push({ severity: 'error', code: 'header_too_large', message: `HEADER too large. (${path} has ${lines.lines.length} lines where ${header} header lines were expected)`, file: path })
    else problems.push({ severity: 'warning', code: 'header_beyond_sample', message: `${path}: the ${lines.lines.length} lines checked (its first ${mib(bytes.length)} MiB) are all header (header: ${header}), so none of its rows were checked`, file: path })
    return check
  }
  const garbled = header > 0 ? garbledHeader(plan.mapping, splitter, lines.lines[header - 1], lines.broken.has(header - 1), guess) : undefined
  if (garbled) problems.push({ severity: 'error', code: 'bad_header', message: garbled, file: path, line: header })
  const failures: FailedLine[] = []
  const parsed = parseRows(
    plan,
    splitter,
    lines,
    header,
    lines.lines.length,
    1,
    (line, text, reason) => {
      check.failedLines++
      if (failures.length < KEEP_FAILURES) failures.push(failedLine(line, text, withEncodingHint(reason, guess)))
    },
    () => undefined,
  )
  check.sampledLines = parsed.dataLines
  if (plan.kind === 'edge') {
    // as the import resolves them (package-rows.ts writeEdgeRows): the source first
    let added = false
    for (const r of parsed.rows) {
      const reason = !endpoints.mayExist(plan.src!.name, r.src) ? `Missing src uid ${excerpt(String(r.src))}` : !endpoints.mayExist(plan.dst!.name, r.dst) ? `Missing dst uid ${excerpt(String(r.dst))}` : null
      if (reason === null) continue
      check.failedLines++
      added = true
      if (failures.length < KEEP_FAILURES * 2) failures.push(failedLine(r.line, r.text, reason))
    }
    if (added) failures.sort((a, b) => a.line - b.line).splice(KEEP_FAILURES)
  } else {
    const t = scratch.vertexTable(plan.label.name)
    endpoints.addVertexFile(plan.label.name, parsed.rows.map((r) => r.values[t.primaryIndex]), whole)
  }
  check.failures = failures
  if (check.failedLines > 0) {
    const first = failures[0]
    problems.push({
      severity: input.continueOnError ? 'warning' : 'error',
      code: 'invalid_value',
      message:
        `${check.failedLines} of the first ${check.sampledLines} lines of ${path}${inPart ? ` (${inPart})` : ''} will not import` +
        `${input.continueOnError ? ' (they will be skipped and listed)' : ', and without continueOnError the first one stops the import'}` +
        `; line ${first.line}: ${first.reason}`,
      file: path,
      line: first.line,
    })
  }
  if (plan.kind === 'vertex') {
    const t = scratch.vertexTable(plan.label.name)
    const seen = new Map<Stored, number>()
    for (const r of parsed.rows) {
      const key = r.values[t.primaryIndex]
      const before = seen.get(key)
      if (before === undefined) {
        seen.set(key, r.line)
        continue
      }
      problems.push({
        severity: 'warning',
        code: 'index_conflict',
        message: `${path} line ${r.line} repeats the primary key ${excerpt(String(key))} of line ${before}: only one of them is imported`,
        file: path,
        line: r.line,
      })
      break
    }
  }
  return check
}

/** Edge files whose endpoint label has no vertices, and gets none from this import: every edge would fail. */
function endpointProblems(g: GraphDb, plans: FilePlan[]): ImportProblem[] {
  const counts = new Map(g.labels().filter((l) => l.kind === 'vertex').map((l) => [l.name, l.count]))
  const imported = new Set(plans.filter((p) => p.kind === 'vertex').map((p) => p.label.name))
  const problems: ImportProblem[] = []
  for (const p of plans) {
    if (p.kind !== 'edge') continue
    for (const [end, label] of [['SRC_ID', p.src!.name], ['DST_ID', p.dst!.name]] as const) {
      if (imported.has(label) || (counts.get(label) ?? 0) > 0) continue
      problems.push({
        severity: 'error',
        code: 'missing_vertex',
        message: `${p.mapping.path}: ${end} names vertex label [${label}], which has no vertices in graph ${g.name} and gets none from this import: every edge would fail ("Missing ${end === 'SRC_ID' ? 'src' : 'dst'} uid")`,
        file: p.mapping.path,
      })
    }
  }
  return problems
}
