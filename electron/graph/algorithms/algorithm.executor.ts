// Algorithms as engine tasks (executor `algorithm`): resolves the input file in the user's upload
// folder, runs the algorithm in a graph worker (AlgorithmHost), forwards progress and log lines,
// and stores the rows as the task's result set (Explorer's fixed columns; paged reads and CSV
// export as for script jobs). The output is the run's AlgorithmSummary. Resumable: a run has no
// side effect but the write-back, which writes the same values again when it said overwrite (without
// it, a run again after the values were written fails: the property holds values, write-back.ts).
import type { AlgorithmRequest, AlgorithmSummary } from '../../../shared/algorithms'
import { ALGORITHM_SPECS } from '../../../shared/algorithms'
import { TaskFailure, type Executor, type TaskContext } from '../../engine/executor'
import type { ResultRepository, ResultSetMeta } from '../../store/result.repository'
import { appendInSteps, stored } from '../../executors/result-steps'
import { packedRows } from '../cypher/packed-rows'
import { failureCause, fromErrorBody } from '../errors'
import { requireTaskGraphWrite, type GraphWrite, type RunRights } from '../graph-rights'
import { resolveUploadPath, uploadNameParts } from '../upload-paths'
import type { AlgorithmHost } from './algorithm-host'
import type { AlgorithmInput } from './algorithm-run'
import { ROW_CAP } from './result-table'

export const ALGORITHM_EXECUTOR = 'algorithm'
/** The one task of an algorithm job. */
export const ALGORITHM_TASK = 'algorithm'

/** What an algorithm task holds: the checked request (parameters defaulted) and whose upload folder a file source is in. */
export interface AlgorithmTaskSpec {
  request: AlgorithmRequest & { params: NonNullable<AlgorithmRequest['params']> }
  user: string
}

/** What an algorithm task writes: with writeBack, its graph (checked for its user each time it runs); else nothing. */
export function algorithmGraphWrite(spec: AlgorithmTaskSpec): GraphWrite | undefined {
  const { request } = spec
  return request.writeBack && request.source.kind === 'graph' ? writeBackInto(request.source.graph, request.algorithm) : undefined
}

/** The write of an algorithm's values back into `graph` (algorithm jobs and graph workflow components). */
export const writeBackInto = (graph: string, algorithm: string): GraphWrite => ({ graph, action: `write ${algorithm} results back into` })

/** `rights`/`userOf`: a write-back needs its user's right to change the graph when the task runs. */
export interface AlgorithmExecutorDeps extends RunRights {
  dataDir: string
  host: AlgorithmHost
  results: ResultRepository
}

export function createAlgorithmExecutor(deps: AlgorithmExecutorDeps): Executor {
  return {
    name: ALGORITHM_EXECUTOR,
    resumable: true,
    async run(ctx) {
      const spec = ctx.spec as unknown as AlgorithmTaskSpec
      const { request, user } = spec
      const src = request.source
      const write = algorithmGraphWrite(spec)
      if (write) await requireTaskGraphWrite(deps, user, write)
      let source: AlgorithmInput['source']
      try {
        source =
          src.kind === 'graph'
            ? { kind: 'graph', graph: src.graph, edgeLabel: src.edgeLabel, weight: src.weight }
            : { kind: 'file', file: resolveUploadPath(deps.dataDir, user, src.path, { mustExist: true, mustBeFile: true, field: 'source.path' }), name: uploadNameParts(src.path).join('/'), delimiter: src.delimiter, header: src.header }
      } catch (e) {
        throw new TaskFailure((e as Error).message, false, { failure: failureCause(e) })
      }
      const usesWeight = ALGORITHM_SPECS[request.algorithm].usesWeight
      const weighted = src.kind === 'file' ? (src.weighted ?? usesWeight) : usesWeight && src.weight !== undefined
      const input: AlgorithmInput = { algorithm: request.algorithm, params: request.params, source, weighted, writeBack: request.writeBack }
      return { output: await runAlgorithmTask(deps, ctx, input, user) }
    },
  }
}

/**
 * Runs one algorithm for a task (an algorithm job's, or a graph workflow component's): the task's
 * earlier result sets go, the rows become its result set, log and progress are forwarded. Resolves
 * with the run's summary; throws a non-retryable TaskFailure when it failed or was cancelled. `user`:
 * whose turn the run takes among the runs waiting to hold memory (AlgorithmHost).
 */
export async function runAlgorithmTask(deps: Pick<AlgorithmExecutorDeps, 'host' | 'results'>, ctx: TaskContext, input: AlgorithmInput, user: string): Promise<AlgorithmSummary> {
  await stored(() => deps.results.clearTask(ctx.jobId, ctx.taskId))
  let set: ResultSetMeta | null = null
  let written = 0
  let refused: Error | undefined // the store refused the rows (locked past BUSY_RETRY_MS, a full disk)
  // pages of rows cross packed (moved, not cloned) and are stored one after another, a step a turn
  // (appendInSteps): the worker's pages arrive together, and 30 of them cloned and appended in one go
  // held the main thread 0.8-1 s (#9 §2)
  let storing = Promise.resolve()
  let columns = false
  let queued = 0
  const end = await deps.host.run(input, {
    signal: ctx.signal,
    owner: user,
    onEvent(e) {
      if (e.type === 'log') ctx.log(e.level, e.text)
      else if (e.type === 'progress') ctx.progress?.(e.fraction)
      else if (refused) return
      // a worker message's handler: what it throws would end the process, not the task
      else
        try {
          // the set is made and filled in order, each write waiting out another program's lock (stored)
          const fail = (error: unknown) => {
            if (!ctx.signal.aborted) refused ??= error as Error
          }
          if (e.type === 'columns') {
            columns = true
            storing = storing.then(async () => {
              set = await stored(() => deps.results.create({ jobId: ctx.jobId, taskId: ctx.taskId, kind: 'table', columns: e.columns }))
            }, fail)
          } else if (columns) {
            const from = queued
            queued += e.rows.ends.length
            storing = storing
              .then(async () => {
                if (refused || ctx.signal.aborted || !set) return // a cancel stops the storing too: the rest is for nobody
                // within the job's budget and its user's quota: a page past them is cut, later ones keep nothing
                written += await appendInSteps(deps.results, set, packedRows(e.rows), from, ctx)
              })
              .catch(fail)
          }
        } catch (error) {
          refused = error as Error
        }
    },
  })
  await storing
  // cancelled (or timed out) while the rows were still being stored, though the worker had ended well
  if (ctx.signal.aborted && end.outcome === 'succeeded') {
    await stored(() => deps.results.markPartial(ctx.jobId, ctx.taskId))
    throw new TaskFailure('cancelled', false)
  }
  if (refused) {
    await stored(() => deps.results.markPartial(ctx.jobId, ctx.taskId))
    throw new TaskFailure(`the result could not be stored: ${refused.message}`, false)
  }
  if (end.outcome === 'succeeded') {
    const done: ResultSetMeta | null = set
    if (done) await stored(() => deps.results.finish(done, end.summary.truncated || written >= ROW_CAP ? 'truncated' : 'complete'))
    return end.summary satisfies AlgorithmSummary
  }
  await stored(() => deps.results.markPartial(ctx.jobId, ctx.taskId))
  if (end.outcome === 'cancelled') throw new TaskFailure('cancelled', false)
  // the cause stays in the failed task's output: GES answers its errorCode from it
  throw new TaskFailure(fromErrorBody(end.error).message, false, { failure: failureCause(end.error) })
}
