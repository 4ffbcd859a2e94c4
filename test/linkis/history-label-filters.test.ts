// Linkis job history's label filters (jobhistory/list and listundonetasks: proxyUser or the caller,
// engineType / executeApplicationName, creator, runType) look each label up in its index (migrations
// 026 and 028, store/jobs/job-listing.ts HISTORY_WHERE) instead of in every row's labels, which
// json_extract parses whole: a job stored before the labels' bounds may keep megabytes of them. The
// answers are those of the filters written over the labels (REFERENCE_WHERE, the clause before).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HISTORY_WHERE, historyParams, type HistoryQuery } from '../../electron/store/job.repository'
import { tempStore } from '../support/temp-store'

/** The history's filters as they read every row's labels (the clause HISTORY_WHERE replaced): what the answers must equal. */
const REFERENCE_WHERE = `
    WHERE (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))
      AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to)
      AND (@user IS NULL OR submitter = @user OR coalesce(json_extract(labels, '$.executeUser'), submitter) = @user)
      AND (@engine IS NULL OR coalesce(json_extract(labels, '$.engineType'), kind) LIKE @engine || '%')
      AND (@creator IS NULL OR json_extract(labels, '$.creator') = @creator)
      AND (@runType IS NULL OR json_extract(labels, '$.runType') = @runType)
      AND (@minId IS NULL OR id >= @minId)`

let t: ReturnType<typeof tempStore>
beforeAll(() => {
  t = tempStore()
  const labelSets: Record<string, string>[] = [
    {},
    { dialect: 'linkis', engineType: 'shell-1', runType: 'sh', creator: 'IDE' },
    { dialect: 'linkis', engineType: 'python-python3', runType: 'py', creator: 'IDE', executeUser: 'bob' },
    { dialect: 'linkis', engineType: 'Shell-2', runType: 'sh', creator: 'scheduler', executeUser: 'alice' },
    { dialect: 'linkis', engineType: 'jdbc-4', runType: 'sql', creator: 'IDE' },
    { dialect: 'rillflow', executeUser: 'bob' },
    { creator: 'IDE' },
    { engineType: 'spark_3', runType: 'scala' },
  ]
  const kinds = ['script', 'workflow', 'dag', 'import'] as const
  const submitters = ['admin', 'bob', 'alice']
  let n = 0
  for (const labels of labelSets)
    for (const kind of kinds)
      for (const submitter of submitters) t.store.jobs.create({ uuid: randomUUID(), kind, name: `j${n++}`, submitter, labels }, [])
  t.store.db.exec("UPDATE jobs SET status = CASE id % 3 WHEN 0 THEN 'running' WHEN 1 THEN 'succeeded' ELSE 'failed' END")
})
afterAll(() => t.cleanup())

const base: HistoryQuery = { offset: 0, limit: 500 }
const queries: [string, Partial<HistoryQuery>][] = [
  ['none', {}],
  ['creator IDE', { creator: 'IDE' }],
  ['creator scheduler', { creator: 'scheduler' }],
  ['creator unknown', { creator: 'nobody' }],
  ['engine shell (prefix, any case)', { engine: 'shell' }],
  ['engine py', { engine: 'py' }],
  ['engine by kind, no engineType label', { engine: 'script' }],
  ['engine da (a kind prefix)', { engine: 'da' }],
  ['engine with a LIKE wildcard', { engine: 's_ell' }],
  ['runType sh', { runType: 'sh' }],
  ['runType scala', { runType: 'scala' }],
  ['user bob (submitter or execute user)', { user: 'bob' }],
  ['user alice', { user: 'alice' }],
  ['user admin', { user: 'admin' }],
  ['all of them', { user: 'bob', engine: 'python', creator: 'IDE', runType: 'py' }],
  ['engine and creator', { engine: 'shell', creator: 'IDE' }],
  ['statuses, min id and creator', { statuses: ['running', 'failed'], minId: 20, creator: 'IDE' }],
  ['ids and user', { ids: [1, 2, 3, 40, 41, 42], user: 'alice' }],
]

const params = historyParams

describe('Linkis job history label filters', () => {
  it('answer as the filters over each row\'s labels did, page and total', () => {
    const reference = t.store.db.prepare(`SELECT id FROM jobs ${REFERENCE_WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    const referenceCount = t.store.db.prepare(`SELECT count(*) AS n FROM jobs ${REFERENCE_WHERE}`)
    let matched = 0
    for (const [what, filters] of queries) {
      for (const page of [base, { offset: 3, limit: 5 }]) {
        const q = { ...page, ...filters }
        const want = (reference.all({ ...params(q), limit: q.limit, offset: q.offset }) as { id: number }[]).map((r) => r.id)
        const got = t.store.jobs.history(q)
        expect(got.items.map((j) => j.id), what).toEqual(want)
        expect(got.total, what).toBe((referenceCount.get(params(q)) as { n: number }).n)
        matched += want.length
      }
    }
    expect(matched).toBeGreaterThan(100) // the filters select jobs, not nothing
  })

  it("reads no row's labels: every label filter is looked up in an index", () => {
    const q = { ...base, user: 'bob', engine: 'shell', creator: 'IDE', runType: 'sh', statuses: ['running' as const], minId: 1 }
    // the bytecode of the filter: no call of a JSON function on a row (json_each of the ids parameter is a table, not a call)
    const program = t.store.db.prepare(`EXPLAIN SELECT count(*) FROM jobs ${HISTORY_WHERE}`).all(params(q)) as { opcode: string; p4: string | null }[]
    const calls = program.filter((op) => /Function/.test(op.opcode)).map((op) => String(op.p4))
    expect(calls.filter((name) => name.startsWith('json'))).toEqual([])
    const plan = (t.store.db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM jobs ${HISTORY_WHERE}`).all(params(q)) as { detail: string }[]).map((r) => r.detail).join('\n')
    for (const index of ['jobs_by_execute_user', 'jobs_by_engine_type_label', 'jobs_by_creator_label', 'jobs_by_run_type_label']) expect(plan).toContain(index)
  })
})
