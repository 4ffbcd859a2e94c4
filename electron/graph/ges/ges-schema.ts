// GES's graph metadata file (the schema XML an import-graph names in schema_path): labels with
// typed properties, e.g.
//   <PMML version="3.0" ...><labels><label name="user"><properties>
//     <property name="Name" cardinality="single" dataType="string"/> …
// A GES label serves vertices and edges alike; JobDesk makes a vertex label (primary `id`, the GES
// vertex id, STRING) and an edge label of that name as the data needs them, every property optional.
// Label and property names are judged by the rule of the native schema API (shared/graph-names.ts)
// when the file is read, so a name it refuses is refused before the import creates anything. The
// file is read in a graph worker: the request worker when the request comes ('ges.schema'), the
// split's worker in the task (ges-split.ts).
import { readFileSync, statSync } from 'node:fs'
import type { PropertyType } from '../../../shared/graph'
import { fieldNameProblem, labelNameProblem } from '../../../shared/graph-names'
import { graphError } from '../errors'
import { RESERVED_COLUMNS } from '../store/names'

export interface GesLabel {
  name: string
  properties: { name: string; type: PropertyType }[]
}

/** GES dataType → TuGraph type. Dates, enums and chars stay text: GES's date forms vary. */
const TYPES: Record<string, PropertyType> = {
  int: 'INT32',
  long: 'INT64',
  float: 'FLOAT',
  double: 'DOUBLE',
  bool: 'BOOL',
  boolean: 'BOOL',
  string: 'STRING',
  char: 'STRING',
  'char array': 'STRING',
  enum: 'STRING',
  date: 'STRING',
}

/** The request field every schema error names (GES's import-graph body). */
const FIELD = 'schema_path'
/** Largest schema XML: metadata of a few labels is kilobytes; it is read whole, in a graph worker (at submit and in the task). */
export const MAX_SCHEMA_BYTES = 4 << 20

const invalid = (message: string) => graphError('invalid_schema', message, { field: FIELD })

/**
 * Reads and parses the schema file at the resolved path `file` (`path`: as the request named it,
 * for messages). Throws invalid_schema (over MAX_SCHEMA_BYTES, malformed) or invalid_name
 * (parseGesSchema), both naming the field schema_path, or what reading the file throws.
 */
export function readGesSchemaFile(file: string, path: string): GesLabel[] {
  const size = statSync(file).size
  if (size > MAX_SCHEMA_BYTES) throw invalid(`${path}: a schema file of ${size} bytes; GES schema files here are at most ${MAX_SCHEMA_BYTES / 2 ** 20} MiB`)
  return parseGesSchema(readFileSync(file, 'utf8'), path)
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)
  return m?.[1]
}

/**
 * The labels of a GES schema file. Throws invalid_schema naming what is wrong, or invalid_name for a
 * label or property name the native schema API refuses (its text, after the file and the label);
 * both name the field schema_path.
 */
export function parseGesSchema(xml: string, file: string): GesLabel[] {
  if (!/<labels[\s>]/.test(xml)) throw invalid(`${file}: not a GES schema file (no <labels> element)`)
  const labels: GesLabel[] = []
  // indexOf scanning, not a lazy regex: an unclosed <label> made the regex rescan to the end of the
  // file for every label (a 1 MB file froze the server 39 s); here an unclosed one stops the parse
  for (const m of labelElements(xml, file)) {
    const name = attr(m.tag, 'name')
    if (!name) throw invalid(`${file}: a <label> has no name`)
    const labelProblem = labelNameProblem(name)
    if (labelProblem) throw graphError('invalid_name', `${file}: label ${JSON.stringify(name)}: ${labelProblem}`, { field: FIELD })
    const properties: GesLabel['properties'] = []
    for (const p of tags(m.body, 'property', file)) {
      const prop = attr(p, 'name')
      const dataType = (attr(p, 'dataType') ?? 'string').toLowerCase()
      if (!prop) throw invalid(`${file}: a property of label ${name} has no name`)
      const type = TYPES[dataType]
      if (!type) throw invalid(`${file}: property ${prop} of label ${name} has dataType ${dataType}; GES types are ${Object.keys(TYPES).join(', ')}`)
      if (prop === 'id') throw invalid(`${file}: label ${name} has a property named id, which JobDesk keeps for the GES vertex id`)
      const propProblem = fieldNameProblem(prop)
      if (propProblem) throw graphError('invalid_name', `${file}: property ${JSON.stringify(prop)} of label ${name}: ${propProblem}`, { field: FIELD })
      if (RESERVED_COLUMNS.has(prop)) throw invalid(`${file}: property ${prop} of label ${name}: Property name cannot be "SKIP" or "SRC_ID" or "DST_ID"`)
      if (properties.some((p) => p.name === prop)) throw invalid(`${file}: label ${name}: Duplicate property definition: [${prop}]`)
      properties.push({ name: prop, type })
    }
    labels.push({ name, properties })
  }
  return labels
}

/** Each `<label …>…</label>` or `<label …/>` of the file, in one forward pass. Throws invalid_schema for an unclosed one. */
function* labelElements(xml: string, file: string): Generator<{ tag: string; body: string }> {
  for (let at = xml.indexOf('<label'); at !== -1; at = xml.indexOf('<label', at)) {
    if (!endsName(xml, at + 6)) {
      at += 6 // <labels> and the like
      continue
    }
    const tagEnd = xml.indexOf('>', at)
    if (tagEnd === -1) throw invalid(`${file}: a <label> tag is not closed`)
    if (xml[tagEnd - 1] === '/') {
      yield { tag: xml.slice(at + 6, tagEnd - 1), body: '' }
      at = tagEnd + 1
      continue
    }
    const close = xml.indexOf('</label>', tagEnd)
    if (close === -1) throw invalid(`${file}: a <label> has no </label>`)
    yield { tag: xml.slice(at + 6, tagEnd), body: xml.slice(tagEnd + 1, close) }
    at = close + 8
  }
}

/** The attribute text of each `<name …>` or `<name …/>` tag of `xml`, in one forward pass. Throws invalid_schema for an unclosed tag. */
function* tags(xml: string, name: string, file: string): Generator<string> {
  for (let at = xml.indexOf(`<${name}`); at !== -1; at = xml.indexOf(`<${name}`, at)) {
    if (!endsName(xml, at + name.length + 1)) {
      at += name.length + 1 // a longer tag name
      continue
    }
    const end = xml.indexOf('>', at)
    if (end === -1) throw invalid(`${file}: a <${name}> tag is not closed`)
    yield xml.slice(at + name.length + 1, xml[end - 1] === '/' ? end - 1 : end)
    at = end + 1
  }
}

/** Whether the character at `i` ends a tag name (white space, `/` or `>`), as the old regexes' \b did. */
function endsName(xml: string, i: number): boolean {
  const c = xml.charCodeAt(i)
  return c === 0x20 || c === 0x2f || c === 0x3e || c === 0x09 || c === 0x0a || c === 0x0d
}
