// TuGraph's name rules (shared/graph-names.ts) as the graph store's invalid_name errors.
import { fieldNameProblem, graphNameProblem, labelNameProblem, newGraphNameProblem } from '../../../shared/graph-names'
import { graphError } from '../errors'

/** Limits of tugraph-db src/core/defs.h. */
export const MAX_LABELS = 4096
export const MAX_FIELDS = 1024

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
