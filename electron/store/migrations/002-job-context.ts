// A workflow execution's shared data (Rill Flow's context map), saved with the task states it explains.
export default `ALTER TABLE jobs ADD COLUMN context TEXT;`
