// The URL's hash as the view (#13.1): what parseRoute reads from hand-typed, old or hostile
// hashes, and that formatRoute writes what parseRoute reads back.
import { describe, expect, it } from 'vitest'
import { formatRoute, parseRoute, type Route } from '../../renderer/src/stores/route'

describe('route in the URL hash', () => {
  it.each<[string, Route]>([
    ['', { page: 'jobs' }],
    ['#/', { page: 'jobs' }],
    ['#/jobs/12', { page: 'jobs', job: 12 }],
    ['#jobs/12', { page: 'jobs', job: 12 }],
    ['#/scripts/7', { page: 'scripts', job: 7 }],
    ['#/imports/3', { page: 'imports', job: 3 }],
    ['#/settings', { page: 'settings' }],
    // the Jobs list's search, filters and sort (#13.1): kept over a reload and in a shared link
    ['#/jobs?q=trial%3Akept&status=failed&type=workflow', { page: 'jobs', jobsView: { text: 'trial:kept', status: 'failed', type: 'workflow' } }],
    ['#/jobs/12?sort=name&order=asc', { page: 'jobs', job: 12, jobsView: { sort: 'name', order: 'asc' } }],
    // sub-flows: listed as rows (`all`), or one job's (its id); none is the default, top-level jobs
    ['#/jobs?parent=all', { page: 'jobs', jobsView: { parent: 'all' } }],
    ['#/jobs/13?parent=12', { page: 'jobs', job: 13, jobsView: { parent: 12 } }],
    ['#/settings/12', { page: 'settings' }],
    // the Settings section jumped to from its section nav
    ['#/settings/users', { page: 'settings', settingsSection: 'users' }],
    ['#/settings/access-keys', { page: 'settings', settingsSection: 'access-keys' }],
    ['#/workflows/demo%3Aflow%3Amd5_abc?execution=9', { page: 'workflows', descriptor: 'demo:flow:md5_abc', execution: 9 }],
    ['#/workflows?execution=9', { page: 'workflows', execution: 9 }],
    // the Graph page's tab, and the graph workflow on its canvas (#13.1, #15.2)
    ['#/graph', { page: 'graph' }],
    ['#/graph/query', { page: 'graph', graphTab: 'explore' }],
    ['#/graph/graphs', { page: 'graph', graphTab: 'graphs' }],
    ['#/graph/workflows', { page: 'graph', graphTab: 'workflows' }],
    ['#/graph/workflows/new', { page: 'graph', graphTab: 'workflows', graphWorkflow: 'new' }],
    ['#/graph/workflows/9146809409', { page: 'graph', graphTab: 'workflows', graphWorkflow: 9146809409 }],
    ['#/graph/workflows/12?version=2&job=40', { page: 'graph', graphTab: 'workflows', graphWorkflow: 12, version: 2, job: 40 }],
    ['#/graph/workflows/12?job=40', { page: 'graph', graphTab: 'workflows', graphWorkflow: 12, job: 40 }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route)
    expect(parseRoute(formatRoute(route))).toEqual(route)
  })

  it('drops what is not a page, a positive id or a decodable descriptor, and never throws', () => {
    expect(parseRoute('#/nope/12')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/jobs/abc')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/jobs/0')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/jobs/-4')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/jobs/1e5')).toEqual({ page: 'jobs' })
    expect(parseRoute(`#/jobs/${'9'.repeat(400)}`)).toEqual({ page: 'jobs' })
    expect(parseRoute('#/workflows/%E0%A4%A')).toEqual({ page: 'workflows' })
    expect(parseRoute('#/workflows/x?execution=<script>')).toEqual({ page: 'workflows', descriptor: 'x' })
    expect(parseRoute('#/__proto__/1')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/graph/explore')).toEqual({ page: 'graph' }) // the store's word is not the URL's
    expect(parseRoute('#/graph/constructor')).toEqual({ page: 'graph' })
    expect(parseRoute('#/settings/toString')).toEqual({ page: 'settings' })
    expect(parseRoute('#/graph/query/12?job=3')).toEqual({ page: 'graph', graphTab: 'explore' })
    expect(parseRoute('#/graph/workflows/x1?job=3')).toEqual({ page: 'graph', graphTab: 'workflows' })
    expect(parseRoute('#/graph/workflows/new?job=3')).toEqual({ page: 'graph', graphTab: 'workflows', graphWorkflow: 'new' })
    expect(parseRoute('#/graph/workflows/12?version=0&job=-1')).toEqual({ page: 'graph', graphTab: 'workflows', graphWorkflow: 12 })
  })

  it('keeps only known Jobs filter values, and writes the default view as a bare path', () => {
    expect(parseRoute('#/jobs?status=exploded&type=<b>&sort=__proto__&order=up&q=&parent=none')).toEqual({ page: 'jobs' })
    expect(parseRoute('#/jobs?parent=0')).toEqual({ page: 'jobs' })
    expect(formatRoute({ page: 'jobs', jobsView: { parent: 'none' } })).toBe('#/jobs')
    expect(formatRoute({ page: 'jobs', jobsView: { parent: 12 } })).toBe('#/jobs?parent=12')
    expect(parseRoute('#/scripts/3?status=failed')).toEqual({ page: 'scripts', job: 3 })
    expect(formatRoute({ page: 'jobs', jobsView: { sort: 'id', order: 'desc' } })).toBe('#/jobs')
    expect(formatRoute({ page: 'jobs', job: 4, jobsView: { text: 'a&b #c', status: 'running' } })).toBe('#/jobs/4?q=a%26b+%23c&status=running')
    expect(parseRoute(formatRoute({ page: 'jobs', jobsView: { text: 'a&b #c' } }))).toEqual({ page: 'jobs', jobsView: { text: 'a&b #c' } })
  })

  it('writes the Graph page in the words its tabs show, the version and job only with a workflow', () => {
    expect(formatRoute({ page: 'graph', graphTab: 'explore' })).toBe('#/graph/query')
    expect(formatRoute({ page: 'graph', graphTab: 'workflows', graphWorkflow: 12, version: 2, job: 40 })).toBe('#/graph/workflows/12?version=2&job=40')
    expect(formatRoute({ page: 'graph', graphTab: 'workflows', job: 40 })).toBe('#/graph/workflows')
    expect(formatRoute({ page: 'graph', graphTab: 'graphs', graphWorkflow: 12 })).toBe('#/graph/graphs')
  })

  it('writes descriptor ids so that any character survives', () => {
    const route: Route = { page: 'workflows', descriptor: 'ws:a/b?c#d&e:md5_0', execution: 1 }
    expect(formatRoute(route)).toBe('#/workflows/ws%3Aa%2Fb%3Fc%23d%26e%3Amd5_0?execution=1')
    expect(parseRoute(formatRoute(route))).toEqual(route)
  })
})
