// GES's graph metadata file (the schema XML an import-graph names in schema_path): labels with
// typed properties, e.g.
//   <PMML version="3.0" ...><labels><label name="user"><properties>
//     <property name="Name" cardinality="single" dataType="string"/> …
// A GES label serves vertices and edges alike; JobDesk makes a vertex label (primary `id`, the GES
// vertex id, STRING) and an edge label of that name as the data needs them, every property optional.
import type { PropertyType } from '../../../shared/graph'
import { graphError } from '../errors'

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

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)
  return m?.[1]
}

/** The labels of a GES schema file. Throws invalid_schema naming what is wrong. */
export function parseGesSchema(xml: string, file: string): GesLabel[] {
  if (!/<labels[\s>]/.test(xml)) throw graphError('invalid_schema', `${file}: not a GES schema file (no <labels> element)`)
  const labels: GesLabel[] = []
  const labelRe = /<label\b([^>]*?)(\/>|>([\s\S]*?)<\/label>)/g
  for (let m = labelRe.exec(xml); m; m = labelRe.exec(xml)) {
    const name = attr(m[1], 'name')
    if (!name) throw graphError('invalid_schema', `${file}: a <label> has no name`)
    const properties: GesLabel['properties'] = []
    const propRe = /<property\b([^>]*?)\/?>/g
    const body = m[3] ?? ''
    for (let p = propRe.exec(body); p; p = propRe.exec(body)) {
      const prop = attr(p[1], 'name')
      const dataType = (attr(p[1], 'dataType') ?? 'string').toLowerCase()
      if (!prop) throw graphError('invalid_schema', `${file}: a property of label ${name} has no name`)
      const type = TYPES[dataType]
      if (!type) throw graphError('invalid_schema', `${file}: property ${prop} of label ${name} has dataType ${dataType}; GES types are ${Object.keys(TYPES).join(', ')}`)
      if (prop === 'id') throw graphError('invalid_schema', `${file}: label ${name} has a property named id, which JobDesk keeps for the GES vertex id`)
      properties.push({ name: prop, type })
    }
    labels.push({ name, properties })
  }
  return labels
}
