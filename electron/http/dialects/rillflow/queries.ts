import type { FastifyInstance } from 'fastify'
import type { WorkflowService } from '../../../workflows/rillflow/service'

/** Listing endpoints of the Rill Flow API (filled in with the execution queries). */
export function registerRillQueries(_scope: FastifyInstance, _workflows: WorkflowService): void {}
