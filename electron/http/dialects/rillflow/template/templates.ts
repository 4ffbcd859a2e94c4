// TaskTemplateController (`/flow/template`): the flow-graph editor's node palette and the console's
// templates page. JobDesk's task kinds are the prototypes ("meta data" nodes, node_category 0); JobDesk
// stores no task templates of its own, so template nodes (node_category 1) are none and the
// create/update/enable/disable calls are refused in the error body.

import type { FastifyInstance } from 'fastify'
import { AppError, invalid } from '../../../../../shared/errors'
import { JAVA_INT, JAVA_LONG, queryInteger } from '../../../query'
import { consolePage, given, pageOf } from '../bg/paging'
import { params } from '../request'
import { CONSOLE_ROUTE } from '../session'
import { TASK_FIELDS, TASK_ICONS } from './fields'

const T = '/flow/template'
/** TaskTemplateTypeEnum: function templates (0), plugin templates (1), logic templates (2). */
const TEMPLATE_TYPES = { function: 0, plugin: 1, logic: 2 } as const

interface Kind {
  category: string
  icon: string
  fields: Record<string, unknown>
}

const KINDS: Kind[] = Object.entries(TASK_FIELDS).map(([category, fields]) => ({ category, icon: TASK_ICONS[category] ?? '', fields: fields! }))

const metaData = (k: Kind) => ({ category: k.category, icon: k.icon, fields: k.fields })
const templateType = (k: Kind) => (k.category === 'function' ? TEMPLATE_TYPES.function : TEMPLATE_TYPES.logic)

/** A prototype (TemplatePrototype): `id` is the category, which is what a drawn task's node refers to. */
const prototype = (k: Kind) => ({ id: k.category, node_category: 0, icon: k.icon, meta_data: metaData(k) })

/** A row of the templates page (TaskTemplate of a task kind: node_type "meta", no id, empty YAML). */
const templateRow = (k: Kind) => ({
  id: null,
  name: k.category,
  type: templateType(k),
  type_str: templateType(k) === TEMPLATE_TYPES.function ? 'function template (task kind)' : 'logic template (task kind)',
  node_type: 'meta',
  category: k.category,
  icon: k.icon,
  task_yaml: '',
  meta_data: metaData(k),
  schema: '{}',
  output: '{}',
  enable: 1,
  create_time: null,
  update_time: null,
})

/**
 * The task kinds a listing's filters keep (TaskTemplateServiceImpl.getTaskRunners): an `id` names a
 * stored template (none here), `name` is a substring of the category, `category` an exact one,
 * `type` 0 (function) / 2 (logic) / 1 (plugin: none), `node_type` meta or template, `enable` 1 or 0.
 */
function kindsFor(q: Record<string, string | undefined>): Kind[] {
  const id = queryInteger(q.id, 'id', JAVA_LONG)
  const type = queryInteger(q.type, 'type', JAVA_INT)
  const enable = queryInteger(q.enable, 'enable', JAVA_INT)
  const nodeType = given(q.node_type)
  if (nodeType !== undefined && nodeType !== 'meta' && nodeType !== 'template') throw invalid('invalid_request', 'node_type must be meta or template', 'node_type')
  const name = given(q.name)
  const category = given(q.category)
  if (id !== undefined || nodeType === 'template' || (enable !== undefined && enable !== 1)) return []
  return KINDS.filter(
    (k) =>
      (name === undefined || k.category.includes(name)) &&
      (category === undefined || !KINDS.some((c) => c.category === category) || k.category === category) &&
      (type === undefined || templateType(k) === type),
  )
}

export function registerTemplateRoutes(scope: FastifyInstance): void {
  scope.get(`${T}/get_meta_data_list.json`, CONSOLE_ROUTE, async () => ({ data: KINDS.map(metaData) }))
  // page / page_size (upstream's names); the templates page sends pageSize
  const page = (q: Record<string, string | undefined>) => consolePage({ ...q, page_size: q.page_size ?? q.pageSize }, { pageSize: 500, sizeParam: 'page_size' })
  scope.get(`${T}/get_template_prototypes.json`, CONSOLE_ROUTE, async (req) => {
    const q = params(req)
    return { data: pageOf(kindsFor(q), page(q)).map(prototype) }
  })
  scope.get(`${T}/get_task_templates.json`, CONSOLE_ROUTE, async (req) => {
    const q = params(req)
    return { data: pageOf(kindsFor(q), page(q)).map(templateRow) }
  })
  for (const action of ['create_task_template', 'update_task_template', 'enable_task_template', 'disable_task_template']) {
    scope.post(`${T}/${action}.json`, CONSOLE_ROUTE, async () => {
      throw new AppError('invalid', 'templates_unsupported', 'JobDesk keeps no task templates: its task kinds are the node prototypes; write the task in the descriptor instead')
    })
  }
}
