import type { AccessKeyOperations } from '../../../shared/access-keys'
import { ALGORITHM_NAMES, type AlgorithmOperations } from '../../../shared/algorithms'

// Request schemas of the algorithm routes (shared/algorithms.ts); schemas.ts merges them. The
// algorithm service checks the meaning (parameters against the algorithm, ids, labels); these
// bound the shapes and sizes.

const name = { type: 'string', minLength: 1, maxLength: 256 } as const
const source = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  description: '{kind: "graph", graph, edgeLabel?, weight?} or {kind: "file", path, delimiter?, header?, weighted?} (a `src,dst[,weight]` file in your upload folder)',
  properties: {
    kind: { type: 'string', enum: ['graph', 'file'] },
    graph: { type: 'string', minLength: 1, maxLength: 64 },
    edgeLabel: name,
    weight: name,
    path: { type: 'string', description: 'relative to your upload folder (a/b.csv, with / only); at most 255 bytes per name, 2048 in all: checked with the upload paths, in their words' },
    delimiter: { type: 'string', minLength: 1, maxLength: 16 },
    header: { type: 'boolean' },
    weighted: { type: 'boolean' },
  },
} as const

type RouteSchema = { summary: string; tags: string[]; params?: object; querystring?: object; body?: object }

export const ALGORITHM_ROUTE_SCHEMAS: Record<keyof AlgorithmOperations, RouteSchema> = {
  'algorithms.catalog': { summary: 'Every algorithm with Explorer’s parameter names, defaults and output columns', tags: ['algorithms'] },
  'algorithms.start': {
    summary: 'Start an algorithm job on a graph or an uploaded edge file (cancel it with POST /api/v1/jobs/:id/cancel)',
    tags: ['algorithms'],
    body: {
      type: 'object',
      required: ['algorithm', 'source'],
      additionalProperties: false,
      properties: {
        algorithm: { type: 'string', enum: [...ALGORITHM_NAMES] },
        source,
        params: { type: 'object', maxProperties: 32, additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Explorer’s parameter names (ITERATIONS, ROOT, …); missing ones take their defaults' },
        writeBack: {
          type: 'object',
          required: ['property'],
          additionalProperties: false,
          properties: {
            property: name,
            overwrite: { type: 'boolean', description: 'replace the values the property holds (without it, a property holding values is refused with 409)' },
          },
          description:
            'write each vertex’s value into this vertex property; the result’s type must fit the property’s declared type (PageRank and other scores: DOUBLE; degrees, cores, counts: an integer type or DOUBLE; community labels: the vertex ids’ type), nothing is rounded',
        },
        name: { type: 'string', maxLength: 200 },
      },
    },
  },
  'algorithms.job': {
    summary: 'An algorithm job: its status, summary and a page of its result rows (owner or admin)',
    tags: ['algorithms'],
    params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
    querystring: {
      type: 'object',
      properties: { offset: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 5000, default: 100 } },
    },
  },
}

export const ACCESS_KEY_ROUTE_SCHEMAS: Record<keyof AccessKeyOperations, RouteSchema> = {
  'accessKeys.list': { summary: 'Your access keys (AK/SK for signed GES requests); an admin sees everyone’s', tags: ['access keys'] },
  'accessKeys.create': {
    summary: 'Issue an access key for yourself; the answer holds the secret key, shown this once',
    tags: ['access keys'],
    body: { type: 'object', additionalProperties: false, properties: { description: { type: 'string', maxLength: 200 } } },
  },
  'accessKeys.revoke': {
    summary: 'Revoke one of your access keys (an admin: anyone’s)',
    tags: ['access keys'],
    params: { type: 'object', required: ['accessKey'], properties: { accessKey: { type: 'string', minLength: 1, maxLength: 64 } } },
  },
}
