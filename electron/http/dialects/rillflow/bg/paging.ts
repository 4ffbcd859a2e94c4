import { invalid } from '../../../../../shared/errors'
import { JAVA_INT, queryInteger } from '../../../query'

/** Most rows one console page may ask for (upstream's TaskTemplateService caps its pages at 500). */
export const MAX_PAGE_SIZE = 500

export interface ConsolePage {
  page: number
  pageSize: number
  offset: number
}

/**
 * The page the console's tables ask for (vben BasicTable: `page` and `pageSize`; the list URLs also
 * carry `current=1`, read when `page` is absent). Numbers must be plain integers: page ≥ 1,
 * 1 ≤ pageSize ≤ 500. Throws AppError invalid `bad_number` naming the parameter.
 */
export function consolePage(q: Record<string, string | undefined>, defaults: { pageSize: number; sizeParam?: string } = { pageSize: 10 }): ConsolePage {
  const sizeParam = defaults.sizeParam ?? 'pageSize'
  const current = queryInteger(q.current, 'current', { min: 1, max: JAVA_INT.max }, 1)
  const page = queryInteger(q.page, 'page', { min: 1, max: JAVA_INT.max }, current)
  const pageSize = queryInteger(q[sizeParam], sizeParam, { min: 1, max: MAX_PAGE_SIZE }, defaults.pageSize)
  return { page, pageSize, offset: (page - 1) * pageSize }
}

/** The rows of one page of an in-memory list. */
export const pageOf = <T>(rows: readonly T[], p: ConsolePage): T[] => rows.slice(p.offset, p.offset + p.pageSize)

/** A query value that is given and not blank (the console sends empty search fields). */
export const given = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined)

/** A required parameter, or Spring's binding error naming it (422, 30109). */
export function requiredParam(q: Record<string, string | undefined>, name: string): string {
  const v = given(q[name])
  if (v === undefined) throw invalid('missing_param', `Required request parameter '${name}' for method parameter type String is not present`, name)
  return v
}
