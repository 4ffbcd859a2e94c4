// Wires Rill Flow workflows into the app: the driver, its executors and the service.
import type { WorkflowRoom } from '../../workflow-room'
import type { DriverFor } from '../../engine/dag-driver'
import { dagDriver } from '../../engine/dag-driver'
import type { Engine } from '../../engine/engine'
import type { Executor } from '../../engine/executor'
import type { Store } from '../../store'
import { reachOfJob } from './ownership'
import { createCallbackSigner, type CallbackSigner } from './callbacks'
import type { Dag } from './descriptor'
import { controlExecutor } from './runtime/control-executor'
import { createRillDriver } from './runtime/driver'
import { createFunctionExecutor, type FunctionExecutorDeps } from './runtime/function-executor'
import { createWorkflowService, WORKFLOW_DIALECT, type WorkflowService } from './service'

export interface RillFlowParts {
  executors: Executor[]
  driverFor: DriverFor
  signer: CallbackSigner
  /** The service needs the engine, which needs the executors and driver: made in two steps. */
  service(engine: Engine): WorkflowService
}

/** `parseJson`: how function tasks parse their answers (FunctionExecutorDeps.parseJson; app.ts passes the JSON worker). */
export function createRillFlow(store: Store, baseUrl: () => string, parseJson?: FunctionExecutorDeps['parseJson'], room?: WorkflowRoom): RillFlowParts {
  const signer = createCallbackSigner(store.settings, baseUrl)
  // versions never change, so parsed DAGs are cached by id (the driver's and the service's one cache:
  // a DAG of 30,000 defaultContext keys took ~75 ms to parse, on every submit and get.json, #9 §2)
  const dags = new Map<number, Dag>()
  const dagOf = (id: number): Dag => {
    let dag = dags.get(id)
    if (!dag) dags.set(id, (dag = store.workflows.get(id)!.parsed as Dag))
    return dag
  }
  let service: WorkflowService | undefined // sub-flows are started by the service, made after the engine
  const driver = createRillDriver({
    dagOf,
    triggerUrl: (exec, task, query) => `${signer.url(exec, task)}${query ? `&${query}` : ''}`,
    startSubflow: (parent, descriptorId, context) => service!.startSubflow(parent, descriptorId, context),
    stopSubflow: (executionId, why) => service!.stopSubflow(executionId, why),
  })
  return {
    executors: [controlExecutor, createFunctionExecutor({ callbackUrl: (exec, task) => signer.url(exec, task), serverHost: baseUrl, parseJson, reachOf: (jobId) => reachOfJob(store, jobId), ownerOf: (jobId) => store.jobs.getWithoutState(jobId)?.submitter ?? '' })],
    driverFor: (job) => (job.kind === 'workflow' && job.labels.dialect === WORKFLOW_DIALECT ? driver : dagDriver),
    signer,
    service: (engine) => (service = createWorkflowService(store, engine, driver, dagOf, room)),
  }
}
