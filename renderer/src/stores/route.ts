import { create } from 'zustand'
import { JOB_SORT_KEYS, type JobListQuery } from '../../../shared/api'
import { JOB_KINDS } from '../../../shared/model'
import { JOB_STATUSES } from '../../../shared/status'
import { whenSignedOut } from './user-scope'

/** The pages of the shell, in the sidebar's order, with the words the URL uses for them. */
export const PAGES = [
  { id: 'jobs', label: 'Jobs' },
  { id: 'scripts', label: 'Scripts' },
  { id: 'workflows', label: 'Workflows' },
  { id: 'imports', label: 'Imports' },
  { id: 'graph', label: 'Graph' },
  { id: 'settings', label: 'Settings' },
] as const
export type PageId = (typeof PAGES)[number]['id']

/** The Settings page's sections, in its order, with the words its section nav and the URL use for them. */
export const SETTINGS_SECTIONS = [
  { id: 'password', label: 'Password' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'access-keys', label: 'Access keys' },
  { id: 'users', label: 'Users', adminOnly: true },
  { id: 'server', label: 'Server', adminOnly: true },
  { id: 'linkis', label: 'Linkis tokens', adminOnly: true },
] as const
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['id']

/** The Graph page's tabs (the explorer store's ids), with the words the URL uses for them. */
const GRAPH_TAB_WORDS = { explore: 'query', graphs: 'graphs', workflows: 'workflows' } as const
export type GraphTab = keyof typeof GRAPH_TAB_WORDS

/**
 * Where the user is, as the URL's hash says it (so a reload, back/forward and a shared link land
 * on the same view): the page, and on it the shown job, or the workflow descriptor and execution,
 * or the Graph page's tab and, on its Workflows tab, the graph workflow, its version and job.
 *
 *   #/jobs/12 · #/jobs?q=etl&status=failed&type=workflow&sort=name&order=asc · #/scripts/12 · #/imports/12 · #/workflows/<descriptorId>?execution=12
 *   #/settings · #/settings/users (the section jumped to)
 *   #/graph/query · #/graph/graphs · #/graph/workflows · #/graph/workflows/new
 *   #/graph/workflows/<id>?version=2&job=12
 */
export interface Route {
  page: PageId
  /** The job shown on the Jobs, Scripts or Imports page, or on the graph workflow canvas. */
  job?: number
  /** The workflow descriptor open in the editor (`workspace:name:md5_…`). */
  descriptor?: string
  /** The workflow execution (its job id) shown on the graph. */
  execution?: number
  /** The Graph page's tab; none: whichever it shows. */
  graphTab?: GraphTab
  /** The graph workflow on the canvas (Explorer's numeric id), or `new` for one not saved yet; none: the list. */
  graphWorkflow?: number | 'new'
  /** The graph workflow's version shown, when it is not the latest. */
  version?: number
  /** The Jobs page's search, status and type filters and its sort (none: the whole list, newest first). */
  jobsView?: JobsView
  /** The Settings section jumped to from its section nav; none: the page's top. */
  settingsSection?: SettingsSection
}

/**
 * The Jobs list's view as the URL keeps it (`q`, `status`, `type`, `sort`, `order`, `parent`), so a
 * reload, back/forward and a shared link list the same jobs. The submit-time filter is left out: its
 * spans ("last hour") are relative to when they were chosen. `parent` is `all` (sub-flows listed as
 * rows) or a job id (its sub-flows); none: the default, top-level jobs.
 */
export type JobsView = Pick<JobListQuery, 'text' | 'status' | 'type' | 'sort' | 'order' | 'parent'>

const oneOf = <T extends string>(words: readonly T[], word: string | null): T | undefined => (words as readonly string[]).includes(word ?? '') ? (word as T) : undefined

/** The Jobs list's view in a query; unknown values are dropped. */
function parseJobsView(query: URLSearchParams): JobsView | undefined {
  const view: JobsView = {
    text: query.get('q') || undefined,
    status: oneOf(JOB_STATUSES, query.get('status')),
    type: oneOf(JOB_KINDS, query.get('type')),
    sort: oneOf(JOB_SORT_KEYS, query.get('sort')),
    order: oneOf(['asc', 'desc'] as const, query.get('order')),
    parent: query.get('parent') === 'all' ? 'all' : positiveInt(query.get('parent')),
  }
  const set = Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as JobsView
  return Object.keys(set).length ? set : undefined
}

/** The Jobs list's view as a query (`q=…&status=…`), empty for the default view. */
export function formatJobsView(view: JobsView | undefined): string {
  if (!view) return ''
  const { text, status, type, sort, order, parent } = view
  const pairs: [string, string | undefined][] = [
    ['q', text],
    ['status', status],
    ['type', type],
    ['sort', sort === 'id' ? undefined : sort],
    ['order', order === 'desc' ? undefined : order],
    ['parent', parent === 'none' || parent === undefined ? undefined : String(parent)],
  ]
  return new URLSearchParams(pairs.filter((p): p is [string, string] => !!p[1])).toString()
}

