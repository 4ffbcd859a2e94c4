// A job's name is shown in every view of jobs (the Jobs page, Linkis job history, the GES job center),
// so it may hold no control or invisible character (#9, shared/hidden-chars.ts): U+202E in a name is
// drawn reversed, the Trojan-Source trick. The engine asks it of every job it is given (assertJobName
// in Engine.submitMany), so no kind of job (script, algorithm, import, workflow, rerun) can miss it;
// the services that name a job from text given to them use newJobName (a Rill Flow execution's name,
// workspace:dag, is alphanumeric by its descriptor's rule).

import { assertNameChars, cutText, nameFromText } from '../../shared/hidden-chars'

/** The longest name a person gives a job that is kept, in UTF-16 units: a longer one is cut. */
export const MAX_JOB_NAME = 200

/**
 * The name of a new job: `given` trimmed (and cut to MAX_JOB_NAME, between characters: cutText) when it is a non-empty string,
 * left for assertJobName to judge; else `derived()`, text JobDesk made from what it was given (a
 * code's first line, files' paths, an older job's name), its hidden characters removed (nameFromText)
 * so that a name nobody typed is never the reason a job is refused. A derived name's length is its
 * maker's to choose.
 */
export function newJobName(given: unknown, derived: () => string): string {
  if (typeof given === 'string' && given.trim()) return cutText(given.trim(), MAX_JOB_NAME)
  return nameFromText(derived())
}

/** `name` when it may name a job; else throws AppError invalid `name_hidden_char` for the field `name` (assertNameChars). */
export const assertJobName = (name: string): string => assertNameChars(name, 'name')
