// GES's data-plane algorithm call (`POST /ges/v1.0/{project_id}/graphs/{graph_name}/action?
// action_id=execute-algorithm`, body {algorithmName, parameters}) mapped onto JobDesk's algorithms:
// GES's names and parameter names (pagerank alpha/convergence/max_iterations/directed, sssp
// source, …) become Explorer's; Explorer's own names are taken as they are.
import { ALGORITHM_NAMES, type AlgorithmName, type AlgorithmRequest, type ParamValue } from '../../../../shared/algorithms'
import { AppError, isAppError } from '../../../../shared/errors'
import { badRequest } from './errors'

interface GesAlgorithm {
  name: AlgorithmName
  /** GES parameter → Explorer parameter. */
  params: Record<string, string>
  fixed?: Record<string, ParamValue>
}

const DIRECTED = { directed: 'IS_DIRECTED' }
export const GES_ALGORITHMS: Record<string, GesAlgorithm> = {
  pagerank: { name: 'PageRank', params: { alpha: 'DAMPING', convergence: 'EPS', max_iterations: 'ITERATIONS', ...DIRECTED } },
  connected_component: { name: 'WCC', params: {} },
  label_propagation: { name: 'LPA', params: { max_iterations: 'ITERATIONS', ...DIRECTED } },
  louvain: { name: 'Louvain', params: { ...DIRECTED } },
  kcore: { name: 'KCore', params: {} },
  sssp: { name: 'SSSP', params: { source: 'ROOT' } },
  shortest_path: { name: 'ShortestPath', params: { source: 'src', target: 'dst' } },
  triangle_count: { name: 'TriangleCount', params: {}, fixed: { OPT: '1' } },
  cluster_coefficient: { name: 'ClusteringCoefficient', params: {} },
  betweenness: { name: 'BetweennessCentrality', params: { ...DIRECTED } },
  closeness: { name: 'ClosenessCentrality', params: { ...DIRECTED } },
  degree_centrality: { name: 'DegreeCentrality', params: { ...DIRECTED }, fixed: { STEP: 1 } },
}

/** The algorithm request for a GES call on graph `graph`. `weight` (a GES parameter) names the edge property to weigh by. */
export function algorithmRequest(graph: string, body: Record<string, unknown>): AlgorithmRequest {
  const name = body.algorithmName
  if (typeof name !== 'string' || name === '') throw badRequest('algorithmName is required')
  const given = body.parameters ?? {}
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw badRequest('parameters must be an object')
  const parameters = given as Record<string, unknown>
  const weight = typeof parameters.weight === 'string' && parameters.weight !== '' ? parameters.weight : undefined
  const source = { kind: 'graph' as const, graph, ...(weight ? { weight } : {}) }
  if ((ALGORITHM_NAMES as readonly string[]).includes(name)) {
    const { weight: _w, ...rest } = parameters
    return { algorithm: name as AlgorithmName, source, params: rest as Record<string, ParamValue> }
  }
  const ges = gesAlgorithm(name)
  if (!ges) throw badRequest(`algorithm ${name.slice(0, 80)} is not supported; use one of ${[...Object.keys(GES_ALGORITHMS), ...ALGORITHM_NAMES].join(', ')}`)
  const params: Record<string, ParamValue> = { ...ges.fixed }
  for (const [key, value] of Object.entries(parameters)) {
    if (key === 'weight') continue
    const mapped = ges.params[key]
    if (!mapped) throw badRequest(`parameters.${key.slice(0, 80)}: ${name} takes ${Object.keys(ges.params).concat('weight').join(', ')}`)
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw badRequest(`parameters.${key}: must be a string, number or boolean`)
    params[mapped] = value
  }
  return { algorithm: ges.name, source, params }
}

/** The GES algorithm a call names (any case), from GES_ALGORITHMS' own keys only. */
const gesAlgorithm = (name: unknown): GesAlgorithm | undefined =>
  typeof name === 'string' && Object.hasOwn(GES_ALGORITHMS, name.toLowerCase()) ? GES_ALGORITHMS[name.toLowerCase()] : undefined

/**
 * A refusal of a call made with GES's names, restated in the caller's terms: an error about the
 * Explorer parameter a GES parameter maps to (field `params.DAMPING`, "DAMPING: must be a number")
 * names the GES parameter instead (`parameters.alpha: must be a number`). Other errors, and calls
 * made with Explorer's names, pass unchanged.
 */
export function inGesTerms(err: unknown, body: Record<string, unknown>): unknown {
  if (!isAppError(err) || !err.field?.startsWith('params.') || (ALGORITHM_NAMES as readonly unknown[]).includes(body.algorithmName)) return err
  const ges = gesAlgorithm(body.algorithmName)
  const explorerName = err.field.slice('params.'.length)
  const gesName = ges && Object.entries(ges.params).find(([, to]) => to === explorerName)?.[0]
  if (!gesName) return err
  const message = err.message.startsWith(`${explorerName}:`) ? `parameters.${gesName}:${err.message.slice(explorerName.length + 1)}` : `parameters.${gesName}: ${err.message}`
  return new AppError(err.kind, err.code, message, { field: `parameters.${gesName}` })
}
