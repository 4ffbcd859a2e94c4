// The management console's admin screens for engines, ECMs, resources, data sources and UDFs are
// outside a job center: JobDesk runs scripts itself, with no engine connections, engine managers,
// data-source registry or UDF store. The reads those pages make to render answer well-formed empty
// data (the keys each page reads, from linkis-web), so the pages show empty tables instead of errors;
// their write actions stay unknown routes (404 in the Message envelope). docs/CLIENTS.md lists them.

import type { FastifyInstance } from 'fastify'
import { ok } from './envelope'
import type { LinkisContext } from './routes'

const R = '/api/rest_j/v1'

/**
 * Engine types JobDesk's jobs show under (the history page's engine filter matches
 * executeApplicationName by prefix): Linkis script engines, then JobDesk's own job kinds.
 */
export const ENGINE_TYPES = ['shell', 'python', 'jdbc', 'cypher', 'workflow', 'import']

/** method, path, the empty data the page reads. */
const EMPTY_READS: [method: 'GET' | 'POST', path: string, data: Record<string, unknown>][] = [
  ['GET', '/linkisManager/ecinfo/ecrHistoryList', { engineList: [], totalPage: 0 }], // a job's detail page looks for its engine here
  ['POST', '/linkisManager/rm/userresources', { userResources: [] }],
  ['GET', '/linkisManager/rm/allUserResource', { resources: [], total: 0 }],
  ['GET', '/linkisManager/listAllEMs', { EMs: [] }],
  ['GET', '/linkisManager/listAllECMHealthyStatus', { nodeHealthy: [] }],
  ['GET', '/linkisManager/listAllNodeHealthyStatus', { nodeStatus: [] }],
  ['POST', '/linkisManager/listEMEngines', { engines: [] }], // the engine-connection list
  ['GET', '/engineplugin/list', { queryList: [], totalPage: 0 }], // engine plugins
  ['GET', '/engineplugin/getTypeList', { typeList: [] }],
  ['GET', '/microservice/modifiableLabelKey', { keyList: [] }],
  ['GET', '/data-source-manager/info', { queryList: [], totalPage: 0 }],
  ['GET', '/data-source-manager/type/all', { typeList: [] }],
  ['GET', '/data-source-manager/env', { queryList: [] }],
  ['POST', '/udf/managerPages', { infoList: [], total: 0 }],
  ['GET', '/udf/userDirectory', { userDirectory: [] }],
  // the basic-data screens for data sources and UDFs page a PageInfo under `list`
  ...['datasource-access', 'datasource-env', 'datasource-type', 'datasource-type-key', 'udf-manager', 'udf-tree'].map(
    (name): [method: 'GET', path: string, data: Record<string, unknown>] => ['GET', `/basedata-manager/${name}`, { list: { list: [], total: 0 } }],
  ),
]

export function registerConsoleStubRoutes(scope: FastifyInstance, c: LinkisContext): void {
  for (const [method, path, data] of EMPTY_READS) {
    scope.route({
      method,
      url: `${R}${path}`,
      handler: async (req, reply) => {
        c.actor(req) // signed in, as every console call (the onRequest hook already checked)
        return ok(reply, `/api${path}`, 'OK', data)
      },
    })
  }
  for (const path of ['/configuration/engineType', '/linkisManager/rm/engineType']) {
    scope.get(`${R}${path}`, async (req, reply) => {
      c.actor(req)
      return ok(reply, `/api${path}`, 'OK', { engineType: ENGINE_TYPES })
    })
  }
}