const isPage = (word: string): word is PageId => PAGES.some((p) => p.id === word)
const positiveInt = (text: string | null | undefined): number | undefined => {
  const n = text && /^\d{1,15}$/.test(text) ? Number(text) : NaN
  return n > 0 ? n : undefined
}

/** The route in a hash (`#/jobs/12`); anything unknown is the Jobs page. Never throws. */
export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2)
  const [first = '', second] = path.split('/', 2)
  if (!isPage(first)) return { page: 'jobs' }
  const page = first
  if (page === 'workflows') {
    let descriptor: string | undefined
    try {
      descriptor = second ? decodeURIComponent(second) : undefined
    } catch {
      descriptor = undefined // a broken %-escape: no descriptor
    }
    const execution = positiveInt(new URLSearchParams(query).get('execution'))
    return { page, ...(descriptor ? { descriptor } : {}), ...(execution ? { execution } : {}) }
  }
  if (page === 'graph') return parseGraphRoute(path.split('/').slice(1), new URLSearchParams(query))
  if (page === 'settings') {
    const settingsSection = SETTINGS_SECTIONS.find((s) => s.id === second)?.id
    return { page, ...(settingsSection ? { settingsSection } : {}) }
  }
  const job = page === 'jobs' || page === 'scripts' || page === 'imports' ? positiveInt(second) : undefined
  const jobsView = page === 'jobs' ? parseJobsView(new URLSearchParams(query)) : undefined
  return { page, ...(job ? { job } : {}), ...(jobsView ? { jobsView } : {}) }
}

/** `#/graph/<tab>[/<workflow id>|/new][?version=&job=]`: what is not a tab or an id is dropped. */
function parseGraphRoute([word, workflow]: string[], query: URLSearchParams): Route {
  const graphTab = (Object.keys(GRAPH_TAB_WORDS) as GraphTab[]).find((t) => GRAPH_TAB_WORDS[t] === word)
  if (!graphTab) return { page: 'graph' }
  if (graphTab !== 'workflows') return { page: 'graph', graphTab }
  const graphWorkflow = workflow === 'new' ? 'new' : positiveInt(workflow)
  if (graphWorkflow === undefined || graphWorkflow === 'new') return { page: 'graph', graphTab, ...(graphWorkflow ? { graphWorkflow } : {}) }
  const version = positiveInt(query.get('version'))
  const job = positiveInt(query.get('job'))
  return { page: 'graph', graphTab, graphWorkflow, ...(version ? { version } : {}), ...(job ? { job } : {}) }
}

/** The hash of a route (the inverse of parseRoute). */
export function formatRoute(r: Route): string {
  if (r.page === 'workflows') {
    const path = r.descriptor ? `#/workflows/${encodeURIComponent(r.descriptor)}` : '#/workflows'
    return r.execution ? `${path}?execution=${r.execution}` : path
  }
  if (r.page === 'graph') {
    if (!r.graphTab) return '#/graph'
    const path = `#/graph/${GRAPH_TAB_WORDS[r.graphTab]}`
    if (r.graphTab !== 'workflows' || r.graphWorkflow === undefined) return path
    if (r.graphWorkflow === 'new') return `${path}/new`
    const query = new URLSearchParams({ ...(r.version ? { version: String(r.version) } : {}), ...(r.job ? { job: String(r.job) } : {}) }).toString()
    return `${path}/${r.graphWorkflow}${query ? `?${query}` : ''}`
  }
  if (r.page === 'settings') return r.settingsSection ? `#/settings/${r.settingsSection}` : '#/settings'
  const path = r.job ? `#/${r.page}/${r.job}` : `#/${r.page}`
  const query = r.page === 'jobs' ? formatJobsView(r.jobsView) : ''
  return query ? `${path}?${query}` : path
}

interface RouteState {
  page: PageId
  /** The Settings section jumped to (Route.settingsSection); another page forgets it. */
  settingsSection: SettingsSection | null
  setPage(page: PageId): void
  setSettingsSection(section: SettingsSection | null): void
}

const initial = parseRoute(typeof location === 'undefined' ? '' : location.hash)

/** The page on screen; what each page shows lives in its own store (see features/shell/url-sync). */
export const useRoute = create<RouteState>((set, get) => ({
  page: initial.page,
  settingsSection: initial.settingsSection ?? null,
  setPage: (page) => set(page === get().page ? { page } : { page, settingsSection: null }),
  setSettingsSection: (settingsSection) => set({ settingsSection }),
}))

whenSignedOut(() => useRoute.setState({ page: 'jobs', settingsSection: null }))
