// Sorted and filtered reads of a stored result set (store/result-query.ts): the filter text is
// compared as the cells are folded, so what a cell shows always finds that cell.
import { afterEach, describe, expect, it } from 'vitest'
import { createResultQueries, type ResultQuery } from '../../electron/store/result-query'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup(rows: unknown[][]) {
  const t = tempStore()
  cleanup = t.cleanup
  const jobId = t.store.jobs.create({ uuid: 'uuid-query', kind: 'script', name: 'query', submitter: 'admin' }, [{ name: 'main', executor: 'sql' }])
  const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns: [{ name: 'name', type: '' }] })
  t.store.results.append(set, 0, rows)
  t.store.results.finish(set, 'complete')
  const queries = createResultQueries(t.store.db)
  // a page as its JSON text (jsonPage), read back as rows
  const read = (setId: number, query: ResultQuery, offset: number, limit: number) => {
    const page = queries.jsonPage({ id: setId, rowCount: rows.length }, query, offset, limit)
    return { rows: JSON.parse(page.json) as unknown[][], matched: page.matched }
  }
  return { queries: { read }, setId: set.id }
}

describe('result filter', () => {
  it('finds a cell holding non-ASCII capitals by its own text, and ASCII letters in any case (#13.5)', () => {
    const { queries, setId } = setup([['Émile Zola'], ['ÅSA'], ['emile'], ['Ölund']])
    // the text exactly as the cell shows it
    expect(queries.read(setId, { filter: 'Émile' }, 0, 10)).toMatchObject({ rows: [['Émile Zola']], matched: 1 })
    expect(queries.read(setId, { filter: 'ÅSA' }, 0, 10).rows).toEqual([['ÅSA']])
    expect(queries.read(setId, { filter: 'Ölund' }, 0, 10).rows).toEqual([['Ölund']])
    // ASCII letters fold both ways, as documented
    expect(queries.read(setId, { filter: 'ÉMILE ZOLA' }, 0, 10).rows).toEqual([['Émile Zola']])
    expect(queries.read(setId, { filter: 'EMILE' }, 0, 10).rows).toEqual([['emile']])
  })
})
