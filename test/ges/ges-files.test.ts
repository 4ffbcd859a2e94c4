// GES import files: the schema XML and the data files' lines and their split per label (in a graph
// worker). Hostile shapes froze the server (verification of the graph side): a schema of 60,000
// unclosed <label> tags took 39 s (a lazy regex rescanned to the end for each), and a 60 MB line was
// held whole and split (6 s). The parser is now one forward pass; a line past the cap streams by,
// counted. The parser judges label and property names by the native schema API's rule (a label named
// like a path once became a split file's path), and split files are only ever counter names in the
// work folder, opened without following a symbolic link.
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../shared/errors'
import { boundedLines } from '../../electron/graph/ges/bounded-lines'
import { parseGesSchema } from '../../electron/graph/ges/ges-schema'
import { removeWorkDir, splitGesFiles, workFile } from '../../electron/graph/ges/ges-split'
import { setAsideGesWorkDirs } from '../../electron/graph/ges/ges-work-sweep'
import { checkFieldName, checkLabelName, MAX_LABELS } from '../../electron/graph/store/names'
import { tempDir } from '../support/temp-store'
import { threadCpuMs } from '../support/cpu-time'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The native schema API's text for a name (store/names.ts), the rule the GES reader must share. */
const nativeText = (check: (name: string) => string, name: string) => {
  try {
    check(name)
  } catch (e) {
    return (e as Error).message
  }
  return null
}

describe('parseGesSchema', () => {
  it('reads labels with their typed properties, self-closed labels, and skips <labels>/<properties> wrappers', () => {
    const xml = `<PMML version="3.0"><labels>
      <label name="user"><properties>
        <property name="Name" cardinality="single" dataType="string"/>
        <property name="Age" dataType="int"/>
      </properties></label>
      <label name="rate"/>
      <labelled name="not-a-label"></labelled>
    </labels></PMML>`
    expect(parseGesSchema(xml, 's.xml')).toEqual([
      { name: 'user', properties: [{ name: 'Name', type: 'STRING' }, { name: 'Age', type: 'INT32' }] },
      { name: 'rate', properties: [] },
    ])
  })

  it('refuses 60,000 unclosed <label> tags at once, naming what is wrong (it used to take 39 s)', () => {
    const xml = `<labels>${'<label name="a">'.repeat(60_000)}`
    const t0 = threadCpuMs()
    expect(() => parseGesSchema(xml, 'bomb.xml')).toThrow(/bomb\.xml: a <label> has no <\/label>/)
    expect(threadCpuMs() - t0).toBeLessThan(2000) // linear: milliseconds; the old parse, tens of seconds
  })

  it('refuses a <property tag that never closes, and a label without a name', () => {
    expect(() => parseGesSchema(`<labels><label name="u">${'<property name="x" '.repeat(50_000)}</label></labels>`, 'p.xml')).toThrow(/<property> tag is not closed/)
    expect(() => parseGesSchema('<labels><label kind="x"></label></labels>', 'n.xml')).toThrow(/n\.xml: a <label> has no name/)
  })

  /** What parseGesSchema throws for `xml`: code, field and message. */
  const refusal = (xml: string) => {
    try {
      parseGesSchema(xml, 's.xml')
    } catch (e) {
      if (isAppError(e)) return { code: e.code, field: e.field, message: e.message }
      throw e
    }
    throw new Error('not refused')
  }
  it('refuses the label and property names the native schema API refuses, with its text after the label (field schema_path)', () => {
    for (const label of ['my.label', 'my label', '/../../../../admin/persons', '1st', 'a-b', 'x'.repeat(257)]) {
      expect(refusal(`<labels><label name="${label}"/></labels>`)).toEqual({ code: 'invalid_name', field: 'schema_path', message: `s.xml: label ${JSON.stringify(label)}: ${nativeText(checkLabelName, label)}` })
    }
    for (const prop of ['a.b', 'first name', '../p']) {
      expect(refusal(`<labels><label name="user"><property name="${prop}"/></label></labels>`)).toEqual({
        code: 'invalid_name',
        field: 'schema_path',
        message: `s.xml: property ${JSON.stringify(prop)} of label user: ${nativeText(checkFieldName, prop)}`,
      })
    }
    expect(refusal('<labels><label name="user"><property name="SKIP"/></label></labels>').message).toMatch(/property SKIP of label user: Property name cannot be "SKIP"/)
    expect(refusal('<labels><label name="user"><property name="n"/><property name="n"/></label></labels>').message).toMatch(/label user: Duplicate property definition: \[n\]/)
    // names the native rule takes are taken: underscores, digits after the first character, non-ASCII
    expect(parseGesSchema('<labels><label name="_a1"><property name="名字"/></label><label name="用户"/></labels>', 's.xml').map((l) => l.name)).toEqual(['_a1', '用户'])
  })
})

