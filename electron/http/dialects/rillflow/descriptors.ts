// Descriptor management endpoints of DAGDescriptorController (`/flow/bg/manage/descriptor`), with the
// response keys of DAGDescriptorFacade. Businesses and features exist once a descriptor is added.
// A workflow is its owner's and admins' (workflows/rillflow/ownership.ts): the service refuses the
// others (403), and lists only what the caller may see.

import type { FastifyInstance } from 'fastify'
import { invalid } from '../../../../shared/errors'
import { formatDescriptorId } from '../../../workflows/rillflow/descriptor'
import type { WorkflowService } from '../../../workflows/rillflow/service'
import { params } from './request'
import { rillCaller } from './session'

export const DESCRIPTOR_PREFIX = '/flow/bg/manage/descriptor'

export function registerDescriptorRoutes(scope: FastifyInstance, workflows: WorkflowService): void {
  const required = (q: Record<string, string | undefined>, ...names: string[]) => {
    for (const n of names) if (!q[n]) throw invalid('missing_param', `Required request parameter '${n}' for method parameter type String is not present`, n)
    return q as Record<string, string>
  }

  scope.route({
    method: ['GET', 'POST'],
    url: `${DESCRIPTOR_PREFIX}/get_descriptor.json`,
    handler: async (req) => {
      const q = params(req)
      const wf = workflows.resolve(q.descriptor_id, rillCaller(req))
      return { descriptor_id: q.descriptor_id, uid: String(q.uid ?? 0), descriptor: wf.source }
    },
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_business.json`, async (req) => ({ business_ids: workflows.workspaces(rillCaller(req)) }))
  scope.get(`${DESCRIPTOR_PREFIX}/get_feature.json`, async (req) => {
    const q = required(params(req), 'business_id')
    return { business_id: q.business_id, features: workflows.names(rillCaller(req), q.business_id) }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_alias.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name')
    return { business_id: q.business_id, feature: q.feature_name, aliases: Object.keys(workflows.aliases(rillCaller(req), q.business_id, q.feature_name)) }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_version.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name', 'alias')
    const current = workflows.aliases(rillCaller(req), q.business_id, q.feature_name)[q.alias]
    const versions = current ? workflows.versions(rillCaller(req), q.business_id, q.feature_name).filter((v) => v.version === current) : []
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
    workflows.setGrayRule(rillCaller(req), q.business_id, q.feature_name, q.alias, q.add === 'true' ? q.gray_rule : null)
    return { ret: true }
  })
  scope.get(`${DESCRIPTOR_PREFIX}/get_gray.json`, async (req) => {
    const q = required(params(req), 'business_id', 'feature_name')
    return { business_id: q.business_id, feature: q.feature_name, gray: workflows.grayRulesOf(rillCaller(req), q.business_id, q.feature_name) }
  })
  scope.post(`${DESCRIPTOR_PREFIX}/modify_alias.json`, async (req) => {
    const q = required(params(req), 'add', 'business_id', 'feature_name', 'alias')
    if (!/^[a-zA-Z0-9]+$/.test(q.alias)) throw invalid('descriptor_id_format', 'error data format', 'alias')
    const caller = rillCaller(req)
    if (q.add !== 'true') return { ret: workflows.removeAlias(caller, q.business_id, q.feature_name, q.alias) }
    if (workflows.versions(caller, q.business_id, q.feature_name).length === 0) return { ret: false }
    workflows.setAlias(caller, q.business_id, q.feature_name, q.alias) // the newest version, as upstream
    return { ret: true }
  })
}
