import type { GraphWorkflowOperations } from '../../../shared/graph-workflows'
import { workflowListQuery } from './workflow-list-query'

// Request schemas of the graph workflow routes (shared/graph-workflows.ts); schemas.ts merges them.
// They bound shapes and sizes; the document's meaning is checked by validateGraphWorkflow, whose
// errors name the component.

const MAX_INTEGER = Number.MAX_SAFE_INTEGER
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: MAX_INTEGER } } } as const
const document = {
  type: 'object',
  description: 'a workflow document {name, components: [{id, kind: "query"|"algorithm", …}], wires: [{from: {component, anchor}, to: {component, anchor}}]} (shared/graph-workflows.ts)',
  maxProperties: 16,
} as const

type RouteSchema = { summary: string; tags: string[]; params?: object; querystring?: object; body?: object }

export const GRAPH_WORKFLOW_ROUTE_SCHEMAS: Record<keyof GraphWorkflowOperations, RouteSchema> = {
  'graphWorkflows.list': { summary: 'A page of your graph workflows (an admin: everyone’s), most recently saved first (X-Total-Count: how many in all)', tags: ['graph workflows'], querystring: workflowListQuery },
  'graphWorkflows.create': {
    summary: 'Store a new graph workflow (version 1); an invalid document (graph names, Cypher that does not parse, …) is refused naming the component and field; graphs that do not exist yet come back as warnings',
    tags: ['graph workflows'],
    body: { type: 'object', required: ['document'], additionalProperties: false, properties: { document } },
  },
  'graphWorkflows.validate': {
    summary: 'Check a workflow document: every problem (unwired inputs, missing parameters, cycles, graph names, Cypher that does not parse, …) with its component, and warnings (graphs that do not exist yet)',
    tags: ['graph workflows'],
    body: { type: 'object', required: ['document'], additionalProperties: false, properties: { document: {} } },
  },
  'graphWorkflows.get': {
    summary: 'A graph workflow: its latest (or the given) version and the list of versions',
    tags: ['graph workflows'],
    params: idParams,
    querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1, maximum: MAX_INTEGER } } },
  },
  'graphWorkflows.save': {
    summary: 'Save the next version of a graph workflow (checked as create)',
    tags: ['graph workflows'],
    params: idParams,
    body: { type: 'object', required: ['document'], additionalProperties: false, properties: { document } },
  },
  'graphWorkflows.run': {
    summary: 'Run a graph workflow as one job; input gives query parameters by component id (Explorer’s input)',
    tags: ['graph workflows'],
    params: idParams,
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { type: 'integer', minimum: 1, maximum: MAX_INTEGER },
        input: { type: 'object', maxProperties: 200, additionalProperties: { type: 'object', maxProperties: 64, additionalProperties: { type: ['string', 'number', 'boolean'] } } },
      },
    },
  },
  'graphWorkflows.delete': {
    summary: 'Delete a graph workflow with its versions; its jobs stay on the Jobs page (Explorer’s workflows/{id}/jobs then answers not found)',
    tags: ['graph workflows'],
    params: idParams,
  },
  'graphWorkflows.job': { summary: 'A graph workflow job: each component’s state and result set', tags: ['graph workflows'], params: idParams },
  'graphWorkflows.rerun': {
    summary: 'Rerun a finished graph workflow job: from its failed components in the same job (from=failed, default) or whole as a new job (from=start)',
    tags: ['graph workflows'],
    params: idParams,
    body: { type: 'object', additionalProperties: false, properties: { from: { type: 'string', enum: ['failed', 'start'], default: 'failed' } } },
  },
}