describe('workFile', () => {
  it('gives the path of a split file in the work folder and refuses any other name', () => {
    expect(workFile(dir, '0.v.3.csv')).toBe(join(dir, '0.v.3.csv'))
    expect(workFile(dir, '12.e.0.csv')).toBe(join(dir, '12.e.0.csv'))
    for (const name of ['0.v./../../x.csv', '../0.v.1.csv', '0.v.my.label.csv', '/etc/0.v.1.csv', 'sub/0.v.1.csv']) expect(() => workFile(dir, name)).toThrow(/is not one of the work folder/)
  })
})

describe('boundedLines', () => {
  it('gives lines with their numbers, drops \\r and a byte-order mark, and reports a line past the cap without holding it', () => {
    const file = join(dir, 'v.csv')
    writeFileSync(file, `\uFEFF1,ann\r\n${'x'.repeat(3 << 20)}\n2,bo\n\n3,cy`)
    const seen = []
    for (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([
      { lineNo: 1, text: '1,ann' },
      { lineNo: 2, tooLong: true },
      { lineNo: 3, text: '2,bo' },
      { lineNo: 4, text: '' },
      { lineNo: 5, text: '3,cy' },
    ])
  })

  it('reports a last line past the cap that has no newline', () => {
    const file = join(dir, 'tail.csv')
    writeFileSync(file, `a\n${'y'.repeat(2 << 20)}`)
    const seen = []
    for (const line of boundedLines(file, 1 << 20)) seen.push(line)
    expect(seen).toEqual([{ lineNo: 1, text: 'a' }, { lineNo: 2, tooLong: true }])
  })

  it('reads a UTF-16 file by its byte-order mark, across read chunks, and names the lines that are no UTF-16', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `v${i},张伟🌍${i}`)
    const le = join(dir, 'u16le.csv')
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf16le')]))
    const seen = [...boundedLines(le, 1 << 20)]
    expect(seen).toHaveLength(lines.length)
    expect(seen.every((l, i) => 'text' in l && l.text === lines[i])).toBe(true)

    const be = join(dir, 'u16be.csv')
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a,1\nb,2\nc,3\n', 'utf16le').swap16(), Buffer.from([0x00])])
    bytes.writeUInt16BE(0xd800, 2 + 2 * 'a,1\nb,'.length) // a lone high surrogate for the 2
    writeFileSync(be, bytes)
    expect([...boundedLines(be, 1 << 20)]).toEqual([
      { lineNo: 1, text: 'a,1' },
      { lineNo: 2, invalid: 'the line is not valid UTF-16BE' },
      { lineNo: 3, text: 'c,3' },
      { lineNo: 4, invalid: 'the line is not valid UTF-16BE' }, // the odd byte at the end
    ])
  })
})

