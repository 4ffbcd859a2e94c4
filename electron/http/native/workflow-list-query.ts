import { WORKFLOW_LIST_PAGE } from '../../../shared/workflow-limits'

/** The query of a workflow list route (GET /api/v1/workflows, /api/v1/graph-workflows): a page, shared/workflow-limits.ts's bounds. */
export const workflowListQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: WORKFLOW_LIST_PAGE.maxLimit, default: WORKFLOW_LIST_PAGE.defaultLimit, description: 'rows in the page' },
    offset: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'rows skipped' },
  },
} as const
