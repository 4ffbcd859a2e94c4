import { TaskFailure, type Executor } from '../../../engine/executor'

/**
 * pass, return, switch, choice, foreach and suspense tasks are decided by the Rill Flow driver
 * without an executor; this one exists so the engine can validate them, and fails loudly if run.
 */
export const controlExecutor: Executor = {
  name: 'rillflow.control',
  resumable: true,
  run: () => Promise.reject(new TaskFailure('control tasks are decided by the workflow driver, not run', false)),
}