describe('splitGesFiles', () => {
  it('keeps lines whole across read chunks (64 KiB): a 100 KiB line and 20,000 short ones', () => {
    const file = join(dir, 'chunks.csv')
    const long = 'L'.repeat(100 * 1024)
    const lines = [`a,${long}`, ...Array.from({ length: 20_000 }, (_, i) => `v${i},x${i}`)]
    writeFileSync(file, `${lines.join('\n')}\n`)
    const seen = [...boundedLines(file, 1 << 20)]
    expect(seen).toHaveLength(lines.length)
    expect(seen.every((l, i) => 'text' in l && l.text === lines[i])).toBe(true)
  })

  it('splits vertices and edges per label, finds labels among 50,000 at once, counts refused lines with the first reason', () => {
    const work = join(dir, 'split1')
    mkdirSync(work)
    writeFileSync(join(dir, 'sv.csv'), 'a,user,Ann\nb,user,"Bo, jr"\nc,nolabel\nd,item\n')
    writeFileSync(join(dir, 'se.csv'), 'a,b,knows,3\na,d,buys\na,zz,knows\n')
    const many = Array.from({ length: 50_000 }, (_, i) => `<label name="l${i}"/>`).join('')
    writeFileSync(join(dir, 's.xml'), `<labels>${many}<label name="user"><properties><property name="name" dataType="string"/></properties></label><label name="knows"><properties><property name="w" dataType="int"/></properties></label></labels>`)
    // item and buys are the graph's own; the schema file's user wins over the graph's
    const graphLabels = [{ kind: 'vertex' as const, name: 'user', properties: [] }, { kind: 'vertex' as const, name: 'item', properties: [] }, { kind: 'edge' as const, name: 'buys', properties: [] }]
    const t0 = threadCpuMs()
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'sv.csv', file: join(dir, 'sv.csv') }], edgeFiles: [{ path: 'se.csv', file: join(dir, 'se.csv') }], delimiter: ',', schema: { path: 's.xml', file: join(dir, 's.xml') }, graphLabels }, () => false)
    expect(threadCpuMs() - t0).toBeLessThan(2000)
    expect(r.stopped).toBe(false)
    expect(r.vertices).toEqual([{ path: 'sv.csv', total_lines: 4, failed_lines: 1, cause: 'line 3: label nolabel is in neither the schema file nor the graph' }])
    expect(r.edges).toEqual([{ path: 'se.csv', total_lines: 3, failed_lines: 1, cause: "line 3: vertex zz is in none of this import's vertex files" }])
    // counter names: `<file index>.<v|e>.<n>.csv`, no label in them
    expect(r.parts).toEqual([
      { part: '0.v.0.csv', file: join(work, '0.v.0.csv'), kind: 'vertex', source: 0, label: 'user' },
      { part: '0.v.1.csv', file: join(work, '0.v.1.csv'), kind: 'vertex', source: 0, label: 'item' },
      { part: '1.e.2.csv', file: join(work, '1.e.2.csv'), kind: 'edge', source: 0, label: 'knows', src: 'user', dst: 'user' },
      { part: '1.e.3.csv', file: join(work, '1.e.3.csv'), kind: 'edge', source: 0, label: 'buys', src: 'user', dst: 'item' },
    ])
    expect(r.labels.map((l) => l.name)).toEqual(['user', 'item', 'knows', 'buys'])
    expect(readdirSync(work).sort()).toEqual(['0.v.0.csv', '0.v.1.csv', '1.e.2.csv', '1.e.3.csv'])
    expect(readFileSync(join(work, '0.v.0.csv'), 'utf8')).toBe('a,Ann\nb,"Bo, jr"\n')
    expect(readFileSync(join(work, '1.e.2.csv'), 'utf8')).toBe('a,b,3\n')
  })

  it('names split files by counters whatever the labels are called (../, dots, 300 characters), all in the work folder', () => {
    const work = join(dir, 'split4', 'work')
    mkdirSync(work, { recursive: true })
    const long = 'x'.repeat(300)
    // labels a graph may hold from before names were checked (the split takes the graph's labels as they are)
    writeFileSync(join(dir, 'odd.csv'), `a,../../evil\nb,${long}\nc,${long}\nd,my.label\n`)
    const labels = [{ kind: 'vertex' as const, name: '../../evil', properties: [] }, { kind: 'vertex' as const, name: long, properties: [] }, { kind: 'vertex' as const, name: 'my.label', properties: [] }]
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'odd.csv', file: join(dir, 'odd.csv') }], edgeFiles: [], delimiter: ',', graphLabels: labels }, () => false)
    expect(r.parts).toEqual([
      { part: '0.v.0.csv', file: join(work, '0.v.0.csv'), kind: 'vertex', source: 0, label: '../../evil' },
      { part: '0.v.1.csv', file: join(work, '0.v.1.csv'), kind: 'vertex', source: 0, label: long },
      { part: '0.v.2.csv', file: join(work, '0.v.2.csv'), kind: 'vertex', source: 0, label: 'my.label' },
    ])
    expect(readdirSync(join(dir, 'split4'))).toEqual(['work'])
    expect(readdirSync(work).sort()).toEqual(['0.v.0.csv', '0.v.1.csv', '0.v.2.csv'])
    expect(readFileSync(join(work, '0.v.1.csv'), 'utf8')).toBe('b\nc\n')
  })

  it('does not write through a symbolic link put where a split file goes (O_NOFOLLOW): it throws, the target stays as it was', () => {
    const work = join(dir, 'split6')
    mkdirSync(work)
    const target = join(dir, 'target.txt')
    writeFileSync(target, 'keep\n')
    symlinkSync(target, join(work, '0.v.0.csv'))
    writeFileSync(join(dir, 'one.csv'), 'a,u\n')
    const input = { workDir: work, vertexFiles: [{ path: 'one.csv', file: join(dir, 'one.csv') }], edgeFiles: [], delimiter: ',', graphLabels: [{ kind: 'vertex' as const, name: 'u', properties: [] }] }
    expect(() => splitGesFiles(input, () => false)).toThrow(/ELOOP/)
    expect(readFileSync(target, 'utf8')).toBe('keep\n')
  })

  // importsui3: the job's read/total bytes were the split parts' only, leaving out a file the split ended in
  // or never reached and one whose every line failed (no part): every data file counts now
  it('counts every data file in its bytes, one it did not reach too, and the file it ended in as far as it read it', () => {
    const work = join(dir, 'split-bytes')
    mkdirSync(work)
    const big = Array.from({ length: 30_000 }, (_, i) => `v${i},u\n`).join('') // 258,890 bytes: four 64 KiB reads
    writeFileSync(join(dir, 'big.csv'), big)
    writeFileSync(join(dir, 'e2.csv'), 'v0,v1,u\n')
    const files = { vertexFiles: [{ path: 'big.csv', file: join(dir, 'big.csv') }], edgeFiles: [{ path: 'e2.csv', file: join(dir, 'e2.csv') }], delimiter: ',' }
    const r = splitGesFiles({ workDir: work, ...files, graphLabels: [{ kind: 'vertex' as const, name: 'u', properties: [] }], maxVertexIds: 1000 }, () => false)
    expect(r.tooLarge?.cause.code).toBe('too_many_vertices') // at line 1,001, in the first 64 KiB read
    expect(r.bytes).toEqual({ read: 64 * 1024, total: Buffer.byteLength(big) + 8 })
    // read to the end: every byte of both, the edge file's too, whose one line fails (u is no edge label here)
    const whole = splitGesFiles({ workDir: join(dir, 'split-bytes'), ...files, graphLabels: [{ kind: 'vertex' as const, name: 'u', properties: [] }] }, () => false)
    expect(whole.edges).toMatchObject([{ total_lines: 1, failed_lines: 1 }])
    expect(whole.bytes).toEqual({ read: Buffer.byteLength(big) + 8, total: Buffer.byteLength(big) + 8 })
  })

  it('ends with a reason naming the limit when an import with edges brings more vertex ids than it keeps', () => {
    const work = join(dir, 'split2')
    mkdirSync(work)
    writeFileSync(join(dir, 'many.csv'), 'a,u\nb,u\na,u\nc,u\nd,u\n')
    writeFileSync(join(dir, 'e.csv'), 'a,b,u\n')
    const files = { vertexFiles: [{ path: 'many.csv', file: join(dir, 'many.csv') }], delimiter: ',', graphLabels: [{ kind: 'vertex' as const, name: 'u', properties: [] }], maxVertexIds: 2 }
    const r = splitGesFiles({ workDir: work, edgeFiles: [{ path: 'e.csv', file: join(dir, 'e.csv') }], ...files }, () => false)
    expect(r.tooLarge?.message).toMatch(/more than 2 vertex ids, the most an import-graph with edge files reads here/)
    expect(r.tooLarge?.cause).toEqual({ kind: 'too_large', code: 'too_many_vertices' })
    expect(r.edges).toEqual([])
    // without edge files no id is kept, so there is no limit
    const alone = splitGesFiles({ workDir: work, edgeFiles: [], ...files }, () => false)
    expect(alone.tooLarge).toBeUndefined()
    expect(alone.vertices).toMatchObject([{ total_lines: 5, failed_lines: 0 }])
  })

  it('reports a schema file it cannot use, with the cause the job fails with, and splits nothing', () => {
    const work = join(dir, 'split5')
    mkdirSync(work)
    writeFileSync(join(dir, 'bad.xml'), '<labels><label kind="x"></label></labels>')
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'sv.csv', file: join(dir, 'sv.csv') }], edgeFiles: [], delimiter: ',', schema: { path: 'bad.xml', file: join(dir, 'bad.xml') }, graphLabels: [] }, () => false)
    expect(r.schemaFailure).toEqual({ message: 'bad.xml: a <label> has no name', cause: { kind: 'invalid', code: 'invalid_schema' } })
    expect(r.vertices).toEqual([])
    expect(readdirSync(work)).toEqual([])
    // a name the native schema API refuses fails the same way, with its text (the worker's parse is parseGesSchema)
    writeFileSync(join(dir, 'name.xml'), '<labels><label name="my.label"/></labels>')
    const named = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'sv.csv', file: join(dir, 'sv.csv') }], edgeFiles: [], delimiter: ',', schema: { path: 'name.xml', file: join(dir, 'name.xml') }, graphLabels: [] }, () => false)
    expect(named.schemaFailure?.message).toBe(`name.xml: label "my.label": ${nativeText(checkLabelName, 'my.label')}`)
    expect(named.schemaFailure?.cause).toEqual({ kind: 'invalid', code: 'invalid_name' })
    expect(readdirSync(work)).toEqual([])
  })

  it('refuses more labels than a graph holds before writing a split file, naming the count and the cap; up to the cap it splits', () => {
    const work = join(dir, 'split7')
    mkdirSync(work)
    // the graph holds 2 labels (vertex a0 and edge a0); one label more than fits, then exactly as many as fit
    const count = MAX_LABELS - 2 + 1
    const schema = Array.from({ length: count + 10 }, (_, i) => `<label name="a${i}"/>`).join('')
    writeFileSync(join(dir, 'many-labels.xml'), `<labels>${schema}</labels>`)
    const graphLabels = [{ kind: 'vertex' as const, name: 'a0', properties: [] }, { kind: 'edge' as const, name: 'a0', properties: [] }]
    // each new label twice, and the graph's own a0: distinct labels are counted once, the graph's not at all
    writeFileSync(join(dir, 'many-labels.csv'), Array.from({ length: 2 * count }, (_, i) => `v${i},a${(i % count) + 1}\n`).join('') + 'w,a0\n')
    const input = { workDir: work, vertexFiles: [{ path: 'many-labels.csv', file: join(dir, 'many-labels.csv') }], edgeFiles: [], delimiter: ',', schema: { path: 'many-labels.xml', file: join(dir, 'many-labels.xml') }, graphLabels }
    const r = splitGesFiles(input, () => false)
    expect(r.tooLarge).toEqual({
      message: `the lines use ${count.toLocaleString('en')} labels the graph lacks; with the graph's 2 that is ${(count + 2).toLocaleString('en')}, more than ${MAX_LABELS.toLocaleString('en')}, the most labels a graph holds (a GES label that vertex and edge lines both use counts twice: a vertex label and an edge label)`,
      cause: { kind: 'too_large', code: 'too_many_labels' },
    })
    expect(readdirSync(work)).toEqual([])
    writeFileSync(join(dir, 'many-labels.csv'), Array.from({ length: count - 1 }, (_, i) => `v${i},a${i + 1}\n`).join(''))
    const fits = splitGesFiles(input, () => false)
    expect(fits.tooLarge).toBeUndefined()
    expect(readdirSync(work)).toHaveLength(MAX_LABELS - 2)
  })

  // #9, fixges4: labels are capped (MAX_LABELS), split files were not: a file is split per label and
  // an edge file per label and endpoint labels, so 64 vertex labels and one edge label between all of
  // them made 4,160 split files (and 4,096 labels could make millions), each a file in the import's
  // report. The split now ends at the first line that would make one split file past the cap.
  it('ends at the line that would make more split files than the cap, naming the file, the line and the cap', () => {
    const work = join(dir, 'split8')
    mkdirSync(work)
    const n = 64
    const graphLabels = [...Array.from({ length: n }, (_, i) => ({ kind: 'vertex' as const, name: `u${i}`, properties: [] })), { kind: 'edge' as const, name: 'k', properties: [] }]
    writeFileSync(join(dir, 'pairs-v.csv'), Array.from({ length: n }, (_, i) => `v${i},u${i}\n`).join(''))
    // one edge line per pair of vertex labels: split file 64 + i·64 + j, the 4,097th at line 4,033
    writeFileSync(join(dir, 'pairs-e.csv'), Array.from({ length: n * n }, (_, c) => `v${Math.floor(c / n)},v${c % n},k\n`).join(''))
    const input = { workDir: work, vertexFiles: [{ path: 'pairs-v.csv', file: join(dir, 'pairs-v.csv') }], edgeFiles: [{ path: 'pairs-e.csv', file: join(dir, 'pairs-e.csv') }], delimiter: ',', graphLabels }
    const r = splitGesFiles(input, () => false)
    expect(r.tooLarge).toEqual({
      message: 'pairs-e.csv line 4,033: the line needs split file 4,097 (edge label k from u63 to u0); an import-graph splits its files into at most 4,096 (one per file and label, for edges per label and endpoint labels): import the files in several imports, or with fewer labels each',
      cause: { kind: 'too_large', code: 'too_many_split_files' },
    })
    expect(r.parts).toHaveLength(4096)
    expect(r.edges).toMatchObject([{ path: 'pairs-e.csv', total_lines: 4033 }]) // read no further
    expect(readdirSync(work)).toEqual([]) // the lines are short: nothing was flushed before the end
    // one pair fewer fits
    writeFileSync(join(dir, 'pairs-e.csv'), Array.from({ length: 4096 - n }, (_, c) => `v${Math.floor(c / n)},v${c % n},k\n`).join(''))
    const fits = splitGesFiles(input, () => false)
    expect(fits.tooLarge).toBeUndefined()
    expect(readdirSync(work)).toHaveLength(4096)
  })

  it('removes a work folder of many files (in a graph worker: removeWorkDir), and nothing that is not a work folder', () => {
    const work = join(dir, 'home', '.ges-import', 'job1')
    mkdirSync(work, { recursive: true })
    for (let i = 0; i < 2000; i++) writeFileSync(join(work, `0.v.${i}.csv`), 'a\n')
    removeWorkDir(work)
    expect(readdirSync(join(dir, 'home', '.ges-import'))).toEqual([])
    removeWorkDir(work) // gone already: nothing to do
    expect(() => removeWorkDir(join(dir, 'home'))).toThrow(/not a GES work folder/)
    expect(() => removeWorkDir(join(dir, 'home', '.ges-import', '..'))).toThrow(/not a GES work folder/)
    expect(readdirSync(join(dir, 'home'))).toEqual(['.ges-import'])
  })

  it('sets aside at start-up every work folder a stopped process left, with those set aside before; follows no symbolic link', () => {
    const data = join(dir, 'sweep')
    const ann = join(data, 'upload_files', 'ann', '.ges-import')
    mkdirSync(join(ann, 'job1'), { recursive: true })
    writeFileSync(join(ann, 'job1', '0.v.0.csv'), 'a\n')
    mkdirSync(join(ann, 'stale-5-job0')) // an earlier start's, not removed (it died too)
    writeFileSync(join(ann, 'note.txt'), 'not a work folder')
    // bob's .ges-import is a link to a folder elsewhere: nothing there is touched
    const elsewhere = join(dir, 'elsewhere')
    mkdirSync(join(elsewhere, 'job2'), { recursive: true })
    mkdirSync(join(data, 'upload_files', 'bob'), { recursive: true })
    symlinkSync(elsewhere, join(data, 'upload_files', 'bob', '.ges-import'))
    const warnings: string[] = []
    const stale = setAsideGesWorkDirs(data, (w) => warnings.push(w), 7)
    expect(stale.sort((a, b) => a.job.localeCompare(b.job))).toEqual([
      { dir: join(ann, 'stale-5-job0'), job: 'job0', user: 'ann' },
      { dir: join(ann, 'stale-7-job1'), job: 'job1', user: 'ann' },
    ])
    expect(warnings).toEqual([])
    // a job run again under uuid job1 gets a fresh folder beside the one being removed
    expect(readdirSync(ann).sort()).toEqual(['note.txt', 'stale-5-job0', 'stale-7-job1'])
    expect(readdirSync(elsewhere)).toEqual(['job2'])
    for (const s of stale) removeWorkDir(s.dir) // what the graph worker does with them
    expect(readdirSync(ann)).toEqual(['note.txt'])
    expect(setAsideGesWorkDirs(join(dir, 'no-such-data'), (w) => warnings.push(w))).toEqual([])
  })

  it('stops when its stop flag is set', () => {
    const work = join(dir, 'split3')
    mkdirSync(work)
    writeFileSync(join(dir, 'long.csv'), Array.from({ length: 10_000 }, (_, i) => `v${i},u\n`).join(''))
    const r = splitGesFiles({ workDir: work, vertexFiles: [{ path: 'long.csv', file: join(dir, 'long.csv') }], edgeFiles: [], delimiter: ',', graphLabels: [{ kind: 'vertex' as const, name: 'u', properties: [] }] }, () => true)
    expect(r.stopped).toBe(true)
    expect(r.vertices[0].total_lines).toBeLessThan(10_000)
  })
})
