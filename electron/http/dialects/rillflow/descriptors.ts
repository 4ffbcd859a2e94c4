// Descriptor management endpoints of DAGDescriptorController (`/flow/bg/manage/descriptor`), with the
// response keys of DAGDescriptorFacade. Businesses and features exist once a descriptor is added.

import type { FastifyInstance } from 'fastify'
import { invalid } from '../../../../shared/errors'
import type { Store } from '../../../store'
import { formatDescriptorId } from '../../../workflows/rillflow/descriptor'
import type { WorkflowService } from '../../../workflows/rillflow/service'
import { params } from './request'

export const DESCRIPTOR_PREFIX = '/flow/bg/manage/descriptor'

export function registerDescriptorRoutes(scope: FastifyInstance, store: Store, workflows: WorkflowService): void {
  const required = (q: Record<string, string | undefined>, ...names: string[]) => {
    for (const n of names) if (!q[n]) throw invalid('missing_param', `Required request parameter '${n}' for method parameter type String is not present`, n)
    return q as Record<string, string>
  }

  scope.route({
    method: ['GET', 'POST'],
    url: `${DESCRIPTOR_PREFIX}/get_descriptor.json`,
    handler: async (req) => {
      const q = params(req)
      const wf = workflows.resolve(q.descriptor_id)
      return { descriptor_id: q.descriptor_id, uid: String(q.uid ?? 0), descriptor: wf.source }
    },
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_business.json`, async () => ({ business_ids: store.workflows.workspaces() }))
  scope.get(`${DESCRIPTOR_PREFIX}/get_feature.json`, async (req) => {
    const q = required(params(req), 'business_id')
    return { business_id: q.business_id, features: store.workflows.names(q.business_id) }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_alias.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name')
    return { business_id: q.business_id, feature: q.feature_name, aliases: Object.keys(store.workflows.aliases(q.business_id, q.feature_name)) }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_version.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name', 'alias')
    const current = store.workflows.alias(q.business_id, q.feature_name, q.alias)
    const versions = current ? store.workflows.versions(q.business_id, q.feature_name).filter((v) => v.version === current) : []
    return {
      business_id: q.business_id,
      feature: q.feature_name,
      alias: q.alias,
      versions: versions.map((v) => ({ descriptor_id: formatDescriptorId(q.business_id, q.feature_name, v.version), create_time: v.createdAt })),
    }
  })
  scope.post(`${DESCRIPTOR_PREFIX}/modify_gray.json`, async (req) => {
    const q = required(params(req), 'add', 'business_id', 'feature_name', 'alias')
    if (q.add === 'true' && !q.gray_rule) throw invalid('descriptor_id_format', 'gray_rule can not be empty when add gray', 'gray_rule')
    workflows.setGrayRule(q.business_id, q.feature_name, q.alias, q.add === 'true' ? q.gray_rule : null)
    return { ret: true }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_gray.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name')
    return { business_id: q.business_id, feature: q.feature_name, gray: workflows.grayRules(q.business_id, q.feature_name) }
  })
  scope.post(`${DESCRIPTOR_PREFIX}/modify_alias.json`, async (req) => {
    const q = required(params(req), 'add', 'business_id', 'feature_name', 'alias')
    if (!/^[a-zA-Z0-9]+$/.test(q.alias)) throw invalid('descriptor_id_format', 'error data format', 'alias')
    if (q.add !== 'true') return { ret: store.workflows.removeAlias(q.business_id, q.feature_name, q.alias) }
    const latest = store.workflows.versions(q.business_id, q.feature_name)[0]
    if (!latest) return { ret: false }
    store.workflows.setAlias(q.business_id, q.feature_name, q.alias, latest.version)
    return { ret: true }
  })
}
