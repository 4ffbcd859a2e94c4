// Reading with Jayway's configurations: plain reads (DEFAULT_PATH_LEAF_TO_NULL) and condition checks.

import { PathNotFoundError } from './errors'
import { compilePath } from './parser'
import { walkValues, type WalkOptions } from './walk'
import { PathBudgetError, PathWork } from './work'

export const READ_OPTIONS: WalkOptions = { leafToNull: true, suppress: false, requireProps: false }
const MATCH_OPTIONS: WalkOptions = { leafToNull: false, suppress: true, requireProps: false }

/**
 * `JsonPath.using(DEFAULT_PATH_LEAF_TO_NULL).read(path)`: a definite path returns one value (a
 * missing leaf reads as null), an indefinite one (wildcard, filter, scan, slice, index list)
 * returns an array. Throws PathNotFoundError for a missing intermediate on a definite path and
 * JsonPathError for bad syntax, as Jayway does; PathBudgetError (not a JsonPathError) when the walk
 * uses up `work` (a fresh PathWork when not given).
 */
export function readPath(root: unknown, path: string, work = new PathWork()): unknown {
  const compiledPath = compilePath(path)
  const values = walkValues(compiledPath, root, root, READ_OPTIONS, work)
  if (!compiledPath.definite) return values
  if (values.length === 0) throw new PathNotFoundError(`No results for path: ${path}`)
  return values.at(-1)
}

/**
 * `SUPPRESS_EXCEPTIONS + AS_PATH_LIST`: true iff the path finds at least one node. A filter applied
 * to an object tests the object itself (`$.input.[?(@.num < 5)]` matches `{num: 3}`). Every error
 * reads as false but PathBudgetError, thrown when the walk uses up `work` (a fresh PathWork when
 * not given): a condition too costly to decide is refused, not decided.
 */
export function pathMatches(root: unknown, path: string, work = new PathWork()): boolean {
  try {
    return walkValues(compilePath(path), root, root, MATCH_OPTIONS, work).length > 0
  } catch (err) {
    if (err instanceof PathBudgetError) throw err
    return false
  }
}
