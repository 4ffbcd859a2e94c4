// Cypher's errors: graph AppErrors (../errors.ts) with the cypher_* and query_* codes.
import type { AppError } from '../../../shared/errors'
import { graphError, type GraphErrorCode } from '../errors'

type CypherErrorCode = Extract<GraphErrorCode, `cypher_${string}` | `query_${string}` | 'index_conflict' | 'invalid_value' | 'label_not_found' | 'constraint_violation' | 'missing_vertex'>

/** An AppError of the Cypher engine; `where.line`/`column` locate it in the query text. */
export function cypherError(code: CypherErrorCode, message: string, where: { line?: number; column?: number } = {}): AppError {
  return graphError(code, message, { line: where.line, column: where.column })
}

/** A runtime failure (a type error, a bad argument). */
export const runtimeError = (message: string): AppError => cypherError('cypher_runtime', message)
