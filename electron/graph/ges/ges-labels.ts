// The labels a GES import-graph needs, checked and made in one step (in the graph request worker,
// 'ges.labels'): a GES label is a vertex label (primary `id`, the GES vertex id, STRING) and an edge
// label of that name as the data needs them, every property optional. The check and the creation run
// in one write transaction (BEGIN IMMEDIATE: a Cypher worker making labels waits), so of imports that
// declare the same new label at once exactly one makes it, and the others see it as made before.
// A label that exists must have every property the import gives it, with the same type; otherwise
// the import fails naming the label and the property (the same words however recently it was made).
// An existing label may have more properties than the import gives: they stay empty.
import type { LabelDef, LabelKind } from '../../../shared/graph'
import { graphError } from '../errors'
import type { GraphDb } from '../store/graph-db'
import type { GesLabel } from './ges-schema'

/** A label the import's lines use, with the properties their columns follow (the schema file's, else the graph's). */
export type GesLabelUse = GesLabel & { kind: LabelKind }

/** The label a GES label becomes when the graph lacks it. */
function labelDef(use: GesLabelUse): LabelDef {
  const properties = use.properties.map((p) => ({ ...p, optional: true }))
  return use.kind === 'vertex'
    ? ({ label: use.name, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, ...properties] } as LabelDef)
    : ({ label: use.name, type: 'EDGE', properties, constraints: [] } as LabelDef)
}

/**
 * Makes the labels of `uses` that graph `g` lacks, in one write
 * transaction with the check of those it has; returns the labels made, as `vertex P` / `edge P`.
 * Throws schema_not_comparable naming the first label (vertex labels first, as `uses` lists them)
 * and property that an existing label lacks or types otherwise; then nothing is made.
 */
export function ensureGesLabels(g: GraphDb, uses: GesLabelUse[]): string[] {
  return g.db
    .transaction(() => {
      const existing = new Map(g.labels().map((l) => [`${l.kind}:${l.name}`, l.def]))
      const create: LabelDef[] = []
      for (const use of uses) {
        const def = existing.get(`${use.kind}:${use.name}`)
        if (!def) {
          create.push(labelDef(use))
          continue
        }
        for (const p of use.properties) {
          const has = def.properties.find((d) => d.name === p.name)
          const fix = `import with a schema file that gives ${use.name} the graph's properties, or into another graph`
          if (!has) throw graphError('schema_not_comparable', `label ${use.name} of the schema file has property ${p.name} (${p.type}), which ${use.kind} label ${use.name} of graph ${g.name} does not have; ${fix}`)
          if (has.type !== p.type) throw graphError('schema_not_comparable', `label ${use.name} of the schema file has property ${p.name} as ${p.type}; ${use.kind} label ${use.name} of graph ${g.name} has it as ${has.type}; ${fix}`)
        }
      }
      if (create.length) g.addLabels(create)
      return create.map((l) => `${l.type === 'VERTEX' ? 'vertex' : 'edge'} ${l.label}`)
    })
    .immediate()
}
