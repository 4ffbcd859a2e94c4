// TuGraph's name rules (shared/graph-names.ts) as the graph store's invalid_name errors.
import type { LabelDef } from '../../../shared/graph'
import { fieldNameProblem, graphNameProblem, labelNameProblem, newGraphNameProblem } from '../../../shared/graph-names'
import { graphError } from '../errors'

/** Limits of tugraph-db src/core/defs.h. */
export const MAX_LABELS = 4096
export const MAX_FIELDS = 1024
/**
 * JobDesk's bound (TuGraph has none): a graph's label definitions, as stored (JSON, UTF-8), total at
 * most this. MAX_LABELS × MAX_FIELDS of 256-byte names would be ~1.2 GB, and every answer carrying the
 * schema (graphs.get, the Explorer's sidebar) would be that big; 4 MiB holds 4,096 labels of a dozen
 * properties, or a dozen labels of 1,024 properties with the longest names.
 */
export const MAX_SCHEMA_BYTES = 4 * 2 ** 20

/** Bytes a label's definition takes as stored (JSON, UTF-8): what MAX_SCHEMA_BYTES bounds, summed over a graph's labels. */
export const defBytes = (def: LabelDef): number => Buffer.byteLength(JSON.stringify(def))

/**
 * Throws invalid_schema (field `field`) when a graph's label definitions would take `bytes` (defBytes
 * summed), more than MAX_SCHEMA_BYTES. The one rule of the bound: the store applies it inside the
 * write that changes a schema (GraphDb.checkSchemaBytes), an algorithm's write-back also at submit.
 */
export function requireSchemaBytes(bytes: number, field = 'schema'): void {
  if (bytes > MAX_SCHEMA_BYTES) {
    throw graphError('invalid_schema', `"schema": the graph's label definitions would take ${bytes} bytes, more than ${MAX_SCHEMA_BYTES} (${MAX_SCHEMA_BYTES / 2 ** 20} MiB), the most a graph's schema holds`, { field })
  }
}

function check(name: unknown, problem: string | null): string {
  if (problem) throw graphError('invalid_name', problem)
  return name as string
}

/** A graph name as TuGraph allows it (and as a file name on every OS); returns it or throws invalid_name. */
export function checkGraphName(name: unknown): string {
  const problem = graphNameProblem(name)
  if (problem) throw graphError('invalid_name', problem)
  return name as string
}

/** The name of a graph about to be made (checkGraphName, and no control or invisible character); returns it or throws invalid_name. */
export const checkNewGraphName = (name: unknown): string => check(name, newGraphNameProblem(name))

export const checkLabelName = (name: unknown): string => check(name, labelNameProblem(name))
export const checkFieldName = (name: unknown): string => check(name, fieldNameProblem(name))

/** Column words of a file mapping that are not property names. */
export const RESERVED_COLUMNS: ReadonlySet<string> = new Set(['SKIP', 'SRC_ID', 'DST_ID'])
